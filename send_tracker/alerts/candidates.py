"""Where alerts come from: what a source finds, and the sources every app registers.

A source takes the day (in Europe/London) and yields a Candidate for each item that is due: the
kind of alert, the due date that makes its key, the words of the alert, and who answers for it
(send_tracker.alerts.sweep works out the people). Windows are ranges rather than single days, so
an item dated inside a window after it opened, or a day the sweep did not run, is still told:
"due within 7 days" is raised on the first sweep that finds the item 7 days or fewer away.

Each app declares its own sources, one set-based query each, in its `alerts.py` (plan actions;
recommendations' responses; meetings' papers, actions arising and risks; KPI figures), and
registers them here from its AppConfig.ready, so the alerts import no app. The sweep runs them in
the order the apps are installed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse


@dataclass(frozen=True, slots=True)
class Candidate:
    """One item that is due, as a source found it, before its recipients are worked out."""

    model: type[models.Model]
    subject_id: int
    partnership_id: int
    kind: str
    due_date: datetime.date
    title: str
    body: str
    link: str
    # Whose active officers are told: the owner organisation.
    organisations: tuple[int, ...] = ()
    # Named people: an action's lead officer.
    people: tuple[int, ...] = ()
    # Other items whose followers are told besides the subject's own: the board or committee
    # (whose followers are its lead and secretariat), the indicator of a KPI figure.
    followed: tuple[tuple[type[models.Model], int], ...] = field(default=())
    # What the item is, in a sentence or two, for the weekly reminder, which names many items in
    # one email: an action's description, a recommendation's words.
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Told:
    """What one kind of alert says: its kind, its title and the first line of its body."""

    kind: str
    title: str
    opening: str

    def about(
        self,
        model: type[models.Model],
        subject_id: int,
        partnership_id: int,
        due_date: datetime.date,
        lines: Sequence[str],
        **rest: Any,
    ) -> Candidate:
        """The candidate for the subject that says this, the rest of its body being `lines`."""
        body = "\n".join([self.opening, *lines])
        return Candidate(model, subject_id, partnership_id, self.kind, due_date, self.title, body, **rest)


Source = Callable[[datetime.date], Iterable[Candidate]]

# Every source, by name, as the apps registered them.
SOURCES: dict[str, Source] = {}
# The weekly reminder's sources: every item overdue and still open on the day, however long ago it
# fell due (send_tracker.alerts.reminders), each yielded with its "overdue" kind.
REMINDER_SOURCES: dict[str, Source] = {}


def register_sources(sources: dict[str, Source], reminders: dict[str, Source] | None = None) -> None:
    """Add an app's sources to the sweep, and its overdue items to the weekly reminder (called from
    its AppConfig.ready)."""
    SOURCES.update(sources)
    REMINDER_SOURCES.update(reminders or {})


def lookback_start(today: datetime.date) -> datetime.date:
    """The earliest due date the sweep still raises an "overdue" alert for.

    A deadline is told as overdue on the first sweep after it passes; looking back a few weeks
    catches up after an outage or a late entry without telling people, the day alerts are switched
    on, about everything that has been overdue for years (the lists show those).
    """
    return today - datetime.timedelta(days=settings.ALERT_LOOKBACK_DAYS)


DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=4096)
def long_date(day: datetime.date) -> str:
    """'30 April 2026', as committee papers write dates."""
    return f"{day.day} {day:%B %Y}"


def when(due: datetime.date, today: datetime.date) -> str:
    """'today', 'tomorrow', 'in 7 days', or '3 days ago'."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    if days == -1:
        return "yesterday"
    return f"{-days} days ago"


def path_for(viewname: str, anchor: str = "") -> Callable[[int], str]:
    """A fast pk -> path function for one URL name: reverse() once, then string formatting, so a
    sweep over tens of thousands of items does not resolve the URL conf for each."""
    sentinel = 987_654_321
    template = reverse(viewname, args=[sentinel]).replace(str(sentinel), "{pk}") + anchor
    return lambda pk: template.format(pk=pk)
