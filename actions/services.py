"""Writes to the plan. Views, the API, commands and the admin all call these functions."""

from __future__ import annotations

import codecs
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from send_tracker import freshness
from send_tracker.accounts import access
from send_tracker.history import person, stamp

from .choices import EVIDENCE_REQUIRED, Brag
from .models import Action, RatingUpdate

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


class StaleEditError(Exception):
    """Someone else saved the action after this editor loaded it; nothing was written."""

    def __init__(self, action: Action, based_on_version: int) -> None:
        self.action = action
        self.based_on_version = based_on_version
        super().__init__(
            f"{action.published_ref} was changed by someone else after you opened it "
            f"(you started from version {based_on_version}, it is now version {action.version})."
        )

    @property
    def changes_since(self) -> list[object]:
        return list(
            self.action.history.filter(version__gt=self.based_on_version)
            .select_related("history_user__organisation")
            .order_by("history_date")
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


def validate_rating_update(brag: str, commentary: str, evidence: Evidence) -> None:
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
    if brag in EVIDENCE_REQUIRED and not evidence.is_given:
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
) -> RatingUpdate:
    """Record a new BRAG rating for an action, with the commentary and evidence behind it.

    Refused with ValidationError for bad input, PermissionDenied for a user who may not change the
    action, and StaleEditError when the action changed since `based_on_version` was read. In every
    refusal nothing is written.
    """
    evidence = evidence or Evidence()
    validate_rating_update(brag, commentary, evidence)
    with transaction.atomic():
        # The row lock makes read-check-write safe on PostgreSQL; SQLite's IMMEDIATE transactions
        # serialise writers to the same effect.
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        access.require(action.can_be_changed_by(user), "Only the owning organisation's officers can rate this action.")
        if action.version != based_on_version:
            raise StaleEditError(action, based_on_version)
        return write_rating(
            action,
            brag=brag,
            commentary=commentary,
            by=user,
            evidence=evidence,
            commentary_is_public=commentary_is_public,
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
