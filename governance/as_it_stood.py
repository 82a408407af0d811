"""The plan and the risk register "as they stood" at a meeting, and what changed between meetings.

Both are read from django-simple-history: for each action (or risk), the newest historical row
dated before the end of the meeting day. That is one query for the whole plan whatever its size
(DISTINCT ON on PostgreSQL, a correlated subquery elsewhere), never one per action, so a board pack
of 34 actions and one of 400 cost the same number of queries.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import OuterRef, Q, Subquery

from actions.choices import BRAG_DEFINITIONS, BRAG_DISPLAY_ORDER, NOT_YET_RATED, ActionStatus, Brag
from actions.models import Action, Objective, Plan, RatingUpdate

from .choices import RiskTrend
from .models import Meeting, Risk, RiskScores, end_of_day

# How far each rating has got, for "up" and "down". Grey (not begun) and no rating at all both
# mean nothing has started; going from no rating to any rating is "first rated", not "up".
BRAG_PROGRESS: dict[str | None, int] = {
    None: 0,
    Brag.GREY: 0,
    Brag.RED: 1,
    Brag.AMBER: 2,
    Brag.GREEN: 3,
    Brag.BLUE: 4,
}
DONE_RATINGS = (Brag.GREEN, Brag.BLUE)


def latest_rows_as_of(history_model: type[models.Model], moment: datetime.datetime, **scope: Any) -> models.QuerySet:
    """Each object's newest historical row dated before `moment`, for the objects in `scope`.

    `scope` is applied to that newest row, so an object that had left the scope by then (or been
    deleted: history_type "-") is not included.
    """
    manager = history_model._default_manager
    if connection.vendor == "postgresql":
        in_scope_ids = manager.filter(**scope).values("id")
        newest = (
            manager.filter(history_date__lt=moment, id__in=in_scope_ids)
            .order_by("id", "-history_date", "-history_id")
            .distinct("id")
            .values("history_id")
        )
        rows = manager.filter(history_id__in=newest, **scope)
    else:
        newest_for_object = (
            manager.filter(id=OuterRef("id"), history_date__lt=moment)
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = manager.filter(history_date__lt=moment, **scope).filter(history_id=Subquery(newest_for_object))
    return rows.exclude(history_type="-")


@dataclass(frozen=True)
class ActionAsItStood:
    """One action of the plan as its history row recorded it at a moment."""

    action_id: int
    objective_id: int
    ref: str
    published_ref: str
    description: str
    themes_text: str
    workstreams_text: str
    comment: str
    brag: str | None
    brag_commentary: str
    due_date: datetime.date | None
    due_date_text: str
    owner_id: int | None
    version: int
    rated_at: datetime.datetime | None
    position: int
    status: str
    recorded_at: datetime.datetime

    @property
    def brag_label(self) -> str:
        return Brag(self.brag).label if self.brag else NOT_YET_RATED

    @property
    def progress(self) -> int:
        return BRAG_PROGRESS.get(self.brag, 0)

    @property
    def date_text(self) -> str:
        """The target date as the plan printed it ('Apr 24', 'TBC'), or the date itself."""
        if self.due_date_text:
            return self.due_date_text
        return f"{self.due_date.day} {self.due_date:%B %Y}" if self.due_date else ""

    @property
    def highlight_comment(self) -> str:
        """The report's comment column: the commentary of the rating then in force, else the
        comment published with the plan."""
        return self.brag_commentary or self.comment

    @property
    def is_retired(self) -> bool:
        return self.status == ActionStatus.RETIRED

    def is_overdue(self, on: datetime.date) -> bool:
        return bool(self.due_date and self.due_date < on and self.brag not in DONE_RATINGS and not self.is_retired)


@dataclass
class ObjectiveGroup:
    objective: Objective
    actions: list[ActionAsItStood]


@dataclass
class RatingCount:
    value: str
    label: str
    definition: str
    count: int


@dataclass
class PlanAsItStood:
    """The whole plan at a moment: every action in it then, in the published order."""

    plan: Plan | None
    on: datetime.date
    actions: list[ActionAsItStood]
    objectives: dict[int, Objective]

    @property
    def by_action_id(self) -> dict[int, ActionAsItStood]:
        return {row.action_id: row for row in self.actions}

    def groups(self) -> list[ObjectiveGroup]:
        groups: dict[int, ObjectiveGroup] = {}
        for row in self.actions:
            if row.objective_id not in groups:
                groups[row.objective_id] = ObjectiveGroup(self.objectives[row.objective_id], [])
            groups[row.objective_id].actions.append(row)
        return list(groups.values())

    def rating_counts(self) -> list[RatingCount]:
        counts = Counter(row.brag for row in self.actions if not row.is_retired)
        return [
            RatingCount(value, Brag(value).label, BRAG_DEFINITIONS[value], counts[value])
            for value in BRAG_DISPLAY_ORDER
        ] + [RatingCount("none", NOT_YET_RATED, "No rating recorded yet.", counts[None])]

    @property
    def overdue(self) -> list[ActionAsItStood]:
        return [row for row in self.actions if row.is_overdue(self.on)]


def _objective_order(objective: Objective) -> tuple[int, int, str]:
    return (objective.priority_area.number, objective.position, objective.code)


def plan_as_it_stood(plan: Plan | None, on: datetime.date) -> PlanAsItStood:
    """The plan at the end of the day `on` (Europe/London). Two queries: history rows, objectives."""
    if plan is None:
        return PlanAsItStood(plan=None, on=on, actions=[], objectives={})
    history_model = Action.history.model
    records = list(latest_rows_as_of(history_model, end_of_day(on), plan_id=plan.pk))
    objectives = {
        objective.pk: objective
        for objective in Objective.objects.filter(pk__in={r.objective_id for r in records}).select_related(
            "priority_area"
        )
    }
    rows = [
        _from_record(ActionAsItStood, r, action_id=r.id, recorded_at=r.history_date)
        for r in records
        if r.objective_id in objectives
    ]
    rows.sort(key=lambda row: (_objective_order(objectives[row.objective_id]), row.position, row.ref))
    return PlanAsItStood(plan=plan, on=on, actions=rows, objectives=objectives)


@dataclass(frozen=True)
class RiskAsItStood(RiskScores):
    """One risk of the register as its history row recorded it at a moment."""

    risk_id: int
    reference: str
    title: str
    cause: str
    consequence: str
    owner_id: int | None
    owner_role: str
    likelihood_before: int
    impact_before: int
    likelihood_after: int
    impact_after: int
    mitigations: str
    trend: str
    next_review_date: datetime.date | None
    status: str
    is_demo_scores: bool

    @property
    def trend_label(self) -> str:
        return RiskTrend(self.trend).label if self.trend in RiskTrend.values else self.trend

    @property
    def scores(self) -> tuple[int, int, int, int]:
        return (self.likelihood_before, self.impact_before, self.likelihood_after, self.impact_after)

    def is_review_overdue(self, on: datetime.date) -> bool:
        return bool(self.status == "open" and self.next_review_date and self.next_review_date < on)


AsItStood = TypeVar("AsItStood", ActionAsItStood, RiskAsItStood)


def _from_record(kind: type[AsItStood], record: models.Model, **named: Any) -> AsItStood:
    """A row as it stood from its history record: each field the record's column of the same name,
    but for those `named`."""
    columns = {name: getattr(record, name) for name in kind.__dataclass_fields__ if name not in named}
    return kind(**columns, **named)


def risks_as_they_stood(partnership_id: int, on: datetime.date) -> list[RiskAsItStood]:
    """The register at the end of the day `on`, in reference order. One query."""
    history_model = Risk.history.model
    records = latest_rows_as_of(history_model, end_of_day(on), partnership_id=partnership_id)
    rows = [_from_record(RiskAsItStood, r, risk_id=r.id) for r in records]
    rows.sort(key=_reference_key)
    return rows


def _reference_key(row: RiskAsItStood) -> tuple[str, int, str]:
    # R2 before R10: the number part compared as a number.
    digits = "".join(ch for ch in row.reference if ch in "0123456789")
    prefix = row.reference.rstrip("0123456789")
    return (prefix, int(digits) if digits else 0, row.reference)


@dataclass(frozen=True)
class RatingChange:
    before: ActionAsItStood | None
    after: ActionAsItStood

    @property
    def before_brag(self) -> str | None:
        return self.before.brag if self.before else None


@dataclass(frozen=True)
class RiskChange:
    before: RiskAsItStood
    after: RiskAsItStood

    @property
    def direction(self) -> str:
        if self.after.score_after > self.before.score_after:
            return "up"
        if self.after.score_after < self.before.score_after:
            return "down"
        return "same"


@dataclass
class ChangesSince:
    """What changed between a board's previous meeting and this one."""

    previous: Meeting
    improved: list[RatingChange] = field(default_factory=list)
    worsened: list[RatingChange] = field(default_factory=list)
    first_rated: list[RatingChange] = field(default_factory=list)
    added: list[ActionAsItStood] = field(default_factory=list)
    new_evidence: list[RatingUpdate] = field(default_factory=list)
    newly_overdue: list[ActionAsItStood] = field(default_factory=list)
    risks_rescored: list[RiskChange] = field(default_factory=list)
    risks_added: list[RiskAsItStood] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.improved,
                self.worsened,
                self.first_rated,
                self.added,
                self.new_evidence,
                self.newly_overdue,
                self.risks_rescored,
                self.risks_added,
            )
        )


def changes_between(
    previous: Meeting,
    before: PlanAsItStood,
    after: PlanAsItStood,
    risks_before: list[RiskAsItStood],
    risks_after: list[RiskAsItStood],
) -> ChangesSince:
    """Compare the plan and register at two meetings. One query, for the evidence."""
    changes = ChangesSince(previous=previous)
    earlier = before.by_action_id
    for row in after.actions:
        old = earlier.get(row.action_id)
        if old is None:
            changes.added.append(row)
            if row.brag:
                changes.first_rated.append(RatingChange(None, row))
        elif old.brag is None and row.brag is not None:
            changes.first_rated.append(RatingChange(old, row))
        elif row.progress > old.progress:
            changes.improved.append(RatingChange(old, row))
        elif row.progress < old.progress or (old.brag is not None and row.brag is None):
            changes.worsened.append(RatingChange(old, row))
        # Due on or after the previous meeting's day and before this one's: it was not overdue
        # then and is now, unless completed (Green) or embedded (Blue) by now.
        if (
            row.due_date
            and before.on <= row.due_date < after.on
            and row.brag not in DONE_RATINGS
            and not row.is_retired
        ):
            changes.newly_overdue.append(row)
    if after.plan is not None:
        changes.new_evidence = list(
            RatingUpdate.objects.filter(
                action__plan=after.plan,
                created_at__gte=end_of_day(before.on),
                created_at__lt=end_of_day(after.on),
            )
            .filter(~Q(evidence_text="") | ~Q(evidence_link="") | ~Q(evidence_file=""))
            .select_related("action")
            .order_by("created_at", "pk")
        )
    old_risks = {risk.risk_id: risk for risk in risks_before}
    for risk in risks_after:
        old_risk = old_risks.get(risk.risk_id)
        if old_risk is None:
            changes.risks_added.append(risk)
        elif old_risk.scores != risk.scores:
            changes.risks_rescored.append(RiskChange(old_risk, risk))
    return changes


@dataclass
class MeetingReading:
    """Everything the meeting page reads from history: the plan and register then, and changes."""

    plan: PlanAsItStood
    risks: list[RiskAsItStood]
    changes: ChangesSince | None
    # The plan at the previous meeting, for the headline figures' "was" (None: no previous meeting).
    previous_plan: PlanAsItStood | None = None


def read_meeting(
    meeting: Meeting, previous: Meeting | None, plan: Plan | None, on: datetime.date | None = None
) -> MeetingReading:
    """As at the end of `on` (the meeting's day unless given: today, for one not yet over). A fixed
    number of queries, whatever the size of the plan: at most seven."""
    partnership_id = meeting.board.partnership_id
    on = on or meeting.date
    now_plan = plan_as_it_stood(plan, on)
    now_risks = risks_as_they_stood(partnership_id, on)
    changes = None
    previous_plan = None
    if previous is not None:
        previous_plan = plan_as_it_stood(plan, previous.date)
        changes = changes_between(
            previous,
            previous_plan,
            now_plan,
            risks_as_they_stood(partnership_id, previous.date),
            now_risks,
        )
    return MeetingReading(plan=now_plan, risks=now_risks, changes=changes, previous_plan=previous_plan)
