"""An action's timeline: every change from its history, with who, when, why and the evidence."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .choices import NOT_YET_RATED, ActionStatus, Brag, RetirementReason
from .forum import views_of
from .models import Action, ParentCarerView, RatingUpdate

# Fields a reader of the timeline cares about, with the words used for them on the page.
TRACKED_FIELDS: dict[str, str] = {
    "brag": "Rating",
    "brag_commentary": "Commentary",
    "due_date_text": "Target date",
    "comment": "Published comment",
    "description": "Action",
    "owner": "Owner",
    "lead_officer": "Lead officer",
    "lead_officer_name": "Lead officer (named)",
    "success_measure": "Success measure",
    "themes_text": "Theme",
    "workstreams_text": "Project",
    "status": "Status",
    "retired_reason": "Reason retired",
    "merged_into": "Taken over by",
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    when: datetime.datetime
    who: str
    why: str
    kind: str  # "created", "rating", "edit", "retired", or "forum" (the forum's view or the owner's reply)
    version: int  # 0 for the forum's entries, which are not versions of the action
    brag: str | None
    changes: list[Change] = field(default_factory=list)
    rating_update: RatingUpdate | None = None
    title: str = ""  # a forum entry's heading

    @property
    def brag_label(self) -> str:
        return Brag(self.brag).label if self.brag else NOT_YET_RATED

    @property
    def is_confirmation(self) -> bool:
        """An owner confirmed the rating unchanged in an update round: a rating update at the same rating."""
        update = self.rating_update
        return update is not None and update.brag == update.previous_brag


def entry_summary(entry: TimelineEntry) -> str:
    """One line for what an entry changed, as the stale edit page lists it."""
    if entry.kind == "rating":
        return f"Confirmed unchanged: {entry.brag_label}" if entry.is_confirmation else f"Rated {entry.brag_label}"
    if entry.kind == "created":
        return "Added to the plan"
    if entry.kind == "forum":
        return entry.title
    return "; ".join(f"{c.label}: “{c.old}” to “{c.new}”" for c in entry.changes) or "Details changed"


LABELS: dict[str, type[ActionStatus] | type[RetirementReason]] = {
    "status": ActionStatus,
    "retired_reason": RetirementReason,
}


def _display(field_name: str, value: object, names: dict[str, dict[object, str]]) -> str:
    if value in (None, ""):  # the page says "set to" or "removed" rather than quoting nothing
        return NOT_YET_RATED if field_name == "brag" else ""
    if field_name == "brag":
        return Brag(str(value)).label
    if field_name in LABELS:
        return str(LABELS[field_name](str(value)).label)
    if field_name in names:
        return names[field_name].get(value, str(value))
    return str(value)


def action_timeline(action: Action, forum_views: list[ParentCarerView] | None = None) -> list[TimelineEntry]:
    """Newest first, the forum's views and the owner's replies among the changes. At most five
    queries whatever the length: history, updates, and the names of owners, lead officers and the
    actions that took a retired one over; and the forum's views (actions.forum.views_of) unless
    `forum_views` are given, as the action page has read them."""
    records = list(action.history.select_related("history_user__organisation").order_by("history_date", "history_id"))
    updates = {update.version: update for update in action.rating_updates.select_related("created_by")}
    from send_tracker.accounts.models import Organisation, User

    owner_ids = {r.owner_id for r in records if r.owner_id}
    officer_ids = {r.lead_officer_id for r in records if r.lead_officer_id}
    merged_ids = {r.merged_into_id for r in records if r.merged_into_id}
    names: dict[str, dict[object, str]] = {
        "owner": {o.pk: str(o) for o in Organisation.objects.filter(pk__in=owner_ids)} if owner_ids else {},
        "lead_officer": {u.pk: u.display_name for u in User.objects.filter(pk__in=officer_ids)} if officer_ids else {},
        "merged_into": dict(Action.objects.filter(pk__in=merged_ids).values_list("pk", "published_ref"))
        if merged_ids
        else {},
    }
    entries: list[TimelineEntry] = []
    previous = None
    for record in records:
        update = updates.get(record.version)
        who = record.actor
        if previous is None:
            entry = TimelineEntry(
                when=record.history_date,
                who=who,
                why=record.why or "Added to the plan",
                kind="created",
                version=record.version,
                brag=record.brag,
            )
        else:
            changes = [
                Change(
                    label=label,
                    old=_display(field_name, _value(previous, field_name, names), names),
                    new=_display(field_name, _value(record, field_name, names), names),
                )
                for field_name, label in TRACKED_FIELDS.items()
                if _value(previous, field_name, names) != _value(record, field_name, names)
            ]
            if not changes and not update:
                previous = record
                continue
            entry = TimelineEntry(
                when=record.history_date,
                who=who,
                why=record.why,
                kind="rating" if update else "retired" if _retired_by(previous, record) else "edit",
                version=record.version,
                brag=record.brag,
                changes=changes,
                rating_update=update,
            )
        entries.append(entry)
        previous = record
    entries.extend(_forum_entries(action, views_of(action) if forum_views is None else forum_views))
    entries.sort(key=lambda entry: entry.when)
    entries.reverse()
    return entries


def _forum_entries(action: Action, views: list[ParentCarerView]) -> list[TimelineEntry]:
    """'Parent carer forum: disagrees (given on Green)' for each view the forum gave, and 'Reply
    from <owner>' for each reply (as it stands: a changed reply is in the views' history)."""
    owner = action.owner.name if action.owner_id and action.owner else "the owner"
    entries: list[TimelineEntry] = []
    for view in views:
        title = f"Parent carer forum: {view.position_verb} (given on {view.on_rating_label})"
        entries.append(_forum_entry(view.given_at, view.given_by_label, title, view.commentary, view.on_rating))
        if view.reply and view.replied_at is not None:
            reply = f"Reply from {owner}"
            entries.append(_forum_entry(view.replied_at, view.replied_by_label, reply, view.reply, view.on_rating))
    return entries


def _forum_entry(when: datetime.datetime, who: str, title: str, text: str, brag: str) -> TimelineEntry:
    return TimelineEntry(when=when, who=who, why=text, kind="forum", version=0, brag=brag, title=title)


def _retired_by(previous: object, record: object) -> bool:
    return (
        getattr(previous, "status", None) != ActionStatus.RETIRED
        and getattr(record, "status", None) == ActionStatus.RETIRED
    )


def _value(record: object, field_name: str, names: dict[str, dict[object, str]]) -> object:
    if field_name in names:
        return getattr(record, f"{field_name}_id")
    return getattr(record, field_name)
