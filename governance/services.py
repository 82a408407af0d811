"""Writes to boards, meetings and the risk register. Views, the admin and the loader call these.

Each validates first (ValidationError names the field), checks the user may make the change
(PermissionDenied), then writes in one transaction with the parent row locked, recording who and
why in the history. In every refusal nothing is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from actions.models import Action, Plan
from kpis.models import Indicator
from send_tracker.accounts import access
from send_tracker.accounts.models import Organisation
from send_tracker.checks import checked_text as _text
from send_tracker.history import StaleVersionError, actor_label, stamp

from .choices import AgendaPurpose, BoardKind, MeetingStatus, MemberRole, RiskStatus, RiskTrend
from .models import (
    ROUND_DAYS_LIMIT,
    ActionArising,
    AgendaItem,
    Board,
    BoardMember,
    Decision,
    Meeting,
    Risk,
    RiskReview,
    long_date,
)

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

# A committee's papers usually go out a week before it meets.
DEFAULT_PAPERS_NOTICE = datetime.timedelta(days=7)
TEXT_LIMIT = 5000
DEFAULT_ROUND_DAYS = 10


class StaleRiskError(StaleVersionError):
    """Someone re-scored the risk after this reviewer opened it; nothing was written."""

    def __init__(self, risk: Risk, based_on_version: int) -> None:
        self.risk = risk
        super().__init__(risk, based_on_version, f"{risk.reference} was re-scored by someone else after you opened it")


def _required_text(errors: dict[str, str], field: str, value: str, message: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        errors[field] = message
    elif len(cleaned) > TEXT_LIMIT:
        errors[field] = f"Keep it to {TEXT_LIMIT} characters or fewer."
    return cleaned


def _unique_in_partnership(
    errors: dict[str, str], model: type[Model], partnership_id: int, field: str, value: str, message: str
) -> None:
    """`message` on `field` when the partnership already has a `model` row whose `field` is `value`,
    case ignored; `{same}` in it is that row, `{value}` what was typed."""
    if not value:
        return
    same = model._default_manager.filter(partnership_id=partnership_id, **{f"{field}__iexact": value}).first()
    if same is not None:
        errors[field] = message.format(same=same, value=value)


def _require_administrator(user: AnyUser | None, partnership_id: int, message: str) -> None:
    # user=None is the loader or a command, run by someone with the server's keys.
    if user is not None:
        access.require(access.may_change_in_partnership(user, partnership_id), message)


def _check(instance: object) -> None:
    instance.clean()  # type: ignore[attr-defined]


def _save(instance: Model, user: AnyUser | None, reason: str) -> None:
    """A new row, checked, its history stamped with who and why, and saved."""
    _check(instance)
    stamp(instance, by=user, reason=reason)
    instance.save()


# ---------------------------------------------------------------------------------------------
# Meetings


def create_meeting(
    *,
    board_id: int,
    user: AnyUser | None,
    date: datetime.date,
    papers_deadline: datetime.date | None = None,
    status: str = MeetingStatus.SCHEDULED,
    title: str = "",
    location: str = "",
    is_demo: bool = False,
    source: str = "",
) -> Meeting:
    """Add a meeting to a board's calendar. Without a papers deadline, a week before."""
    errors: dict[str, str] = {}
    if status not in MeetingStatus.values:
        errors["status"] = "Choose the meeting's status."
    if papers_deadline is None:
        papers_deadline = date - DEFAULT_PAPERS_NOTICE
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board_id)
        if user is not None:
            access.require(board.can_be_changed_by(user), "Only the board's member organisations can add meetings.")
        if Meeting.objects.filter(board=board, date=date).exists():
            raise ValidationError({"date": f"{board} already has a meeting on {date.day} {date:%B %Y}."})
        meeting = Meeting(
            board=board,
            date=date,
            papers_deadline=papers_deadline,
            status=status,
            title=title.strip(),
            location=location.strip(),
            is_demo=is_demo,
            source=source,
        )
        _save(meeting, user, "Meeting added")
    return meeting


def _locked_meeting(meeting_id: int, user: AnyUser | None, message: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting_id)
    if user is not None:
        access.require(meeting.can_be_changed_by(user), message)
    return meeting


def _partnership_object(
    model: type, pk: int | None, scope: dict[str, int], field: str, errors: dict[str, str], message: str
) -> object | None:
    """The chosen row if it is within `scope` (the meeting's partnership or agenda); else an error."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **scope).first()  # type: ignore[attr-defined]
    if found is None:
        errors[field] = message
    return found


def _agenda_item_of(meeting: Meeting, agenda_item_id: int | None, errors: dict[str, str]) -> AgendaItem | None:
    """The item of the meeting's agenda that a decision or an action arising comes from, if any."""
    found = _partnership_object(
        AgendaItem, agenda_item_id, {"meeting_id": meeting.pk}, "agenda_item", errors,
        "Choose an item on this meeting's agenda.",
    )  # fmt: skip
    return cast(AgendaItem | None, found)


def add_agenda_item(
    *,
    meeting_id: int,
    user: AnyUser | None,
    title: str,
    purpose: str = AgendaPurpose.DISCUSSION,
    presenter: str = "",
    summary: str = "",
    action_id: int | None = None,
    risk_id: int | None = None,
    indicator_id: int | None = None,
) -> AgendaItem:
    """Put an item on a meeting's agenda, numbered after the last, optionally about an action,
    a risk or a KPI of the same partnership."""
    errors: dict[str, str] = {}
    title = _required_text(errors, "title", title, "Enter the item's title.")
    if len(title) > 200:
        errors["title"] = "Keep the title to 200 characters or fewer."
    if purpose not in AgendaPurpose.values:
        errors["purpose"] = "Choose what the board is asked to do."
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id, user, "Only the board's member organisations can change its agenda.")
        scope = meeting.board.partnership_id
        action = _partnership_object(
            Action, action_id, {"plan__partnership_id": scope}, "action", errors, "Choose an action from the plan."
        )
        risk = _partnership_object(
            Risk, risk_id, {"partnership_id": scope}, "risk", errors, "Choose a risk from the register."
        )
        indicator = _partnership_object(
            Indicator, indicator_id, {"partnership_id": scope}, "indicator", errors, "Choose one of the indicators."
        )
        if errors:
            raise ValidationError(errors)
        number = (meeting.agenda_items.aggregate(last=Max("number"))["last"] or 0) + 1
        item = AgendaItem(
            meeting=meeting,
            number=number,
            title=title,
            purpose=purpose,
            presenter=presenter.strip()[:200],
            summary=summary.strip(),
            action=action,  # type: ignore[misc]
            risk=risk,
            indicator=indicator,
        )
        _save(item, user, "Agenda item added")
    return item


def record_decision(*, meeting_id: int, user: AnyUser | None, text: str, agenda_item_id: int | None = None) -> Decision:
    """Record what the board decided, agreed or noted, numbered after the last decision."""
    errors: dict[str, str] = {}
    text = _required_text(errors, "text", text, "Enter what the board decided.")
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id, user, "Only the board's member organisations can record decisions.")
        agenda_item = _agenda_item_of(meeting, agenda_item_id, errors)
        if errors:
            raise ValidationError(errors)
        number = (meeting.decisions.aggregate(last=Max("number"))["last"] or 0) + 1
        decision = Decision(
            meeting=meeting,
            agenda_item=agenda_item,
            number=number,
            text=text,
            recorded_by_label=actor_label(user),
        )
        _save(decision, user, "Decision recorded")
    return decision


def add_action_arising(
    *,
    meeting_id: int,
    user: AnyUser | None,
    description: str,
    owner_name: str,
    owner_organisation_id: int | None = None,
    due_date: datetime.date | None = None,
    agenda_item_id: int | None = None,
) -> ActionArising:
    """Record a task the board set: what, who and by when."""
    errors: dict[str, str] = {}
    description = _required_text(errors, "description", description, "Enter what is to be done.")
    owner_name = _required_text(errors, "owner_name", owner_name, "Enter who will do it: a name or a post.")
    if len(owner_name) > 200:
        errors["owner_name"] = "Keep the owner to 200 characters or fewer."
    with transaction.atomic():
        meeting = _locked_meeting(meeting_id, user, "Only the board's member organisations can record actions.")
        organisation = _partnership_object(
            Organisation, owner_organisation_id, {"partnership_id": meeting.board.partnership_id},
            "owner_organisation", errors, "Choose an organisation of the partnership.",
        )  # fmt: skip
        agenda_item = _agenda_item_of(meeting, agenda_item_id, errors)
        if due_date is not None and due_date < meeting.date:
            errors["due_date"] = "The due date must be on or after the meeting date."
        if errors:
            raise ValidationError(errors)
        arising = ActionArising(
            meeting=meeting,
            agenda_item=agenda_item,  # type: ignore[misc]
            description=description,
            owner_name=owner_name,
            owner_organisation=organisation,
            due_date=due_date,
            created_by_label=actor_label(user),
        )
        _save(arising, user, "Action arising recorded")
    return arising


def complete_action_arising(
    *, action_arising_id: int, user: AnyUser | None, done_on: datetime.date | None = None, note: str = ""
) -> ActionArising:
    """Mark an action arising done. Done twice is refused, so the first completion's date stands."""
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        arising = ActionArising.objects.select_for_update().select_related("meeting__board").get(pk=action_arising_id)
        if user is not None:
            access.require(
                arising.meeting.can_be_changed_by(user), "Only the board's member organisations can mark it done."
            )
        errors: dict[str, str] = {}
        if arising.is_done:
            errors["done_on"] = f"This was already marked done on {arising.done_on:%d/%m/%Y}."
        elif done_on < arising.meeting.date:
            errors["done_on"] = "The date it was done cannot be before the meeting that set it."
        elif done_on > timezone.localdate():
            errors["done_on"] = "The date it was done cannot be in the future."
        if len(note) > TEXT_LIMIT:
            errors["done_note"] = f"Keep the note to {TEXT_LIMIT} characters or fewer."
        if errors:
            raise ValidationError(errors)
        arising.done_on = done_on
        arising.done_note = note.strip()
        arising.completed_by_label = actor_label(user)
        stamp(arising, by=user, reason=note.strip() or "Marked done")
        arising.save()
    return arising


# ---------------------------------------------------------------------------------------------
# The risk register


@dataclass(frozen=True)
class Scores:
    likelihood_before: int
    impact_before: int
    likelihood_after: int
    impact_after: int

    @property
    def score_after(self) -> int:
        return self.likelihood_after * self.impact_after

    def errors(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        words = {
            "likelihood_before": "likelihood before mitigation",
            "impact_before": "impact before mitigation",
            "likelihood_after": "likelihood after mitigation",
            "impact_after": "impact after mitigation",
        }
        for name, label in words.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                problems[name] = f"Enter the {label} as a whole number from 1 to 5."
        return problems


def trend_between(previous_score: int | None, new_score: int) -> str:
    """Rising, falling or no change, read from the score after mitigation: the risk the partnership
    actually carries."""
    if previous_score is None:
        return RiskTrend.NEW
    if new_score > previous_score:
        return RiskTrend.RISING
    if new_score < previous_score:
        return RiskTrend.FALLING
    return RiskTrend.STEADY


def rescore_risk(
    *,
    risk_id: int,
    user: AnyUser | None,
    scores: Scores,
    comment: str,
    based_on_version: int | None,
    next_review_date: datetime.date | None,
    mitigations: str | None = None,
    meeting_id: int | None = None,
    reviewed_on: datetime.date | None = None,
    is_demo: bool = False,
    when: datetime.datetime | None = None,
) -> RiskReview:
    """Record a review of a risk: new scores, the trend they imply, the next review date and why.

    `when` backdates the history row; only the demonstration loader uses it.
    """
    errors = scores.errors()
    comment = _required_text(errors, "comment", comment, "Enter why the scores are what they are.")
    reviewed_on = reviewed_on or timezone.localdate()
    if next_review_date is None:
        errors["next_review_date"] = "Enter the date of the next review."
    elif next_review_date <= reviewed_on:
        errors["next_review_date"] = "The next review must be after this one."
    if mitigations is not None and len(mitigations) > TEXT_LIMIT:
        errors["mitigations"] = f"Keep the mitigations to {TEXT_LIMIT} characters or fewer."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        risk = Risk.objects.select_for_update().get(pk=risk_id)
        if user is not None:
            access.require(
                risk.can_be_changed_by(user), "Only the owning organisation's officers can re-score this risk."
            )
        if risk.is_closed:
            raise ValidationError(f"{risk.reference} was closed on {_closed_on(risk)}, so it is not re-scored.")
        if based_on_version is not None and risk.version != based_on_version:
            raise StaleRiskError(risk, based_on_version)
        meeting = None
        if meeting_id is not None:
            meeting = Meeting.objects.filter(pk=meeting_id, board__partnership_id=risk.partnership_id).first()
            if meeting is None:
                raise ValidationError({"meeting": "Choose a meeting of one of the partnership's boards."})
        previous_score = risk.score_after
        trend = trend_between(previous_score, scores.score_after)
        risk.likelihood_before = scores.likelihood_before
        risk.impact_before = scores.impact_before
        risk.likelihood_after = scores.likelihood_after
        risk.impact_after = scores.impact_after
        risk.trend = trend
        risk.next_review_date = next_review_date
        if mitigations is not None:
            risk.mitigations = mitigations.strip()
        # A person's re-score replaces made-up demo scores with real ones.
        risk.is_demo_scores = is_demo
        risk.version += 1
        stamp(risk, by=user, reason=comment, when=when)
        risk.save()
        review = RiskReview.objects.create(
            risk=risk,
            meeting=meeting,
            reviewed_on=reviewed_on,
            likelihood_before=scores.likelihood_before,
            impact_before=scores.impact_before,
            likelihood_after=scores.likelihood_after,
            impact_after=scores.impact_after,
            previous_score_after=previous_score,
            trend=trend,
            comment=comment,
            reviewed_by_label=actor_label(user),
            is_demo=is_demo,
        )
    return review


def _closed_on(risk: Risk) -> str:
    return long_date(risk.closed_on) if risk.closed_on else "an earlier date"


def _in_partnership(
    model: type, pk: int | None, partnership_id: int, field: str, errors: dict[str, str], message: str
) -> object | None:
    return _partnership_object(model, pk, {"partnership_id": partnership_id}, field, errors, message)


def add_risk(
    *,
    partnership_id: int,
    user: AnyUser | None,
    reference: str,
    title: str,
    likelihood_before: int,
    impact_before: int,
    likelihood_after: int,
    impact_after: int,
    next_review_date: datetime.date | None,
    cause: str = "",
    consequence: str = "",
    owner_id: int | None = None,
    owner_role: str = "",
    mitigations: str = "",
    review_board_id: int | None = None,
) -> Risk:
    """Add a risk to the partnership's register (administrators), its trend New, its first scores
    kept as its first history row."""
    scores = Scores(likelihood_before, impact_before, likelihood_after, impact_after)
    errors = scores.errors()
    reference = _text(errors, "reference", reference, 20, "Enter the risk's reference, e.g. R7.")
    title = _text(errors, "title", title, 300, "Enter the risk, in the register's words.")
    cause = _text(errors, "cause", cause, TEXT_LIMIT)
    consequence = _text(errors, "consequence", consequence, TEXT_LIMIT)
    owner_role = _text(errors, "owner_role", owner_role, 200)
    mitigations = _text(errors, "mitigations", mitigations, TEXT_LIMIT)
    if next_review_date is None:
        errors["next_review_date"] = "Enter the date of the first review."
    elif next_review_date <= timezone.localdate():
        errors["next_review_date"] = "The first review must be after today."
    _require_administrator(user, partnership_id, "Only an administrator can add a risk to the register.")
    with transaction.atomic():
        owner = _in_partnership(
            Organisation, owner_id, partnership_id, "owner_id", errors, "Choose an organisation of the partnership."
        )
        board = _in_partnership(
            Board, review_board_id, partnership_id, "review_board_id", errors, "Choose one of the partnership's boards."
        )
        message = "The register already has a risk {same.reference}. Choose another reference."
        _unique_in_partnership(errors, Risk, partnership_id, "reference", reference, message)
        if errors:
            raise ValidationError(errors)
        risk = Risk(
            partnership_id=partnership_id,
            reference=reference,
            title=title,
            cause=cause,
            consequence=consequence,
            owner=owner,  # type: ignore[misc]
            owner_role=owner_role,
            likelihood_before=scores.likelihood_before,
            impact_before=scores.impact_before,
            likelihood_after=scores.likelihood_after,
            impact_after=scores.impact_after,
            mitigations=mitigations,
            trend=RiskTrend.NEW,
            next_review_date=next_review_date,
            review_board=board,
        )
        _save(risk, user, "Added to the register")
    return risk


def close_risk(*, risk_id: int, user: AnyUser | None, reason: str) -> Risk:
    """Close a risk (administrators): it stays on the register and in its history, marked closed,
    and its reviews fall due no more. Nothing is deleted."""
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, TEXT_LIMIT, "Say why the risk is being closed.")
    with transaction.atomic():
        risk = Risk.objects.select_for_update().get(pk=risk_id)
        _require_administrator(user, risk.partnership_id, "Only an administrator can close a risk.")
        if risk.is_closed:
            errors["reason"] = f"{risk.reference} was already closed on {_closed_on(risk)}."
        if errors:
            raise ValidationError(errors)
        risk.status = RiskStatus.CLOSED
        risk.closed_on = timezone.localdate()
        risk.closed_reason = reason
        risk.version += 1
        stamp(risk, by=user, reason=f"Closed: {reason}")
        risk.save()
    return risk


# ---------------------------------------------------------------------------------------------
# Boards and their members


def create_board(
    *,
    partnership_id: int,
    user: AnyUser | None,
    name: str,
    kind: str,
    short_name: str = "",
    independently_chaired: bool = False,
    description: str = "",
    meets: str = "",
    oversees: int | None = None,
    update_round_days: int | None = None,
) -> Board:
    """Add a board or committee to the partnership's governance (administrators)."""
    errors: dict[str, str] = {}
    days = _round_days(errors, update_round_days)
    name = _text(errors, "name", name, 200, "Enter the board's name.")
    short_name = _text(errors, "short_name", short_name, 60)
    description = _text(errors, "description", description, TEXT_LIMIT)
    meets = _text(errors, "meets", meets, 120)
    if kind not in BoardKind.values:
        errors["kind"] = "Choose what kind of board it is."
    _require_administrator(user, partnership_id, "Only an administrator can add a board.")
    with transaction.atomic():
        message = "The partnership already has a board called {value}."
        _unique_in_partnership(errors, Board, partnership_id, "name", name, message)
        _check_oversight(errors, partnership_id, oversees, None)
        if errors:
            raise ValidationError(errors)
        board = Board(
            partnership_id=partnership_id,
            name=name,
            short_name=short_name,
            kind=kind,
            independently_chaired=independently_chaired,
            description=description,
            meets=meets,
            oversees_id=oversees,
            update_round_days=days,
        )
        stamp(board, by=user, reason="Board added")
        board.save()
    return board


def add_board_member(
    *,
    board_id: int,
    user: AnyUser | None,
    name: str,
    role: str = MemberRole.MEMBER,
    job_title: str = "",
    organisation_id: int | None = None,
    represents: str = "",
) -> BoardMember:
    """Give someone a seat on a board (administrators): from a partner organisation, or from the
    outside body they represent."""
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 200, "Enter the member's name, or the post the papers name.")
    job_title = _text(errors, "job_title", job_title, 200)
    represents = _text(errors, "represents", represents, 200)
    if role not in MemberRole.values:
        errors["role"] = "Choose the member's role on the board."
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board_id)
        _require_administrator(user, board.partnership_id, "Only an administrator can change a board's members.")
        organisation = _in_partnership(
            Organisation, organisation_id, board.partnership_id, "organisation_id", errors,
            "Choose an organisation of the partnership.",
        )  # fmt: skip
        if name and board.members.filter(name__iexact=name).exists():
            errors["name"] = f"{name} already has a seat on {board}."
        if errors:
            raise ValidationError(errors)
        member = BoardMember(
            board=board,
            name=name,
            job_title=job_title,
            organisation=organisation,  # type: ignore[misc]
            represents=represents,
            role=role,
        )
        _save(member, user, f"Member added to {board}")
    return member


# ---------------------------------------------------------------------------------------------
# Update rounds: which plan a board oversees, and how many working days before each of its
# meetings the owners are asked to update their actions (governance.rounds).


def _round_days(errors: dict[str, str], days: int | None) -> int:
    if days is None:
        return DEFAULT_ROUND_DAYS
    if not 1 <= days <= ROUND_DAYS_LIMIT:
        errors["update_round_days"] = f"Enter a number of working days from 1 to {ROUND_DAYS_LIMIT}."
    return days


def _check_oversight(errors: dict[str, str], partnership_id: int, plan_id: int | None, board_id: int | None) -> None:
    """The plan is the partnership's and no other board oversees it. Called inside the transaction,
    with the plan's row locked, so two boards cannot both take it."""
    if plan_id is None:
        return
    plan = Plan.objects.select_for_update().filter(pk=plan_id, partnership_id=partnership_id).first()
    if plan is None:
        errors["oversees"] = "Choose one of the partnership's plans."
        return
    other = Board.objects.filter(oversees_id=plan_id).exclude(pk=board_id).first()
    if other is not None:
        errors["oversees"] = f"{other} already oversees {plan.title}; a plan has one board that runs its update rounds."


def set_update_rounds(
    *, board_id: int, user: AnyUser | None, oversees: int | None, update_round_days: int | None
) -> Board:
    """Which plan the board oversees (none: it runs no update rounds) and how many working days
    before each meeting its round opens (administrators)."""
    errors: dict[str, str] = {}
    days = _round_days(errors, update_round_days)
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board_id)
        _require_administrator(user, board.partnership_id, "Only an administrator can change a board's update rounds.")
        _check_oversight(errors, board.partnership_id, oversees, board.pk)
        if errors:
            raise ValidationError(errors)
        board.oversees_id = oversees
        board.update_round_days = days
        stamp(board, by=user, reason="Update rounds changed")
        board.save(update_fields=["oversees", "update_round_days"])
    return board
