"""Writes to the plan. Views, the API, commands and the admin all call these functions."""

from __future__ import annotations

import codecs
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from send_tracker import freshness
from send_tracker.accounts import access
from send_tracker.accounts.models import Organisation, Partnership, User
from send_tracker.checks import checked_text as _text
from send_tracker.history import StaleVersionError, person, stamp

from .choices import EVIDENCE_REQUIRED, ActionStatus, Brag, DueDateKind, PlanKind, RetirementReason
from .models import (
    Action,
    AreaForImprovement,
    Objective,
    Plan,
    PriorityArea,
    RatingUpdate,
    Theme,
    Workstream,
)
from .refs import canonical_ref

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

# Evidence a board would recognise: documents, spreadsheets, slides, images and plain text.
# Each extension is checked against the file's first bytes, so a renamed executable is refused.
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (_ZIP,),
    ".xlsx": (_ZIP,),
    ".pptx": (_ZIP,),
    ".odt": (_ZIP,),
    ".ods": (_ZIP,),
    ".doc": (_OLE,),
    ".xls": (_OLE,),
    ".csv": (),
    ".txt": (),
}
EVIDENCE_EXTENSIONS_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG"


class StaleEditError(StaleVersionError):
    """Someone else saved the action after this editor loaded it; nothing was written."""

    def __init__(self, action: Action, based_on_version: int) -> None:
        self.action = action
        super().__init__(
            action, based_on_version, f"{action.published_ref} was changed by someone else after you opened it"
        )


@dataclass(frozen=True)
class Evidence:
    text: str = ""
    link: str = ""
    file: UploadedFile | None = None

    @property
    def is_given(self) -> bool:
        return bool(self.text.strip() or self.link.strip() or self.file)


def validate_evidence_file(upload: UploadedFile) -> None:
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            {"evidence_file": f"The evidence file must be {EVIDENCE_EXTENSIONS_TEXT}; {name!r} is not."}
        )
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"evidence_file": f"The evidence file must be smaller than {limit // (1024 * 1024)} MB."})
    if upload.size == 0:
        raise ValidationError({"evidence_file": "The evidence file is empty."})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = EVIDENCE_SIGNATURES[suffix]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError({"evidence_file": f"The file's contents do not match a {suffix} file."})
    if not signatures and not _looks_like_text(head):
        raise ValidationError({"evidence_file": f"A {suffix} evidence file must be plain UTF-8 text."})


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        # Incremental, so a character cut in two at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def validate_rating_update(brag: str, commentary: str, evidence: Evidence, *, confirming: bool = False) -> None:
    errors: dict[str, str] = {}
    if brag not in Brag.values:
        errors["brag"] = "Select a rating."
    if not commentary.strip():
        errors["commentary"] = "Enter a commentary saying why the rating is what it is."
    if evidence.link.strip():
        try:
            URLValidator(schemes=["http", "https"])(evidence.link.strip())
        except ValidationError:
            errors["evidence_link"] = (
                "Enter the evidence link as a full web address, like https://www.example.org/report."
            )
    # Confirming a Green or Blue rating unchanged stands on the evidence given with it.
    if brag in EVIDENCE_REQUIRED and not evidence.is_given and not confirming:
        label = Brag(brag).label
        errors["evidence_text"] = (
            f"A {label} rating needs {EVIDENCE_REQUIRED[brag]}: describe it, link to it or upload a file."
        )
    if errors:
        raise ValidationError(errors)
    if evidence.file is not None:
        validate_evidence_file(evidence.file)


def record_rating_update(
    *,
    action_id: int,
    user: AnyUser,
    brag: str,
    commentary: str,
    based_on_version: int,
    evidence: Evidence | None = None,
    commentary_is_public: bool = False,
    confirming: bool = False,
) -> RatingUpdate:
    """Record a new BRAG rating for an action, with the commentary and evidence behind it.

    Refused with ValidationError for bad input, PermissionDenied for a user who may not change the
    action, and StaleEditError when the action changed since `based_on_version` was read. In every
    refusal nothing is written. `confirming`: the owner confirms the rating unchanged (see
    confirm_rating_unchanged), which history records as such.
    """
    evidence = evidence or Evidence()
    validate_rating_update(brag, commentary, evidence, confirming=confirming)
    with transaction.atomic():
        # The row lock makes read-check-write safe on PostgreSQL; SQLite's IMMEDIATE transactions
        # serialise writers to the same effect.
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        access.require(action.can_be_changed_by(user), "Only the owning organisation's officers can rate this action.")
        if action.version != based_on_version:
            raise StaleEditError(action, based_on_version)
        if action.status == ActionStatus.RETIRED:
            raise ValidationError({"brag": "This action is retired: it is no longer rated."})
        if confirming and action.brag != brag:
            raise StaleEditError(action, based_on_version)
        return write_rating(
            action,
            brag=brag,
            commentary=commentary,
            by=user,
            evidence=evidence,
            commentary_is_public=commentary_is_public,
            reason=f"{CONFIRMED_UNCHANGED}: {commentary.strip()}" if confirming else None,
        )


CONFIRMATION_LIMIT = 1000
CONFIRMED_UNCHANGED = "Confirmed unchanged"


def confirm_rating_unchanged(*, action_id: int, user: AnyUser, commentary: str, based_on_version: int) -> RatingUpdate:
    """An owner's confirmation, in an update round, that the action's rating still stands: a rating
    update at the rating it has (record_rating_update, so the same checks, lock and history), whose
    brag equals its previous_brag; the timeline calls it "Confirmed unchanged".

    The rating confirmed is the one the officer saw: `based_on_version` pins it, so a rating changed
    meanwhile is refused as stale. An action never rated has nothing to confirm.
    """
    commentary = (commentary or "").strip()
    errors: dict[str, str] = {}
    if not commentary:
        errors["commentary"] = "Enter a short commentary saying why the rating still stands."
    elif len(commentary) > CONFIRMATION_LIMIT:
        errors["commentary"] = f"Keep it to {CONFIRMATION_LIMIT} characters or fewer (it has {len(commentary)})."
    brag = Action.objects.filter(pk=action_id).values_list("brag", flat=True).first()
    if brag is None and not errors:
        errors["commentary"] = "This action has not been rated yet, so there is no rating to confirm: rate it instead."
    if errors:
        raise ValidationError(errors)
    return record_rating_update(
        action_id=action_id,
        user=user,
        brag=str(brag),
        commentary=commentary,
        based_on_version=based_on_version,
        confirming=True,
    )


def write_rating(
    action: Action,
    *,
    brag: str,
    commentary: str,
    by: AnyUser | None,
    when: datetime.datetime | None = None,
    evidence: Evidence | None = None,
    commentary_is_public: bool = False,
    reason: str | None = None,
) -> RatingUpdate:
    """Writes a rating: the action's rating, a new version, its history row and the RatingUpdate.

    The one writer of a rating, for `record_rating_update` (after it has validated the input,
    locked the action and checked its version), the plan's importer and the sample data's demo
    history. It checks nothing: its callers have. An action not saved yet is saved at its first
    version. `when` backdates a load's rating (its history row, `rated_at` and the update) to the
    day it records; `reason` is the history's reason when it is not the commentary itself (the
    importer's and the demo's).
    """
    evidence = evidence or Evidence()
    commentary = commentary.strip()
    previous = action.brag if action.pk else None
    action.brag = brag
    action.brag_commentary = commentary
    action.brag_commentary_is_public = commentary_is_public
    action.rated_at = when or timezone.now()
    # An API key's principal is not a person; its organisation is named in history_actor.
    action.rated_by = person(by)
    if action.pk:
        action.version += 1
    label = stamp(action, by=by, reason=commentary if reason is None else reason, when=when)
    action.save()
    update = RatingUpdate(
        action=action,
        version=action.version,
        brag=brag,
        previous_brag=previous,
        commentary=commentary,
        commentary_is_public=commentary_is_public,
        evidence_text=evidence.text.strip(),
        evidence_link=evidence.link.strip(),
        created_by=action.rated_by,
        created_by_label=label,
    )
    if evidence.file is not None:
        update.evidence_filename = Path(evidence.file.name or "evidence").name[:255]
        update.evidence_content_type = (evidence.file.content_type or "")[:100]
        update.evidence_size = evidence.file.size
        update.evidence_file = evidence.file
    update.save()
    if when is not None:
        # created_at is set on insert; a backdated rating's update belongs on its day.
        RatingUpdate.objects.filter(pk=update.pk).update(created_at=when)
        update.created_at = when
        freshness.bump(action.plan.partnership_id)  # an update() sends no signal
    return update


# ---------------------------------------------------------------------------------------------
# Editing the plan: priority areas, objectives and actions, and retiring an action. Nothing is
# deleted: a retired action keeps its history and stays in the plan, marked retired.

TEXT_LIMIT = 5000
NUMBER_LIMIT = 99


class StaleRowError(StaleVersionError):
    """Someone else saved the priority area or objective after this editor opened it."""

    def __init__(self, row: PriorityArea | Objective, based_on_version: int) -> None:
        super().__init__(
            row, based_on_version, f"{row} was changed by someone else after you opened it", versions=False
        )


@dataclass(frozen=True)
class ActionDetails:
    """Everything an administrator sets on an action: what the plan says of it."""

    objective_id: int | None
    published_ref: str
    description: str
    owner_id: int | None = None
    lead_officer_id: int | None = None
    lead_officer_name: str = ""
    due_date: datetime.date | None = None
    success_measure: str = ""
    theme_ids: tuple[int, ...] = ()
    workstream_ids: tuple[int, ...] = ()
    area_for_improvement_ids: tuple[int, ...] = ()


def _require_administrator(user: AnyUser, plan: Plan) -> None:
    access.require(
        access.may_change_in_partnership(user, plan.partnership_id),
        "Only an administrator of the partnership can change the plan's areas, objectives and actions.",
    )


def _due_date_fields(due_date: datetime.date | None, current: Action | None) -> dict[str, object]:
    """The target date and how it reads. A date set here is written out in full ('31 March 2025');
    one left as it was keeps its published wording ('Sept 24'), and none at all is to be confirmed,
    unless the plan had it as ongoing."""
    if current is not None and current.due_date == due_date:
        return {}
    if due_date is None:
        kind = current.due_date_kind if current is not None and current.due_date_kind != DueDateKind.DATE else None
        kind = kind or DueDateKind.TBC
        return {"due_date": None, "due_date_kind": kind, "due_date_text": DueDateKind(kind).label}
    if not EARLIEST_TARGET_DATE <= due_date <= LATEST_TARGET_DATE:
        # A year typed as 0001 or 9999 is a slip of the keyboard, and would count as years of slip.
        raise ValidationError(
            {"due_date": f"Enter a target date between {EARLIEST_TARGET_DATE.year} and {LATEST_TARGET_DATE.year}."}
        )
    return {"due_date": due_date, "due_date_kind": DueDateKind.DATE, "due_date_text": long_date(due_date)}


EARLIEST_TARGET_DATE, LATEST_TARGET_DATE = datetime.date(2010, 1, 1), datetime.date(2099, 12, 31)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_officer(errors: dict[str, str], plan: Plan, lead_officer_id: int | None) -> None:
    if (
        lead_officer_id is not None
        and not User.objects.filter(
            pk=lead_officer_id, organisation__partnership_id=plan.partnership_id, is_active=True
        ).exists()
    ):
        errors["lead_officer"] = "Choose the lead officer from the partnership's people."


def _checked_details(plan: Plan, details: ActionDetails, action: Action | None) -> dict[str, object]:
    """The action's columns from `details`, every reference checked to belong to `plan`."""
    errors: dict[str, str] = {}
    published_ref = _text(errors, "published_ref", details.published_ref, 20, "Enter the action's reference.")
    ref = ""
    if published_ref and "published_ref" not in errors:
        try:
            ref = canonical_ref(published_ref)
        except ValueError:
            errors["published_ref"] = "Enter the reference like 3A4, 3A:4 or 1.2."
    if ref and Action.objects.filter(plan=plan, ref=ref).exclude(pk=action.pk if action else None).exists():
        errors["published_ref"] = f"The plan already has an action {ref}."
    description = _text(errors, "description", details.description, TEXT_LIMIT, "Enter what the action will do.")
    success_measure = _text(errors, "success_measure", details.success_measure, TEXT_LIMIT)
    lead_officer_name = _text(errors, "lead_officer_name", details.lead_officer_name, 200)
    objective = Objective.objects.filter(pk=details.objective_id or 0, priority_area__plan=plan).first()
    if objective is None:
        errors["objective"] = "Choose the objective the action serves."
    if (
        details.owner_id is not None
        and not Organisation.objects.filter(pk=details.owner_id, partnership_id=plan.partnership_id).exists()
    ):
        errors["owner"] = "Choose the owner from the partnership's organisations."
    _check_officer(errors, plan, details.lead_officer_id)
    for name, model, ids in (
        ("themes", Theme, details.theme_ids),
        ("workstreams", Workstream, details.workstream_ids),
        ("areas_for_improvement", AreaForImprovement, details.area_for_improvement_ids),
    ):
        if model.objects.filter(plan=plan, pk__in=ids).count() != len(set(ids)):
            errors[name] = "Choose from the plan's own list."
    if errors:
        raise ValidationError(errors)
    return {
        "objective": objective,
        "ref": ref,
        "published_ref": published_ref,
        "description": description,
        "owner_id": details.owner_id,
        "lead_officer_id": details.lead_officer_id,
        "lead_officer_name": lead_officer_name,
        "success_measure": success_measure,
        **_due_date_fields(details.due_date, action),
    }


def _link(action: Action, details: ActionDetails) -> None:
    action.themes.set(details.theme_ids)
    action.workstreams.set(details.workstream_ids)
    action.areas_for_improvement.set(details.area_for_improvement_ids)


def add_action(*, plan_id: int, user: AnyUser, details: ActionDetails, reason: str = "") -> Action:
    """An administrator adds an action to the plan, at the end of its objective's actions."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        _require_administrator(user, plan)
        columns = _checked_details(plan, details, None)
        errors: dict[str, str] = {}
        why = _text(errors, "reason", reason, TEXT_LIMIT) or "Added to the plan"
        if errors:
            raise ValidationError(errors)
        action = Action(plan=plan, position=_position_in(plan, columns["objective"]), **columns)
        stamp(action, by=user, reason=why)
        action.save()
        _link(action, details)
    return action


def edit_action(
    *, action_id: int, user: AnyUser, details: ActionDetails, based_on_version: int, reason: str = ""
) -> Action:
    """An administrator edits what the plan says of an action. A new target date needs a reason."""
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        _require_administrator(user, action.plan)
        columns = _checked_details(action.plan, details, action)
        errors: dict[str, str] = {}
        if action.status == ActionStatus.RETIRED and "due_date" in columns:
            errors["due_date"] = RETIRED_DATE
        why = _text(errors, "reason", reason, TEXT_LIMIT, _reason_needed(columns))
        if errors:
            raise ValidationError(errors)
        if action.version != based_on_version:
            raise StaleEditError(action, based_on_version)
        for name, value in columns.items():
            setattr(action, name, value)
        action.version += 1
        stamp(action, by=user, reason=why or "Details edited")
        action.save()
        _link(action, details)
    return action


def _reason_needed(columns: dict[str, object]) -> str:
    """The message for a missing reason: a new target date needs one, other edits do not."""
    return "Enter why the target date is changing." if "due_date" in columns else ""


def _position_in(plan: Plan, objective: object) -> int:
    """After the objective's last action (its ref orders it among them), or else at the plan's end."""
    positions = Action.objects.filter(plan=plan).order_by("-position").values_list("position", flat=True)
    last = positions.filter(objective=objective).first()
    return last if last is not None else (positions.first() or 0) + 1


class Unchanged:
    """The lead officer argument of `revise_action` when the lead officer is not to change."""


UNCHANGED = Unchanged()


def revise_action(
    *,
    action_id: int,
    user: AnyUser,
    due_date: datetime.date | None,
    based_on_version: int,
    reason: str,
    lead_officer_id: int | None | Unchanged = UNCHANGED,
    lead_officer_name: str | None = None,
) -> Action:
    """An officer of the owning organisation (or an administrator) moves an action's target date or
    names its lead officer. A changed target date needs a reason, which history keeps whole.
    `lead_officer_id` and `lead_officer_name` left as UNCHANGED and None keep the lead officer."""
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        access.require(
            action.can_be_changed_by(user),
            "Only officers of the organisation that owns this action, or an administrator, can change it.",
        )
        errors: dict[str, str] = {}
        if action.status == ActionStatus.RETIRED:
            errors["due_date"] = RETIRED_DATE
        columns = _due_date_fields(due_date, action)
        if lead_officer_id is not UNCHANGED:
            _check_officer(errors, action.plan, lead_officer_id)  # type: ignore[arg-type]
            columns["lead_officer_id"] = lead_officer_id
        if lead_officer_name is not None:
            columns["lead_officer_name"] = _text(errors, "lead_officer_name", lead_officer_name, 200)
        why = _text(errors, "reason", reason, TEXT_LIMIT, _reason_needed(columns))
        if errors:
            raise ValidationError(errors)
        if action.version != based_on_version:
            raise StaleEditError(action, based_on_version)
        changed = {name: value for name, value in columns.items() if getattr(action, name) != value}
        if not changed:
            return action
        for name, value in changed.items():
            setattr(action, name, value)
        action.version += 1
        stamp(action, by=user, reason=why or "Lead officer changed")
        action.save()
    return action


RETIRED_DATE = "This action is retired: its target date no longer changes."


def retire_action(
    *,
    action_id: int,
    user: AnyUser,
    reason: str,
    note: str,
    based_on_version: int,
    merged_into_id: int | None = None,
) -> Action:
    """An administrator retires an action: it stays in the plan and its history, marked retired, no
    longer counted among the open actions or alerted as overdue. Superseded and merged actions name
    the action that took them over."""
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        _require_administrator(user, action.plan)
        errors: dict[str, str] = {}
        if action.status == ActionStatus.RETIRED:
            errors["reason"] = "This action is already retired."
        if reason not in RetirementReason.values:
            errors["reason"] = "Choose why the action is retired."
        note = _text(errors, "note", note, TEXT_LIMIT, "Enter a note saying why the action is retired.")
        merged_into = None
        if reason in (RetirementReason.SUPERSEDED, RetirementReason.MERGED):
            merged_into = (
                Action.objects.filter(plan=action.plan, pk=merged_into_id or 0, status=ActionStatus.OPEN)
                .exclude(pk=action.pk)
                .first()
            )
            if merged_into is None:
                errors["merged_into"] = "Choose the open action of the plan that takes this one over."
        if errors:
            raise ValidationError(errors)
        if action.version != based_on_version:
            raise StaleEditError(action, based_on_version)
        action.status = ActionStatus.RETIRED
        action.retired_reason = reason
        action.retired_note = note
        action.retired_on = timezone.localdate()
        action.merged_into = merged_into
        action.version += 1
        stamp(action, by=user, reason=note)
        action.save()
    return action


def save_priority_area(
    *,
    plan_id: int,
    user: AnyUser,
    number: int | None,
    title: str,
    description: str,
    area_id: int | None = None,
    based_on_version: int | None = None,
) -> PriorityArea:
    """An administrator adds a priority area (no `area_id`) or edits one."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        _require_administrator(user, plan)
        area = PriorityArea(plan=plan) if area_id is None else plan.priority_areas.select_for_update().get(pk=area_id)
        errors: dict[str, str] = {}
        if number is None or not 1 <= number <= NUMBER_LIMIT:
            errors["number"] = f"Enter the area's number, from 1 to {NUMBER_LIMIT}."
        elif plan.priority_areas.filter(number=number).exclude(pk=area.pk).exists():
            errors["number"] = f"The plan already has a priority area {number}."
        values: dict[str, object] = {
            "number": number,
            "title": _text(errors, "title", title, 200, "Enter the area's short name."),
            "description": _text(errors, "description", description, TEXT_LIMIT),
        }
        return _save_row(area, values, errors, user, based_on_version, "Priority area")


def save_objective(
    *,
    plan_id: int,
    user: AnyUser,
    priority_area_id: int | None,
    code: str,
    text: str,
    objective_id: int | None = None,
    based_on_version: int | None = None,
) -> Objective:
    """An administrator adds an objective (no `objective_id`) or edits one."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        _require_administrator(user, plan)
        in_plan = Objective.objects.filter(priority_area__plan=plan)
        objective = Objective() if objective_id is None else in_plan.select_for_update().get(pk=objective_id)
        errors: dict[str, str] = {}
        area = plan.priority_areas.filter(pk=priority_area_id or 0).first()
        if area is None:
            errors["priority_area"] = "Choose the priority area the objective belongs to."
        code = _text(errors, "code", code, 10, "Enter the objective's code, like 3A.").upper()
        if area and code and in_plan.filter(priority_area=area, code=code).exclude(pk=objective.pk).exists():
            errors["code"] = f"PAP {area.number} already has an objective {code}."
        values: dict[str, object] = {
            "priority_area": area,
            "code": code,
            "text": _text(errors, "text", text, TEXT_LIMIT, "Enter the outcome the objective seeks."),
        }
        if objective.pk is None and area is not None:
            values["position"] = (area.objectives.count() or 0) + 1
        return _save_row(objective, values, errors, user, based_on_version, "Objective")


Row = TypeVar("Row", PriorityArea, Objective)


def _save_row(
    row: Row, values: dict[str, object], errors: dict[str, str], user: AnyUser, based_on: int | None, what: str
) -> Row:
    if errors:
        raise ValidationError(errors)
    # An edit sent without the version it was read at is stale, as an action's is: never saved over.
    if row.pk is not None and row.version != (based_on or 0):
        raise StaleRowError(row, based_on or 0)
    for name, value in values.items():
        setattr(row, name, value)
    if row.pk is not None:
        row.version += 1
    stamp(row, by=user, reason=f"{what} {'edited' if row.pk else 'added'}")
    row.save()
    return row


# ---------------------------------------------------------------------------------------------
# The plan's sign-off: the day its baseline is taken (actions/baseline.py)


def record_sign_off(*, plan_id: int, user: AnyUser, approved_date: datetime.date, note: str = "") -> Plan:
    """An administrator records (or corrects) the day the plan was signed off, when Ofsted and the
    CQC confirmed it met the criteria. The baseline is the plan as it stood at the end of that day,
    so changing the date moves the baseline. History keeps the change, with `note` as the reason
    when one is given. Refused: a day after today (Europe/London) or before the inspection report."""
    note = note.strip()
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan_id)
        access.require(
            access.may_change_in_partnership(user, plan.partnership_id),
            "Only an administrator of the partnership can record when the plan was signed off.",
        )
        if approved_date > timezone.localdate():
            raise ValidationError({"approved_date": "The sign-off date must be today or in the past."})
        if plan.inspection_report_date and approved_date < plan.inspection_report_date:
            published = plan.inspection_report_date
            raise ValidationError(
                {
                    "approved_date": "The sign-off date must be on or after the inspection report, "
                    f"published {published.day} {published:%B %Y}."
                }
            )
        if len(note) > SIGN_OFF_NOTE_LIMIT:
            raise ValidationError({"note": f"Keep the note to {SIGN_OFF_NOTE_LIMIT} characters or fewer."})
        if plan.approved_date == approved_date:
            return plan
        plan.approved_date = approved_date
        stamp(plan, by=user, reason=note or f"Signed off on {approved_date.day} {approved_date:%B %Y}")
        plan.save()
    return plan


SIGN_OFF_NOTE_LIMIT = 5000


DEFAULT_PLAN_TITLE = "Priority Action Plan"


def current_priority_action_plan(partnership: Partnership, *, by: AnyUser | None) -> Plan:
    """The partnership's current Priority Action Plan, made (empty, current) when it has none: what a
    plan imported into a partnership that has no plan yet is imported into."""
    current = (
        Plan.objects.filter(partnership=partnership, kind=PlanKind.PRIORITY_ACTION_PLAN, is_current=True)
        .order_by("pk")
        .first()
    )
    if current is not None:
        return current
    plan = Plan.objects.filter(partnership=partnership, title=DEFAULT_PLAN_TITLE).first()
    if plan is None:
        plan = Plan(partnership=partnership, title=DEFAULT_PLAN_TITLE, kind=PlanKind.PRIORITY_ACTION_PLAN)
        stamp(plan, by=by, reason="Plan started, to import it from a spreadsheet")
        plan.save()
    return plan


def start_plan(*, user: AnyUser) -> Plan:
    """The plan an administrator of a partnership with no plan yet imports their spreadsheet into."""
    partnership = access.administered_partnership(
        user, "Only an administrator of the partnership can start its plan from a spreadsheet."
    )
    with transaction.atomic():
        return current_priority_action_plan(partnership, by=user)
