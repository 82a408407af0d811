"""`python manage.py scan_deadlines [--as-of YYYY-MM-DD] [--deliver]`: the periodic sweep and the
week's reminders of overdue items, now."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from send_tracker.alerts.delivery import deliver_due
from send_tracker.alerts.reminders import send_reminders
from send_tracker.alerts.sweep import sweep


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {text!r}") from None


class Command(BaseCommand):
    help = (
        "Runs the deadline sweep at once: writes the alerts for everything due (plan actions, scrutiny "
        "responses, papers deadlines, actions arising, KPI figures, risk reviews) that are not written yet. "
        "Then emails the week's reminder of overdue items still open to each person told of them, "
        "once per person per week. The last line is `alerts created: N`; run twice, the second run creates none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=iso_date,
            default=None,
            help="Judge deadlines as on this day (YYYY-MM-DD) instead of today in Europe/London.",
        )
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="Also email the alerts due to go straight away, in this process, without a worker.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep(options["as_of"])
        self.stdout.write(f"Deadlines as on {result.today.isoformat()} (Europe/London).")
        for name, created in result.by_source.items():
            self.stdout.write(f"  {name}: {created}")
        reminded = send_reminders(result.today)
        self.stdout.write(
            f"Weekly reminders for the week of {reminded.week.isoformat()}: written {reminded.written}, "
            f"emailed {reminded.sent}, failed {reminded.failed}."
        )
        if options["deliver"]:
            delivered = deliver_due()
            self.stdout.write(
                f"emailed: {delivered.sent}, retrying: {delivered.retrying}, failed: {delivered.failed}, "
                f"expired: {delivered.expired}"
            )
        self.stdout.write(f"alerts created: {result.created}")
