"""Filters for the logging configuration in settings.LOGGING.

Kept apart from the views: logging is configured before the apps load, so this imports nothing
but the standard library.
"""

from __future__ import annotations

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """Keeps the one-line warning for a 4xx and drops its traceback.

    Django logs a PermissionDenied on django.request with the exception attached, so every refused
    change (a councillor pressing a button they cannot use) filled the log with a traceback, as if
    it were a fault. A refusal is the product working; only a 5xx is worth a traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and 400 <= status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
