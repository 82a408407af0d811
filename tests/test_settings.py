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
