"""Writes to scrutiny reports and recommendations. Views, the admin and the loaders call these.

Each validates (Model.clean plus the checks here), writes in one transaction and records who
made the change and why in the history. Bad input raises ValidationError keyed by field; a user
who may not change the recommendation gets PermissionDenied. In every refusal nothing is written.

`user=None` means the system itself (a management command loading published papers): no access
check, and no person in the history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from governance.models import Board
from send_tracker.accounts import access
from send_tracker.history import actor_label, person, stamp

from .choices import Outcome, ResponseRegime
from .deadlines import RULES, Deadline
from .models import SCRUTINY_BODY_KINDS, ImplementationUpdate, Recommendation, Report, Response, statutory_due_date
from .numbered_list import Pasted, split_numbered_list

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser


def _locked_recommendation(recommendation_id: int, user: AnyUser | None, refusal: str) -> Recommendation:
    # The row lock makes read-check-write safe on PostgreSQL; SQLite's IMMEDIATE transactions
    # serialise writers to the same effect.
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("report__partnership", "report__committee")
        .get(pk=recommendation_id)
    )
    if user is not None:
        access.require(recommendation.can_be_changed_by(user), refusal)
    return recommendation


def _refuse_if_closed(recommendation: Recommendation, what: str) -> None:
    if recommendation.closed_at is not None:
        when = timezone.localtime(recommendation.closed_at).strftime("%d %B %Y").lstrip("0")
        raise ValidationError(
            {
                NON_FIELD_ERRORS: (
                    f"{recommendation.reference} was closed on {when}, so it cannot take {what}. "
                    "An administrator can reopen it if the committee asks for more."
                )
            }
        )


def _actions_in_partnership(action_ids: Iterable[int], partnership_id: int) -> list[Action]:
    wanted = set(action_ids)
    found = list(Action.objects.filter(pk__in=wanted, plan__partnership_id=partnership_id))
    if len(found) != len(wanted):
        raise ValidationError({"actions": "Choose actions from your partnership's plan."})
    return found


def save_report(report: Report, *, user: AnyUser | None, reason: str) -> Report:
    """Create or change a scrutiny report, recomputing its stored response due date.

    Reports are set up by administrators (in the admin) or loaded from published papers.
    """
    if user is not None:
        access.require(
            access.may_change_in_partnership(user, report.partnership_id),
            "Only an administrator can set up or change a scrutiny report.",
        )
    report.full_clean()
    with transaction.atomic():
        report.refresh_response_due_date()
        stamp(report, by=user, reason=reason)
        report.save()
    return report


def record_response(
    *,
    recommendation_id: int,
    user: AnyUser | None,
    outcome: str,
    proposed_action: str = "",
    indicative_timescale: str = "",
    reasons: str = "",
    lead_cabinet_members: str = "",
    given_on: datetime.date | None = None,
    is_published: bool = False,
    reason: str = "",
    when: datetime.datetime | None = None,
) -> Response:
    """Record the respondent's answer to a recommendation, or revise the one recorded.

    `when` is for a load of responses recorded on earlier days: it dates the history row and, for
    a new response, when it was recorded (which says whether an undated one was owed at a meeting).

    Refused: an outcome that is not accepted, partially accepted or rejected; a rejection or a
    partial acceptance without reasons; a date in the future; a closed recommendation.
    """
    errors: dict[str, str] = {}
    if given_on is not None and given_on > timezone.localdate():
        errors["given_on"] = "The date of the response must be today or in the past."
    if user is not None and given_on is None:
        errors["given_on"] = "Enter the date of the response."
    with transaction.atomic():
        recommendation = _locked_recommendation(
            recommendation_id,
            user,
            "Only officers of the organisation that answers this recommendation, or an administrator, can record "
            "its response.",
        )
        _refuse_if_closed(recommendation, "a response")
        response = recommendation.response_or_none
        revising = response is not None
        if response is None:
            response = Response(recommendation=recommendation)
        response.outcome = outcome
        response.proposed_action = proposed_action.strip()
        response.indicative_timescale = indicative_timescale.strip()
        response.reasons = reasons.strip()
        response.lead_cabinet_members = "\n".join(
            line.strip() for line in lead_cabinet_members.splitlines() if line.strip()
        )
        response.given_on = given_on
        response.is_published = is_published
        # Kept now, so that a later change to the report or the rules cannot rewrite whether it came in time.
        response.keep_due_date(recommendation)
        # The model's own rules first, so that their plain words are the ones shown.
        for check in (response.clean, lambda: response.clean_fields(exclude=["recommendation"])):
            try:
                check()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, messages[0])
        if errors:
            raise ValidationError(errors)
        label = Outcome(outcome).label
        response.recorded_by = person(user) or response.recorded_by
        stamp(
            response,
            by=user,
            reason=reason or (f"Response revised: {label}" if revising else f"Response recorded: {label}"),
            when=when,
        )
        response.save()
        if when is not None and not revising:
            # recorded_at is set on insert (auto_now_add); a load says when it really was.
            Response.objects.filter(pk=response.pk).update(recorded_at=when)
            response.recorded_at = when
    return response


def add_implementation_update(
    *,
    recommendation_id: int,
    user: AnyUser | None,
    progress: str,
    reported_on: datetime.date | None,
    implemented: bool = False,
    action_ids: Iterable[int] = (),
    reason: str = "",
) -> ImplementationUpdate:
    """Add a report of progress on a recommendation, linking any PAP actions it names.

    Linked actions are also linked to the recommendation itself, so each action's page lists the
    recommendations it helps deliver. Refused for a closed recommendation.
    """
    errors: dict[str, str] = {}
    if not progress.strip():
        errors["progress"] = "Describe the progress made."
    if reported_on is None:
        errors["reported_on"] = "Enter the date of the update."
    elif reported_on > timezone.localdate():
        errors["reported_on"] = "The date of the update must be today or in the past."
    with transaction.atomic():
        recommendation = _locked_recommendation(
            recommendation_id,
            user,
            "Only officers of the organisation that answers this recommendation, or an administrator, can add "
            "updates to it.",
        )
        _refuse_if_closed(recommendation, "more updates")
        actions: list[Action] = []
        try:
            actions = _actions_in_partnership(action_ids, recommendation.report.partnership_id)
        except ValidationError as exc:
            errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
        if errors:
            raise ValidationError(errors)
        update = ImplementationUpdate(
            recommendation=recommendation,
            reported_on=cast(datetime.date, reported_on),  # checked above
            progress=progress.strip(),
            implemented=implemented,
            created_by=person(user),
            created_by_label=actor_label(user),
        )
        update.full_clean(exclude=["recommendation"])
        stamp(update, by=user, reason=reason or ("Update: implemented" if implemented else "Update: progress reported"))
        update.save()
        if actions:
            # The change of links is its own history row, after the one that added the update.
            stamp(update, by=user, reason=_linked_to(actions))
            update.actions.set(actions)
            existing = set(recommendation.actions.values_list("pk", flat=True))
            _add_links(recommendation, [action for action in actions if action.pk not in existing], user, "")
    return update


def _linked_to(actions: list[Action]) -> str:
    return "Linked to PAP " + ", ".join(action.published_ref for action in actions)


def _add_links(recommendation: Recommendation, actions: list[Action], user: AnyUser | None, reason: str) -> None:
    """Adding links writes one history row of the recommendation, by simple-history's m2m signal."""
    if not actions:
        return
    stamp(recommendation, by=user, reason=reason or _linked_to(actions))
    recommendation.actions.add(*actions)


def _save_recommendation(recommendation: Recommendation, user: AnyUser | None, reason: str) -> None:
    stamp(recommendation, by=user, reason=reason)
    recommendation.save()


def link_actions(*, recommendation_id: int, user: AnyUser | None, action_ids: Iterable[int], reason: str = "") -> None:
    """Link a recommendation to the PAP actions that deliver it (adding to any links it has)."""
    with transaction.atomic():
        recommendation = _locked_recommendation(
            recommendation_id,
            user,
            "Only the answering organisation's officers, or an administrator, can link actions.",
        )
        actions = _actions_in_partnership(action_ids, recommendation.report.partnership_id)
        existing = set(recommendation.actions.values_list("pk", flat=True))
        _add_links(recommendation, [action for action in actions if action.pk not in existing], user, reason)


def close_recommendation(*, recommendation_id: int, user: AnyUser | None, reason: str) -> Recommendation:
    """Close a recommendation: the committee has what it asked for, or has stopped following it.

    A closed recommendation takes no more responses or updates.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why the recommendation is being closed."})
    with transaction.atomic():
        recommendation = _locked_recommendation(
            recommendation_id,
            user,
            "Only officers of the organisation that answers this recommendation, or an administrator, can close it.",
        )
        if recommendation.closed_at is not None:
            raise ValidationError({NON_FIELD_ERRORS: f"{recommendation.reference} is already closed."})
        recommendation.closed_at = timezone.now()
        recommendation.closed_by = person(user)
        recommendation.closed_reason = reason.strip()
        _save_recommendation(recommendation, user, f"Closed: {reason.strip()}")
    return recommendation


def reopen_recommendation(*, recommendation_id: int, user: AnyUser | None, reason: str) -> Recommendation:
    """Reopen a closed recommendation (administrators only), e.g. when the committee asks for more."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the recommendation is being reopened."})
    with transaction.atomic():
        recommendation = _locked_recommendation(recommendation_id, None, "")
        if user is not None:
            access.require(
                access.may_change_in_partnership(user, recommendation.report.partnership_id),
                "Only an administrator can reopen a recommendation.",
            )
        if recommendation.closed_at is None:
            raise ValidationError({NON_FIELD_ERRORS: f"{recommendation.reference} is not closed."})
        recommendation.closed_at = None
        recommendation.closed_by = None
        recommendation.closed_reason = ""
        _save_recommendation(recommendation, user, f"Reopened: {reason.strip()}")
    return recommendation


# ---------------------------------------------------------------------------------------------
# A scrutiny report entered in the browser, with its recommendations pasted as a numbered list

PASTE_LIMIT = 100_000
TITLE_LIMIT = 300
# The clocks count in this century; a date typed as 9999 would overflow them.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def committee_rule(committee: Board) -> str:
    """The law under which the committee asks for responses: as its latest report says, else the
    28 days of health scrutiny for a health scrutiny committee (its name says so, as HOSC's does),
    else the two months of overview and scrutiny."""
    latest = committee.scrutiny_reports.order_by("-received_on", "-pk").values_list("regime", flat=True).first()
    if latest:
        return latest
    if "health" in committee.name.lower():
        return ResponseRegime.HEALTH_SCRUTINY
    return ResponseRegime.OVERVIEW_AND_SCRUTINY


@dataclass(frozen=True)
class ReportDraft:
    """A scrutiny report checked and ready to save: what the check page shows and confirm saves."""

    committee: Board
    title: str
    meeting_date: datetime.date
    received_on: datetime.date
    regime: str
    recommendations: list[Pasted]
    preamble: str

    @property
    def deadline(self) -> Deadline | None:
        if self.regime == ResponseRegime.NONE:
            return None
        return Deadline(statutory_due_date(self.regime, self.received_on), self.regime)

    @property
    def regime_label(self) -> str:
        return ResponseRegime(self.regime).label

    @property
    def rule_citation(self) -> str:
        rule = RULES.get(self.regime)
        return rule.legal_basis if rule else ""


def read_report(
    *,
    partnership_id: int,
    committee_id: int | None,
    title: str,
    meeting_date: datetime.date | None,
    received_on: datetime.date | None,
    pasted: str,
    regime: str | None = None,
) -> ReportDraft:
    """Check a report and split its pasted recommendations, writing nothing. `regime` None: the
    committee's rule (committee_rule). ValidationError names each field that is wrong."""
    errors: dict[str, str] = {}
    committee = (
        Board.objects.filter(pk=committee_id, partnership_id=partnership_id, kind__in=SCRUTINY_BODY_KINDS).first()
        if committee_id is not None
        else None
    )
    if committee is None:
        errors["committee"] = "Choose the scrutiny committee that made the report."
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter the report's title."
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"Keep the title to {TITLE_LIMIT} characters or fewer."
    elif committee is not None and committee.scrutiny_reports.filter(title__iexact=title).exists():
        errors["title"] = f"{committee} already has a report called {title}."
    for name, day, what in (
        ("meeting_date", meeting_date, "the date the committee agreed the report"),
        ("received_on", received_on, "the date the response was requested"),
    ):
        if day is None:
            errors[name] = f"Enter {what}."
        elif not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[name] = f"Enter {what} between {FIRST_YEAR} and {LAST_YEAR}."
    if not errors.keys() & {"meeting_date", "received_on"} and received_on < meeting_date:  # type: ignore[operator]
        errors["received_on"] = "The response cannot have been requested before the committee agreed the report."
    if regime is not None and regime not in ResponseRegime.values:
        errors["regime"] = "Choose the law under which the response is required."
    found = split_numbered_list(pasted) if len(pasted or "") <= PASTE_LIMIT else None
    if found is None:
        errors["pasted"] = f"The list is longer than {PASTE_LIMIT:,} characters: enter the report in parts."
    elif found.problems:
        errors["pasted"] = " ".join(found.problems)
    elif not found.recommendations:
        errors["pasted"] = "Paste the report's recommendations, each starting with its number."
    if errors or committee is None or found is None or meeting_date is None or received_on is None:
        raise ValidationError(errors)
    return ReportDraft(
        committee=committee,
        title=title,
        meeting_date=meeting_date,
        received_on=received_on,
        regime=regime or committee_rule(committee),
        recommendations=found.recommendations,
        preamble=found.preamble,
    )


def enter_report(*, partnership_id: int, user: AnyUser | None, **fields: object) -> Report:
    """Save a scrutiny report and its numbered recommendations together, in one transaction
    (administrators). `fields` are read_report's; the statutory clock starts from the date the
    response was requested, under the report's regime. Each row's history says who entered it."""
    if user is not None:
        access.require(
            access.may_change_in_partnership(user, partnership_id),
            "Only an administrator can enter a scrutiny report.",
        )
    with transaction.atomic():
        draft = read_report(partnership_id=partnership_id, **fields)  # type: ignore[arg-type]
        report = Report(
            partnership_id=partnership_id,
            committee=draft.committee,
            title=draft.title,
            meeting_date=draft.meeting_date,
            received_on=draft.received_on,
            regime=draft.regime,
        )
        count = len(draft.recommendations)
        save_report(report, user=user, reason=f"Entered with {count} recommendation{'s' if count != 1 else ''}")
        for position, pasted in enumerate(draft.recommendations, start=1):
            recommendation = Recommendation(report=report, number=pasted.number, position=position, text=pasted.text)
            recommendation.full_clean(exclude=["report"])
            _save_recommendation(recommendation, user, f"Entered with the report {draft.title}")
    return report
