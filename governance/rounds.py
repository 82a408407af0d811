"""Update rounds: the monthly cycle in which owners update their actions before the board meets.

The board that oversees a plan (Board.oversees) runs one round before each of its meetings. A
round opens `update_round_days` working days before the meeting (10 unless the board says
otherwise) and closes at the meeting's papers deadline (without one, on the last working day
before the meeting). Working days are not Saturdays, Sundays or bank holidays in England and Wales:
the `holidays` package's rules plus the days an administrator has added (recommendations.deadlines
and BankHoliday, which the statutory clocks use too).

An open action is "updated" for a meeting when it was re-rated or confirmed unchanged (a rating
update at the same rating, actions.services.confirm_rating_unchanged) after the end of the board's
previous meeting day and before the end of this meeting's day; otherwise it is "update due". For
the board's first meeting, the round's first day stands in for the previous meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from actions.choices import ActionStatus
from actions.models import Action, Plan, RatingUpdate
from recommendations.deadlines import is_working_day
from recommendations.models import BankHoliday

from .choices import MeetingStatus
from .models import Board, Meeting, end_of_day

ONE_DAY = datetime.timedelta(days=1)
# Officers are reminded on the second working day before the round closes.
CLOSING_REMINDER_WORKING_DAYS = 2


def working_days_before(day: datetime.date, count: int, extra: frozenset[datetime.date]) -> datetime.date:
    """The `count`th working day before `day` (`day` itself is never counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    counted = 0
    while counted < count:
        day -= ONE_DAY
        if is_working_day(day, extra):
            counted += 1
    return day


@dataclass(frozen=True)
class Round:
    """One board meeting's update round for the plan the board oversees."""

    meeting: Meeting
    plan_id: int
    opens: datetime.date
    closes: datetime.date
    reminder_on: datetime.date
    # Updates from `since` up to `until` count for this meeting.
    since: datetime.datetime
    until: datetime.datetime
    # The board's previous meeting, which `since` follows; None for its first.
    previous_date: datetime.date | None = None

    def status(self, today: datetime.date) -> str:
        if today < self.opens:
            return "not open yet"
        return "open" if today <= self.closes else "closed"

    def is_open(self, today: datetime.date) -> bool:
        return self.opens <= today <= self.closes

    def updated_action_ids(self) -> set[int]:
        return set(self.updates().values_list("action_id", flat=True))

    def updates(self) -> QuerySet[RatingUpdate]:
        return RatingUpdate.objects.filter(
            action__plan_id=self.plan_id, created_at__gte=self.since, created_at__lt=self.until
        )

    def actions(self) -> QuerySet[Action]:
        """The plan's actions that are rated in rounds: the open ones."""
        return Action.objects.filter(plan_id=self.plan_id, status=ActionStatus.OPEN)

    def due_actions(self) -> QuerySet[Action]:
        """Open actions not updated in this round's window."""
        return self.actions().exclude(pk__in=self.updates().values("action_id"))

    def is_due(self, action_id: int) -> bool:
        return self.due_actions().filter(pk=action_id).exists()


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def round_for(
    meeting: Meeting,
    *,
    board: Board | None = None,
    previous: Meeting | None | bool = False,
    extra_holidays: frozenset[datetime.date] | None = None,
) -> Round | None:
    """The update round before `meeting`, or None when its board oversees no plan or the meeting
    is not going ahead. `board`, `previous` and `extra_holidays` may be passed when the caller has
    them already (previous=None: no earlier meeting), to save their queries."""
    board = board or meeting.board
    if not board.oversees_id or meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        return None
    extra = BankHoliday.extra_dates() if extra_holidays is None else extra_holidays
    closes = meeting.papers_deadline or working_days_before(meeting.date, 1, extra)
    opens = min(working_days_before(meeting.date, board.update_round_days, extra), closes)
    before = meeting.previous_meeting() if previous is False else previous
    return Round(
        meeting=meeting,
        plan_id=board.oversees_id,
        opens=opens,
        closes=closes,
        reminder_on=max(opens, working_days_before(closes, CLOSING_REMINDER_WORKING_DAYS, extra)),
        since=end_of_day(before.date) if isinstance(before, Meeting) else _start_of(opens),
        until=end_of_day(meeting.date),
        previous_date=before.date if isinstance(before, Meeting) else None,
    )


def current_round(plan: Plan | int, today: datetime.date) -> Round | None:
    """The round of the next meeting (today or later) of the board that oversees the plan."""
    plan_id = plan if isinstance(plan, int) else plan.pk
    board = Board.objects.filter(oversees_id=plan_id).first()
    if board is None:
        return None
    meetings = list(Meeting.objects.filter(board=board).going_ahead().filter(date__lte=_far(today)).order_by("date"))
    upcoming = [m for m in meetings if m.date >= today]
    if not upcoming:
        return None
    meeting = upcoming[0]
    earlier = [m for m in meetings if m.date < meeting.date]
    return round_for(meeting, board=board, previous=earlier[-1] if earlier else None)


def _far(today: datetime.date) -> datetime.date:
    # Only the next meeting and the one before it matter; a year either side is plenty.
    return today + datetime.timedelta(days=366)


def open_rounds(today: datetime.date) -> Iterable[Round]:
    """Every round open on `today`, across partnerships: for the sweep."""
    extra = BankHoliday.extra_dates()
    boards = {b.pk: b for b in Board.objects.filter(oversees__isnull=False)}
    if not boards:
        return []
    # A round opens at most ROUND_DAYS_LIMIT working days before its meeting: twelve weeks of
    # calendar cover that with the weekends and bank holidays between.
    window = today + datetime.timedelta(weeks=12)
    meetings = (
        Meeting.objects.going_ahead()
        .filter(board_id__in=boards, date__gte=today, date__lte=window)
        .order_by("board_id", "date")
    )
    found: list[Round] = []
    for meeting in meetings:
        board = boards[meeting.board_id]
        meeting.board = board
        found_round = round_for(meeting, board=board, extra_holidays=extra)
        if found_round is not None and found_round.is_open(today):
            found.append(found_round)
    return found


@dataclass
class OrganisationReturn:
    """One organisation's returns for a round: its actions updated and those still due."""

    name: str
    organisation_id: int | None
    updated: list[ActionReturn] = field(default_factory=list)
    due: list[ActionReturn] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.updated) + len(self.due)


@dataclass
class ActionReturn:
    action: Action
    # The latest update in the round, when there is one.
    latest: RatingUpdate | None = None

    @property
    def confirmed(self) -> bool:
        return self.latest is not None and self.latest.brag == self.latest.previous_brag


@dataclass
class Returns:
    """Who has updated and who has not, by organisation, for one round."""

    round: Round
    organisations: list[OrganisationReturn]

    @cached_property
    def due_count(self) -> int:
        return sum(len(o.due) for o in self.organisations)

    @cached_property
    def updated_count(self) -> int:
        return sum(len(o.updated) for o in self.organisations)

    @cached_property
    def due_ids(self) -> set[int]:
        return {row.action.pk for o in self.organisations for row in o.due}


def returns_for(update_round: Round) -> Returns:
    """Three queries: the actions with their owners, the latest update of each in the window, and
    those updates' rows."""
    actions = list(update_round.actions().select_related("owner").order_by("owner__name", "position", "ref"))
    latest_ids = update_round.updates().values("action_id").annotate(latest=Max("pk")).values_list("latest", flat=True)
    latest = {u.action_id: u for u in RatingUpdate.objects.filter(pk__in=list(latest_ids)).select_related("created_by")}
    by_owner: dict[int | None, OrganisationReturn] = {}
    for action in actions:
        group = by_owner.get(action.owner_id)
        if group is None:
            name = action.owner.name if action.owner else "No owner assigned"
            group = by_owner[action.owner_id] = OrganisationReturn(name=name, organisation_id=action.owner_id)
        row = ActionReturn(action=action, latest=latest.get(action.pk))
        (group.updated if row.latest else group.due).append(row)
    # Those with most still to do first: the page is for chasing them.
    ordered = sorted(by_owner.values(), key=lambda o: (-len(o.due), o.organisation_id is None, o.name))
    return Returns(round=update_round, organisations=ordered)


def update_due_condition(update_round: Round | None) -> Q:
    """For the API's list: an open action with no update in the current round. No round: nothing due."""
    if update_round is None:
        return Q(pk__in=[])
    return Q(status=ActionStatus.OPEN) & ~Q(
        rating_updates__created_at__gte=update_round.since, rating_updates__created_at__lt=update_round.until
    )
