"""A test email backend for the Celery worker under test: it records each message as a JSON line
in the file named by $ALERT_TEST_MAILBOX, so the test (another process) can count what left.

$ALERT_TEST_STALL makes it stop mid-send, so the test can kill the worker there: "before" stalls
before the message is recorded (the crash lost nothing yet), "after" stalls after it is recorded
but before the worker could mark the alert sent (the message did leave). It touches the file
named by $ALERT_TEST_STALLED when it stalls.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        mailbox = Path(os.environ["ALERT_TEST_MAILBOX"])
        stall = os.environ.get("ALERT_TEST_STALL", "")
        for message in email_messages:
            if stall == "before":
                self._stall()
            with mailbox.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"to": list(message.to), "subject": message.subject}) + "\n")
            if stall == "after":
                self._stall()
        return len(email_messages)

    @staticmethod
    def _stall() -> None:
        Path(os.environ["ALERT_TEST_STALLED"]).touch()
        time.sleep(600)


class FlakyBackend(locmem.EmailBackend):
    """Django's locmem backend that refuses the next `failures` messages, as an SMTP server does
    when it is down, then accepts them into mail.outbox."""

    failures = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("SMTP server refused the connection")
        return super().send_messages(messages)
