"""The weekly reminder: everything overdue and still open, in one email per person per week.

The sweep tells of each deadline once (an alert row per item, kind, due date and person, raised
only within the look-back). That is right for the alerts list, but an action overdue for 900 days
would then never be mentioned again. So once a week each person who is told of overdue items
(the same people the sweep tells: the owner organisation's officers, the lead officer, the
followers) gets one email naming all of them, until each is done.

The rules that keep it to one a week:
- one Reminder row per person per ISO week (unique), written with ON CONFLICT DO NOTHING, so a
  task run twice, or two at once, writes each once, and it names the items as they stood then;
- a row is claimed before it is emailed (SELECT ... FOR UPDATE SKIP LOCKED, marked "sending"), as
  alerts are (send_tracker.alerts.delivery), so two workers never email the same one;
- the week's items are found afresh each week, so an item done mid-week is not in the next.
A person who turned an overdue kind off ("show it in the tracker only") is not reminded of it.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .candidates import REMINDER_SOURCES, Candidate, long_date
from .choices import AlertKind, Delivery, DeliveryMode
from .delivery import ERROR_LIMIT, _email_context, _undeliverable, absolute, close_quietly
from .models import Reminder
from .sweep import audience

logger = logging.getLogger(__name__)

# The email's sections, in this order, each headed as a person would say it.
SECTIONS = {
    AlertKind.ACTION_OVERDUE: "Plan actions",
    AlertKind.RESPONSE_OVERDUE: "Scrutiny responses",
    AlertKind.ARISING_OVERDUE: "Actions arising from board meetings",
    AlertKind.RISK_REVIEW_OVERDUE: "Risk reviews",
}


@dataclass
class ReminderResult:
    """What one run did, for logs, the command and tests."""

    week: datetime.date
    written: int = 0
    sent: int = 0
    failed: int = 0


def week_of(day: datetime.date) -> datetime.date:
    """The Monday that starts the ISO week of `day`."""
    return day - datetime.timedelta(days=day.weekday())


def overdue_for_each_person(today: datetime.date) -> dict[int, list[Candidate]]:
    """person id -> the open items overdue on `today` that they are told of, oldest first."""
    candidates = [candidate for source in REMINDER_SOURCES.values() for candidate in source(today)]
    told = audience(candidates)
    items: dict[int, list[Candidate]] = defaultdict(list)
    for candidate, recipients in zip(candidates, told.recipients, strict=True):
        for user_id in recipients:
            if told.preferences.get((user_id, candidate.kind)) != DeliveryMode.OFF:
                items[user_id].append(candidate)
    for found in items.values():
        found.sort(key=lambda candidate: (candidate.due_date, candidate.title))
    return items


def write_reminders(today: datetime.date) -> int:
    """Write this week's reminder for each person with overdue items who has none yet this week.
    Returns how many this call wrote: ON CONFLICT DO NOTHING counts only its own rows, so one a
    racing call wrote first is counted by that call."""
    week = week_of(today)
    items = overdue_for_each_person(today)
    already = set(
        Reminder.objects.filter(week=week, recipient_id__in=sorted(items)).values_list("recipient_id", flat=True)
    )
    quote = connection.ops.quote_name
    columns = ("recipient_id", "week", "items", "created_at", "delivery", "attempts", "last_error")
    statement = (
        f"INSERT INTO {quote(Reminder._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT ({quote('recipient_id')}, {quote('week')}) DO NOTHING"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # One order for every run: concurrent inserts queue behind each other key by key.
        for user_id in sorted(set(items) - already):
            named = [
                {
                    "kind": str(c.kind),
                    "title": c.title,
                    "summary": c.summary,
                    "link": c.link,
                    "due_date": c.due_date.isoformat(),
                }
                for c in items[user_id]
            ]
            cursor.execute(statement, [user_id, week, json.dumps(named), now, Delivery.PENDING.value, 0, ""])
            written += cursor.rowcount
    return written


def claim(week: datetime.date, now: datetime.datetime) -> list[Reminder]:
    """Claim the week's reminders waiting to be emailed, and those left "sending" by a worker that
    stopped more than a lease ago."""
    lease_start = now - datetime.timedelta(seconds=settings.ALERT_LEASE_SECONDS)
    claimable = Q(delivery=Delivery.PENDING) | Q(delivery=Delivery.SENDING, claimed_at__lt=lease_start)
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimable, week=week)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=ids).update(
            delivery=Delivery.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(Reminder.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))


def reminder_email(reminder: Reminder, today: datetime.date) -> EmailMultiAlternatives:
    """One person's reminder: the overdue items in sections, oldest first, plain text and HTML."""
    sections: dict[str, list[dict[str, object]]] = {heading: [] for heading in SECTIONS.values()}
    for item in reminder.items:
        due = datetime.date.fromisoformat(item["due_date"])
        days = (today - due).days
        sections[SECTIONS[AlertKind(item["kind"])]].append(
            {
                "title": item["title"],
                "summary": item.get("summary", ""),  # rows written before summaries have none
                "url": absolute(item["link"]),
                "overdue": f"{days:,} day{'s' if days != 1 else ''} overdue",
            }
        )
    count = len(reminder.items)
    context = _email_context(reminder.recipient) | {
        "sections": {heading: found for heading, found in sections.items() if found},
        "count": count,
        "week": long_date(reminder.week),
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.SERVICE_NAME}: {count} overdue {'item' if count == 1 else 'items'} still open",
        body=render_to_string("emails/reminder.txt", context),
        to=[reminder.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/reminder.html", context), "text/html")
    return message


def _record(reminder: Reminder, **fields: object) -> None:
    # Conditional on our own claim: if the row was claimed again meanwhile, that claim records it.
    Reminder.objects.filter(pk=reminder.pk, delivery=Delivery.SENDING, claimed_at=reminder.claimed_at).update(**fields)


def send_reminders(today: datetime.date | None = None) -> ReminderResult:
    """Write the week's reminders not yet written and email the week's reminders not yet sent.
    Run daily: the first run of a week writes them; later runs catch up on people newly overdue
    and retry a failed send, until ALERT_MAX_ATTEMPTS."""
    day = today or timezone.localdate()
    result = ReminderResult(week=week_of(day), written=write_reminders(day))
    claimed = claim(result.week, timezone.now())
    if not claimed:
        return result
    connection = get_connection()
    try:
        for reminder in claimed:
            problem = _undeliverable(reminder.recipient)
            if problem:
                _record(reminder, delivery=Delivery.OFF, last_error=problem)
                continue
            try:
                if not connection.send_messages([reminder_email(reminder, day)]):
                    raise RuntimeError("The email backend did not accept the message.")
            except Exception as exc:  # Any backend error: the next run tries again.
                final = reminder.attempts >= settings.ALERT_MAX_ATTEMPTS
                error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
                _record(reminder, delivery=Delivery.FAILED if final else Delivery.PENDING, last_error=error)
                result.failed += 1
                logger.warning("Reminder %s not sent (attempt %s): %s", reminder.pk, reminder.attempts, exc)
            else:
                _record(reminder, delivery=Delivery.SENT, sent_at=timezone.now(), last_error="")
                result.sent += 1
    finally:
        close_quietly(connection)
    logger.info("Weekly reminders: %s", result)
    return result
