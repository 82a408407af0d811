#!/usr/bin/env python
"""Django's command-line utility for send-tracker."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing or bad setting is the person's to fix, not a fault: one line saying what to set.
        sys.exit(f"send-tracker is not configured: {exc}")


if __name__ == "__main__":
    main()
