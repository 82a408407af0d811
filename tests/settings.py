"""Settings for the test suite: the project's settings with development defaults.

DATABASE_URL and REDIS_URL pass through, so CI runs the suite on PostgreSQL and Redis.
"""

import atexit
import os
import shutil
import tempfile

# A developer's .env (make run's, or a deployment's) must not reach the tests or their subprocesses.
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around
# it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if "VAR_DIR" not in os.environ:
    # One scratch folder per test run (Celery's files, uploads), removed when the run ends. Child
    # processes (a Celery worker under test) inherit it through the environment.
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="send-tracker-tests-")
    atexit.register(shutil.rmtree, os.environ["VAR_DIR"], ignore_errors=True)
# Under pytest-xdist (make test runs two worker processes) each worker has a test database of its
# own (pytest-django names it after the worker), and here a scratch folder, cache keys and Celery
# queue of its own, so that nothing one worker writes, clears or queues reaches the other. The
# processes a test starts inherit the worker's folder and read the same names.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and os.environ.get("TESTS_VAR_DIR_OF") != XDIST_WORKER:
    os.environ["VAR_DIR"] = os.path.join(os.environ["VAR_DIR"], XDIST_WORKER)
    os.environ["TESTS_VAR_DIR_OF"] = XDIST_WORKER
    os.makedirs(os.environ["VAR_DIR"], exist_ok=True)

from send_tracker.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
if REDIS_URL:  # noqa: F405
    # Clearing the cache (each test starts with an empty one) deletes this run's keys only, not the
    # whole Redis database, which also holds Celery's queues and perhaps another worker's keys.
    CACHES["default"] = {  # noqa: F405
        **CACHES["default"],  # noqa: F405
        "BACKEND": "tests.redis_cache.OwnKeysRedisCache",
        "KEY_PREFIX": f"tests-{XDIST_WORKER or 'main'}",
    }
    CELERY_TASK_DEFAULT_QUEUE = f"tests-{XDIST_WORKER or 'main'}"
