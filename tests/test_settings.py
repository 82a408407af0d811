"""Production settings: no default secret, and Django's deployment checks pass."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Rk2pQ9vL4mN8sT1wY6zB3cF5hJ0dG-aE7uI2oP9lK4jH6gF1dS3aQ8wE5rT2yU",
    "ALLOWED_HOSTS": "send-tracker.example.org",
    "REDIS_URL": "redis://redis:6379/0",  # as docker-compose.yml sets it; the check connects to nothing
    "DJANGO_SETTINGS_MODULE": "send_tracker.settings",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_boolean_fails_loudly():
    result = run_manage("check", env={**PRODUCTION, "DEBUG": "perhaps"})

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_deployment_checks_ask_for_redis():
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "send_tracker.W001" in result.stderr and "REDIS_URL is not set" in result.stderr


def test_a_footer_link_that_is_not_an_address_fails_loudly():
    # A javascript: or mistyped link would reach every page's footer; an email must be an email.
    bad_link = run_manage("check", env={**PRODUCTION, "PRIVACY_URL": "javascript:alert(1)"})
    insecure_link = run_manage("check", env={**PRODUCTION, "CONTACT_URL": "http://example.gov.uk/contact"})
    bad_email = run_manage("check", env={**PRODUCTION, "ACCESSIBILITY_CONTACT_EMAIL": "accessibility team"})

    assert bad_link.returncode != 0 and "PRIVACY_URL must be a web address" in bad_link.stderr
    assert (
        insecure_link.returncode != 0 and "CONTACT_URL must be a web address beginning https://" in insecure_link.stderr
    )
    assert bad_email.returncode != 0 and "ACCESSIBILITY_CONTACT_EMAIL must be an email address" in bad_email.stderr


def test_the_readme_commands_run_in_a_make_run_checkout_without_debug_in_the_environment(tmp_path):
    """`make run` writes .env once; the commands run by hand afterwards (manage.py import_pap ...)
    read it, with no DEBUG or SECRET_KEY of their own."""
    env_file = tmp_path / ".env"
    made = subprocess.run(  # noqa: S603
        ["make", "-s", f"DEV_ENV_FILE={env_file}", str(env_file)],  # noqa: S607
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    written = env_file.read_text()
    assert "DEBUG=true" in written and "SECRET_KEY=" in written

    result = run_manage("check", env={"ENV_FILE": str(env_file), "VAR_DIR": str(tmp_path / "var")})

    assert result.returncode == 0, result.stderr
    again = subprocess.run(  # noqa: S603
        ["make", "-s", f"DEV_ENV_FILE={env_file}", str(env_file)],  # noqa: S607
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0 and env_file.read_text() == written  # a second make run keeps the key


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# a deployment\nexport DEBUG=\"true\"\n\nSECRET_KEY='from-the-file'\n")
    script = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"

    result = run_manage(
        "shell", "--no-imports", "-c", script, env={"ENV_FILE": str(env_file), "DEBUG": "false", "ALLOWED_HOSTS": "a"}
    )

    assert result.stdout.split() == ["False", "from-the-file"], result.stderr


def test_a_missing_secret_is_one_line_that_says_what_to_set():
    result = run_manage("check", env={"ENV_FILE": ""})

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "send-tracker is not configured: SECRET_KEY is not set. Set it to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=true for local "
        "development (`make run` writes both to .env)."
    ]


def test_a_malformed_env_file_names_its_line(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nthis is not a setting\n")

    result = run_manage("check", env={"ENV_FILE": str(env_file)})

    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{env_file}, line 2: expected NAME=value" in result.stderr
