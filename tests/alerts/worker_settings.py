"""Settings for a Celery worker started by the alert tests: the test settings, with the recording
email backend instead of locmem (a worker's locmem outbox would die with it)."""

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.alerts.email_backends.RecordingBackend"
