"""The plan's signed-off baseline, and how far each action has moved from it since.

The baseline is the plan as it stood at the end of the day it was signed off (`Plan.approved_date`,
the day Ofsted and the CQC confirmed it; the end of that day in Europe/London), read from
django-simple-history by the same reader as the plan "as it stood" at a meeting
(`governance.as_it_stood.latest_rows_as_of`). Nothing is stored: the baseline follows the sign-off
date, so recording or correcting it (`actions.services.record_sign_off`) moves it.

For each action, against the baseline:

- `baseline_due_date`: its target date at sign-off; None before the plan was signed off, for an
  action added after sign-off, and for an action that had no date then.
- `due_date_revisions`: how many times its target date changed after sign-off (each history row
  whose date differs from the one before it; an action added later counts from when it was added).
- `days_slipped`: its target date now minus its baseline one, in days (negative: brought forward);
  None when either is missing.

Two ways in:

- `due_date_slips(plan, on=None) -> dict[action_id, Slip]`: for the API's fields (two queries,
  none before sign-off). `slip.baseline_due_date`, `slip.due_date_revisions`,
  `slip.days_slipped(action.due_date)`; an action missing from the dict (or any action of a plan
  not signed off) is `NO_SLIP`. `due_date_slips_for(plans)` does it for several plans.
- `slipped_in_each_area(plan)`: how many actions slipped, for the dashboard's query of the areas.
- `compare_with_baseline(plan, on=None) -> SinceSignOff`: the whole comparison, for the "Since
  sign-off" page, its downloads and the board pack: every action then and now (`on`: the end of
  that day, e.g. a meeting's date, read from history; None: the plan as it is now), with its
  objective, owner, rating, status and the figures above. Five queries whatever the size of the
  plan or of its history (three before sign-off).

`on` before the sign-off date means the plan was not yet signed off at that point: no baseline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from governance.as_it_stood import latest_rows_as_of
from governance.models import end_of_day
from send_tracker.accounts.models import Organisation

from .choices import NOT_YET_RATED, ActionStatus, Brag, RetirementReason
from .models import Action, Objective, Plan, count_in_each_area

# The columns read of each action, then and now, from its history row or from the action itself.
STATE_FIELDS = (
    "id",
    "objective_id",
    "ref",
    "published_ref",
    "description",
    "due_date",
    "brag",
    "owner_id",
    "status",
    "retired_reason",
    "retired_on",
    "position",
)


def days_slipped(baseline: datetime.date | None, current: datetime.date | None) -> int | None:
    """The current target date minus the baseline one, in days; None when either is missing."""
    if baseline is None or current is None:
        return None
    return (current - baseline).days


@dataclass(frozen=True)
class Slip:
    """One action's target date against the baseline: see the module's docstring."""

    baseline_due_date: datetime.date | None
    due_date_revisions: int

    def days_slipped(self, due_date: datetime.date | None) -> int | None:
        return days_slipped(self.baseline_due_date, due_date)


NO_SLIP = Slip(baseline_due_date=None, due_date_revisions=0)


def _until(on: datetime.date | None) -> datetime.datetime | None:
    return end_of_day(on) if on is not None else None


def _sign_off_moment(plan: Plan, on: datetime.date | None) -> datetime.datetime | None:
    """The end of the sign-off day, if the plan had been signed off by the end of `on`."""
    if plan.approved_date is None or (on is not None and on < plan.approved_date):
        return None
    return end_of_day(plan.approved_date)


def _baseline_states(plan: Plan, signed_off_at: datetime.datetime) -> dict[int, dict[str, Any]]:
    """Each action as it stood at the end of the sign-off day: one query."""
    rows = latest_rows_as_of(Action.history.model, signed_off_at, plan_id=plan.pk)
    return {row["id"]: row for row in rows.values(*STATE_FIELDS)}


def _revisions(
    plan: Plan,
    signed_off_at: datetime.datetime,
    baseline_due: dict[int, datetime.date | None],
    until: datetime.datetime | None,
) -> dict[int, int]:
    """How many times each action's target date changed after sign-off (and before `until`).

    One query: the target date of every history row after sign-off, in order, compared in turn
    with the one before it, starting from the baseline's (or, for an action added since, from the
    date it was added with, which is no change).
    """
    rows = Action.history.model.objects.filter(plan_id=plan.pk, history_date__gte=signed_off_at).exclude(
        history_type="-"
    )
    if until is not None:
        rows = rows.filter(history_date__lt=until)
    counts: dict[int, int] = {}
    previous: dict[int, datetime.date | None] = dict(baseline_due)
    for action_id, due_date in rows.order_by("history_date", "history_id").values_list("id", "due_date"):
        if action_id in previous and previous[action_id] != due_date:
            counts[action_id] = counts.get(action_id, 0) + 1
        previous[action_id] = due_date
    return counts


def due_date_slips(plan: Plan, on: datetime.date | None = None) -> dict[int, Slip]:
    """Each action's baseline target date and its moves since, by action id. Two queries; none for
    a plan not signed off by `on` (every action is then `NO_SLIP`)."""
    signed_off_at = _sign_off_moment(plan, on)
    if signed_off_at is None:
        return {}
    baseline_due = {action_id: row["due_date"] for action_id, row in _baseline_states(plan, signed_off_at).items()}
    revisions = _revisions(plan, signed_off_at, baseline_due, _until(on))
    return {
        action_id: Slip(baseline_due.get(action_id), revisions.get(action_id, 0))
        for action_id in baseline_due.keys() | revisions.keys()
    }


class SlipFigures:
    """Days slipped and moved, from a `baseline_due_date` and a `due_date` its subclass gives."""

    baseline_due_date: datetime.date | None
    due_date: datetime.date | None

    @property
    def days_slipped(self) -> int | None:
        return days_slipped(self.baseline_due_date, self.due_date)

    @property
    def days_moved(self) -> int | None:
        """How far the date moved, either way (a page says "later" or "earlier" beside it)."""
        days = self.days_slipped
        return abs(days) if days is not None else None


@dataclass(frozen=True)
class ActionSlip(SlipFigures):
    """One action's target date at sign-off and now, for its page."""

    baseline_due_date: datetime.date | None
    due_date: datetime.date | None
    due_date_revisions: int


def slip_of(action: Action) -> ActionSlip | None:
    """One action's slip, for its page: one query, of its own history's dates in order (its
    baseline is the last before the end of the sign-off day, as `latest_rows_as_of` reads it; each
    change after is a revision); None when its plan is not signed off."""
    signed_off_at = _sign_off_moment(action.plan, None)
    if signed_off_at is None:
        return None
    rows = (
        Action.history.model.objects.filter(id=action.pk)
        .exclude(history_type="-")
        .order_by("history_date", "history_id")
        .values_list("history_date", "due_date")
    )
    before = [due for when, due in rows if when < signed_off_at]
    after = [due for when, due in rows if when >= signed_off_at]
    previous = before[-1] if before else (after[0] if after else None)
    revisions = 0
    for due in after[0 if before else 1 :]:
        revisions += due != previous
        previous = due
    return ActionSlip(before[-1] if before else None, action.due_date, revisions)


def due_date_slips_for(plans: Iterable[Plan], on: datetime.date | None = None) -> dict[int, Slip]:
    """`due_date_slips` for several plans at once (two queries a plan signed off)."""
    slips: dict[int, Slip] = {}
    for plan in plans:
        slips.update(due_date_slips(plan, on))
    return slips


def baseline_due_date_subquery(plan: Plan, path: str = "") -> Subquery | None:
    """For a query of the plan's actions (reached by `path`, e.g. "objectives__actions__"): each
    action's baseline target date, as a correlated subquery (the newest history row before the end
    of the sign-off day, as `latest_rows_as_of` reads it). None when the plan is not signed off."""
    if plan.approved_date is None:
        return None
    newest = (
        Action.history.model.objects.filter(id=OuterRef(f"{path}id"), history_date__lt=end_of_day(plan.approved_date))
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .values("due_date")[:1]
    )
    return Subquery(newest)


def slipped_in_each_area(plan: Plan) -> Coalesce | None:
    """For a query of the plan's priority areas (`plan.priority_areas.annotate(n=...)`): how many of
    each area's actions have a target date later now than at sign-off, the same actions as
    `lists["moved_later"]` of the plan now; a subquery, so the dashboard counts them in the query it
    already makes. None before sign-off."""
    baseline = baseline_due_date_subquery(plan)
    if baseline is None:
        return None
    return count_in_each_area(Action.objects.filter(due_date__gt=baseline))


@dataclass(frozen=True)
class ActionState:
    """An action at one moment: at sign-off, or now (or at the end of the day compared)."""

    due_date: datetime.date | None
    brag: str | None
    owner_id: int | None
    owner: str
    status: str
    retired_reason: str
    retired_on: datetime.date | None

    @property
    def brag_label(self) -> str:
        return Brag(self.brag).label if self.brag else NOT_YET_RATED

    @property
    def is_retired(self) -> bool:
        return self.status == ActionStatus.RETIRED

    @property
    def retired_reason_label(self) -> str:
        reason = self.retired_reason
        return RetirementReason(reason).label if reason in RetirementReason.values else reason


@dataclass(frozen=True)
class ActionSinceSignOff(SlipFigures):
    """One action compared with the baseline. `then` is None for an action added after sign-off
    (or for every action when the plan was not signed off: `signed_off` False); `now` is None for
    one no longer in the plan (deleted in the admin)."""

    action_id: int
    ref: str
    published_ref: str
    description: str
    objective: Objective
    position: int
    then: ActionState | None
    now: ActionState | None
    due_date_revisions: int
    signed_off: bool
    baseline_due_date: datetime.date | None  # then's, for SlipFigures
    due_date: datetime.date | None  # now's

    @property
    def priority_area_id(self) -> int:
        return self.objective.priority_area_id

    @property
    def moved(self) -> str:
        """ "later", "earlier", or "" (not moved, or no date to compare)."""
        days = self.days_slipped
        if not days:
            return ""
        return "later" if days > 0 else "earlier"

    @property
    def is_added(self) -> bool:
        return self.signed_off and self.then is None and self.now is not None

    @property
    def is_removed(self) -> bool:
        return self.now is None

    @property
    def is_retired(self) -> bool:
        return self.now is not None and self.now.is_retired

    @property
    def retired_since(self) -> bool:
        """Retired now, and not already at sign-off."""
        return self.is_retired and not (self.then is not None and self.then.is_retired)

    @property
    def owner_changed(self) -> bool:
        return self.then is not None and self.now is not None and self.then.owner_id != self.now.owner_id

    @property
    def rating_changed(self) -> bool:
        return self.then is not None and self.now is not None and self.then.brag != self.now.brag

    @property
    def changes(self) -> list[str]:
        """What changed since sign-off, in words, for a table's "Change" column."""
        said = []
        if self.is_added:
            said.append("Added since sign-off")
        if self.is_removed:
            said.append("No longer in the plan")
        if self.retired_since and self.now is not None:
            reason = self.now.retired_reason_label
            said.append(f"Retired ({reason.lower()})" if reason else "Retired")
        if self.moved:
            days = self.days_moved
            said.append(f"Target date {self.moved} by {days} day{'s' if days != 1 else ''}")
        elif self.then is not None and self.now is not None and self.baseline_due_date != self.due_date:
            said.append("Target date set" if self.due_date else "Target date removed")
        if self.owner_changed:
            said.append("Owner changed")
        if self.rating_changed:
            said.append("Rating changed")
        return said

    def owned_by(self, organisation_id: int) -> bool:
        """Owned by the organisation at sign-off or now."""
        return any(state is not None and state.owner_id == organisation_id for state in (self.then, self.now))


@dataclass
class SinceSignOff:
    """The plan at `on` (None: now) compared with its signed-off baseline."""

    plan: Plan
    on: datetime.date | None
    signed_off_on: datetime.date | None
    rows: list[ActionSinceSignOff]
    owners: dict[int, str] = field(default_factory=dict)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_on is not None

    def filtered(self, *, priority_area_id: int | None = None, owner_id: int | None = None) -> SinceSignOff:
        """The same comparison with only the actions of a priority area and of an owner (then or now)."""
        rows = [
            row
            for row in self.rows
            if (priority_area_id is None or row.priority_area_id == priority_area_id)
            and (owner_id is None or row.owned_by(owner_id))
        ]
        return SinceSignOff(self.plan, self.on, self.signed_off_on, rows, self.owners)

    def for_action(self, action_id: int) -> ActionSinceSignOff | None:
        return next((row for row in self.rows if row.action_id == action_id), None)

    @cached_property
    def lists(self) -> dict[str, list[ActionSinceSignOff]]:
        """The actions of each kind of change (`WHICH`): `lists["moved_later"]` and so on."""
        return {name: [row for row in self.rows if belongs(row)] for name, belongs in WHICH.items()}

    @property
    def days_slipped_total(self) -> int:
        return sum(row.days_slipped or 0 for row in self.lists["moved_later"])


# The kinds of change the comparison lists, each with the test an action passes to be listed.
WHICH: dict[str, Callable[[ActionSinceSignOff], bool]] = {
    "at_sign_off": lambda row: row.then is not None,
    "in_plan": lambda row: row.now is not None,
    "added": lambda row: row.is_added,
    "retired": lambda row: row.retired_since,
    "removed": lambda row: row.is_removed,
    "moved_later": lambda row: row.moved == "later",
    "moved_earlier": lambda row: row.moved == "earlier",
    "owners_changed": lambda row: row.owner_changed,
    "ratings_changed": lambda row: row.rating_changed,
}


def _state(row: dict[str, Any], owners: dict[int, str]) -> ActionState:
    owner_id = row["owner_id"]
    return ActionState(
        due_date=row["due_date"],
        brag=row["brag"] or None,
        owner_id=owner_id,
        owner=owners.get(owner_id, "") if owner_id else "",
        status=row["status"] or ActionStatus.OPEN,
        retired_reason=row["retired_reason"] or "",
        retired_on=row["retired_on"],
    )


def compare_with_baseline(plan: Plan, on: datetime.date | None = None) -> SinceSignOff:
    """The plan now (or at the end of `on`) against its baseline. Five queries (three before
    sign-off): the baseline, the plan then or now, the moves, the objectives, the organisations."""
    signed_off_at = _sign_off_moment(plan, on)
    baseline = _baseline_states(plan, signed_off_at) if signed_off_at else {}
    if on is None:
        current = {row["id"]: row for row in Action.objects.filter(plan=plan).values(*STATE_FIELDS)}
    else:
        history = latest_rows_as_of(Action.history.model, end_of_day(on), plan_id=plan.pk)
        current = {row["id"]: row for row in history.values(*STATE_FIELDS)}
    baseline_due = {action_id: row["due_date"] for action_id, row in baseline.items()}
    revisions = _revisions(plan, signed_off_at, baseline_due, _until(on)) if signed_off_at else {}
    objectives = {
        objective.pk: objective
        for objective in Objective.objects.filter(priority_area__plan=plan).select_related("priority_area")
    }
    owners = dict(Organisation.objects.filter(partnership_id=plan.partnership_id).values_list("pk", "name"))
    rows = []
    # The action's words and place as they are now, or as they last stood if it has gone.
    for action_id, latest in (baseline | current).items():
        then, now = baseline.get(action_id), current.get(action_id)
        objective = objectives.get(latest["objective_id"])
        if objective is None:  # an objective deleted since: nothing to group the action under
            continue
        rows.append(
            ActionSinceSignOff(
                action_id=action_id,
                ref=latest["ref"],
                published_ref=latest["published_ref"],
                description=latest["description"],
                objective=objective,
                position=latest["position"],
                then=_state(then, owners) if then else None,
                now=_state(now, owners) if now else None,
                due_date_revisions=revisions.get(action_id, 0),
                signed_off=signed_off_at is not None,
                baseline_due_date=then["due_date"] if then else None,
                due_date=now["due_date"] if now else None,
            )
        )
    rows.sort(
        key=lambda row: (
            row.objective.priority_area.number,
            row.objective.position,
            row.objective.code,
            row.position,
            row.ref,
        )
    )
    return SinceSignOff(
        plan=plan, on=on, signed_off_on=plan.approved_date if signed_off_at else None, rows=rows, owners=owners
    )
