"""The parent carer forum's view of a rating, and the owner's reply: who may give them, the writes,
and how they are read beside the ratings (the action page, the plan's and a meeting's tables, the
dashboard, the public page, the API and the board pack).

The forum speaks through its officers: people of an organisation of the parent carer forum kind,
with the Officer or Administrator role, in the action's partnership, about an action another
organisation owns (on its own actions the forum sets the rating itself). The owner answers through
its officers and administrators. Nobody else does either, an administrator of another organisation
included: the view is the forum's voice and the reply the owner's.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from send_tracker.accounts import access
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.alerts.candidates import Candidate, Source, long_date, lookback_start, path_for
from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.delivery import queue_delivery
from send_tracker.alerts.sweep import sweep_source
from send_tracker.history import person, stamp

from .choices import FORUM_POSITION_VERBS, NOT_YET_RATED, ActionStatus, Brag, ForumPosition
from .models import Action, ParentCarerView, Plan, count_in_each_area
from .services import _text as checked_text

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

TEXT_LIMIT = 5000
LINK_LIMIT = 500
SPEAKING_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)

FORUM_ONLY = "Only officers of the parent carer forum can give the forum's view of a rating."
OWNERS_ONLY = "Only officers of the organisation that owns this action can reply to the forum's view."


class RatingChangedError(Exception):
    """The action was rated differently after the forum's officer opened the form: the view they
    wrote was of the earlier rating, so it is not recorded against the new one unseen."""

    def __init__(self, action: Action) -> None:
        super().__init__(f"Action {action.pk} is now rated {action.brag}.")
        self.action = action


def speaks_for_forum(user: AnyUser | None, action: Action) -> bool:
    """Whether the user gives the forum's view of this action's rating: an officer (or
    administrator) of a parent carer forum of the action's partnership, which does not own it."""
    someone = access.person(user)
    organisation = someone.organisation if someone is not None else None
    return bool(
        someone is not None
        and organisation is not None
        and someone.role in SPEAKING_ROLES
        and organisation.kind == OrganisationKind.PARENT_CARER_FORUM
        and organisation.partnership_id == action.plan.partnership_id
        and action.owner_id != organisation.pk
    )


def speaks_for_owner(user: AnyUser | None, action: Action) -> bool:
    """Whether the user replies for the action's owner: its officers and administrators."""
    someone = access.person(user)
    return bool(
        someone is not None
        and someone.role in SPEAKING_ROLES
        and action.owner_id is not None
        and someone.organisation_id == action.owner_id
        and someone.partnership_id == action.plan.partnership_id
    )


def current_view(action: Action) -> ParentCarerView | None:
    """The forum's view now: the latest it gave on the action, whichever rating it was given on."""
    return action.parent_carer_views.select_related("action").order_by("-pk").first()


def views_of(action: Action) -> list[ParentCarerView]:
    """Every view the forum gave of the action, newest first (the first is its view now), for the
    action page's section and its timeline. One query."""
    return list(action.parent_carer_views.order_by("-pk"))


def _text(errors: dict[str, str], name: str, value: str, missing: str = "") -> str:
    """`value` trimmed; an error when it is missing (if `missing` says how), too long, or holds a
    null character (which a form refuses, and PostgreSQL cannot store)."""
    if "\x00" in (value or ""):
        errors[name] = "Remove the null character from the text (it can come with text pasted from some programs)."
        return value
    return checked_text(errors, name, value, TEXT_LIMIT, missing)


def _link(errors: dict[str, str], value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > LINK_LIMIT:
        errors["evidence_link"] = f"Keep the link to {LINK_LIMIT} characters or fewer (it has {len(value)})."
        return value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        errors["evidence_link"] = "Enter the evidence link as a full web address, like https://www.example.org/report."
    return value


def checked_view(position: str, commentary: str, evidence_text: str = "", evidence_link: str = "") -> dict[str, str]:
    """The view's columns, trimmed; ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    if position not in ForumPosition.values:
        errors["position"] = "Select whether the forum agrees, partly agrees or disagrees with the rating."
    missing = "" if position == ForumPosition.AGREE else "Enter the forum's commentary: why it does not agree."
    values = {
        "position": position,
        "commentary": _text(errors, "commentary", commentary, missing),
        "evidence_text": _text(errors, "evidence_text", evidence_text),
        "evidence_link": _link(errors, evidence_link),
    }
    if errors:
        raise ValidationError(errors)
    return values


def give_view(
    *,
    action_id: int,
    user: AnyUser,
    position: str,
    commentary: str,
    evidence_text: str = "",
    evidence_link: str = "",
    is_public: bool = False,
    on_rating: str = "",
) -> ParentCarerView:
    """An officer of the parent carer forum gives (or renews) the forum's view of the action's
    current rating. A new row each time: the earlier view and its reply stay in history. The
    owner's officers are told once (the FORUM_VIEW alert, keyed on the new view). `on_rating`, the
    rating the officer saw (the form's), if given: RatingChangedError when it is no longer the
    action's, and nothing is written."""
    values = checked_view(position, commentary, evidence_text, evidence_link)
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("plan").get(pk=action_id)
        access.require(speaks_for_forum(user, action), FORUM_ONLY)
        if action.status == ActionStatus.RETIRED:
            raise ValidationError({"position": "This action is retired: it is no longer rated."})
        if not action.brag or action.rated_at is None:
            raise ValidationError(
                {"position": "This action has not been rated yet: there is no rating to give a view on."}
            )
        if on_rating and on_rating != action.brag:
            raise RatingChangedError(action)
        view = write_view(action, by=user, values=values, is_public=is_public)
        transaction.on_commit(lambda: tell_owner(view.pk))
    return view


def write_view(
    action: Action,
    *,
    by: AnyUser | None,
    values: dict[str, str],
    is_public: bool = False,
    when: datetime.datetime | None = None,
    reason: str = "",
) -> ParentCarerView:
    """Writes the forum's view of the action's rating now: the one writer of a view, for give_view
    (after its checks, under its lock) and the sample data's demo. It checks nothing: its callers
    have (`values` from checked_view). `when` backdates a load's view (given_at and its history
    row); `reason` is the history's reason when it is not the view itself (the demo's)."""
    if not action.brag or action.rated_at is None:
        raise ValueError(f"Action {action.pk} has not been rated: a view of the forum is of a rating.")
    view = ParentCarerView(
        action=action,
        on_rating=action.brag,
        on_rated_at=action.rated_at,
        is_public=is_public,
        given_by=person(by),
        given_at=when or timezone.now(),
        **values,
    )
    view.given_by_label = stamp(view, by=by, reason=reason or _view_reason(view), when=when)
    view.save()
    return view


def _view_reason(view: ParentCarerView) -> str:
    said = f"The parent carer forum {FORUM_POSITION_VERBS[view.position]} with the {Brag(view.on_rating).label} rating"
    return f"{said}: {view.commentary}" if view.commentary else said


class ViewRenewedError(Exception):
    """The forum gave a new view after the owner's officer opened the reply form: the reply they
    wrote answers the earlier view, so it is not put under the new one unseen."""

    def __init__(self, view: ParentCarerView) -> None:
        super().__init__(f"The forum's view now is {view.pk}.")
        self.view = view


def reply_to_view(
    *, view_id: int, user: AnyUser, reply: str, reply_is_public: bool = False, replying_to: int | None = None
) -> ParentCarerView:
    """An officer of the owning organisation replies to the forum's view (or changes the reply;
    history keeps the earlier one). `replying_to`, the view the officer read (the form's), if
    given: ViewRenewedError when it is not `view_id`, the forum's view now, and nothing is written."""
    errors: dict[str, str] = {}
    text = _text(errors, "reply", reply, "Enter the reply to the forum's view.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        view = ParentCarerView.objects.select_for_update().select_related("action__plan").get(pk=view_id)
        access.require(speaks_for_owner(user, view.action), OWNERS_ONLY)
        if replying_to is not None and replying_to != view.pk:
            raise ViewRenewedError(view)
        write_reply(view, by=user, reply=text, reply_is_public=reply_is_public)
    return view


def write_reply(
    view: ParentCarerView,
    *,
    by: AnyUser | None,
    reply: str,
    reply_is_public: bool = False,
    when: datetime.datetime | None = None,
    reason: str = "",
) -> None:
    """Writes the owner's reply to a view: the one writer of a reply, for reply_to_view (after its
    checks, under its lock) and the sample data's demo. It checks nothing; `when` and `reason` as
    for write_view."""
    view.reply = reply
    view.reply_is_public = reply_is_public
    view.replied_at = when or timezone.now()
    view.replied_by = person(by)
    view.replied_by_label = stamp(
        view, by=by, reason=reason or f"Reply to the parent carer forum's view: {reply}", when=when
    )
    view.save()


# ---------------------------------------------------------------------------------------------
# Reading the views beside the ratings


Actions = TypeVar("Actions", bound=models.QuerySet[Action])


def _latest(field: str) -> Subquery:
    latest = ParentCarerView.objects.filter(action=OuterRef("pk")).order_by("-pk")
    return Subquery(latest.values(field)[:1])


def with_forum_view(actions: models.QuerySet[Action]) -> models.QuerySet[Action]:
    """Each action with its current view's position, the rating it was given on and when
    (`forum_position`, `forum_on_rating`, `forum_given_at`), in the same query as the actions."""
    return actions.annotate(
        forum_position=_latest("position"),
        forum_on_rating=_latest("on_rating"),
        forum_given_at=_latest("given_at"),
    )


def forum_position_now(actions: Actions, position: str) -> Actions:
    """The actions whose current rating the forum's latest view takes `position` on: a view given on
    an earlier rating is not a view of the rating now."""
    return actions.annotate(forum_now=_latest("position"), forum_now_on=_latest("on_rating")).filter(
        forum_now=position, forum_now_on=F("brag")
    )


def forum_disagreements(plan: Plan) -> int:
    """How many of the plan's open actions' current ratings the forum disagrees with. One query."""
    return forum_position_now(Action.objects.filter(plan=plan).open(), ForumPosition.DISAGREE).count()


def disagreements_in_each_area() -> Coalesce:
    """For a query of the plan's priority areas (`plan.priority_areas.annotate(n=...)`): how many of
    each area's open actions' current ratings the forum disagrees with, the actions
    `forum_disagreements` counts; a subquery, so the dashboard counts them in the query that already
    counts each area's ratings, as it counts the slipped ones."""
    return count_in_each_area(forum_position_now(Action.objects.open(), ForumPosition.DISAGREE))


@dataclass(frozen=True)
class ViewSummary:
    """The forum's view in a table cell: its position, and the rating and day it was given on when
    the action has been rated again since."""

    position: str
    on_rating: str
    given_at: datetime.datetime
    is_current: bool

    @property
    def label(self) -> str:
        return ForumPosition(self.position).label

    @property
    def earlier(self) -> str:
        """'given on Amber, 3 March 2026' for a view on an earlier rating; '' for a current one."""
        if self.is_current:
            return ""
        return f"given on {Brag(self.on_rating).label}, {long_date(timezone.localdate(self.given_at))}"


def summary_of(action: Any) -> ViewSummary | None:
    """The summary of an action annotated by with_forum_view(); None when the forum gave no view."""
    position = getattr(action, "forum_position", None)
    if not position:
        return None
    return ViewSummary(
        position=position,
        on_rating=action.forum_on_rating,
        given_at=action.forum_given_at,
        is_current=action.forum_on_rating == action.brag,
    )


def summary_of_view(view: ParentCarerView, action: Action) -> ViewSummary:
    return ViewSummary(view.position, view.on_rating, view.given_at, view.is_on_current_rating(action))


def public_views(plan: Plan) -> dict[int, dict[str, str]]:
    """The forum's views the forum published, by action id, for the public page: its position and
    commentary, the rating and day it was given on when the action has been rated again since, and
    the owner's reply where the owner marked it publishable. Only an action's latest view counts:
    an earlier published view is not shown once the forum has given another. One query."""
    latest = ParentCarerView.objects.filter(action=OuterRef("action_id")).order_by("-pk").values("pk")[:1]
    views = (
        ParentCarerView.objects.filter(action__plan=plan, is_public=True, pk=Subquery(latest))
        .select_related("action")
        .only(
            "action__rated_at",
            "position",
            "commentary",
            "on_rating",
            "on_rated_at",
            "given_at",
            "reply",
            "reply_is_public",
        )
    )
    return {
        view.action_id: {
            "position": FORUM_POSITION_VERBS[view.position],
            "commentary": view.commentary,
            "earlier": summary_of_view(view, view.action).earlier,
            "reply": view.reply if view.reply_is_public else "",
        }
        for view in views
    }


def _newest_as_of(plan: Plan, moment: datetime.datetime) -> dict[int, Any]:
    """Each action's newest view as its history row stood before `moment` (its reply as it was
    then too), by action id. One query."""
    history = ParentCarerView.history.model
    rows = (
        history.objects.filter(history_date__lt=moment, action__plan_id=plan.pk)
        .exclude(history_type="-")
        .order_by("action_id", "id", "history_date", "history_id")
    )
    newest: dict[int, Any] = {}
    for row in rows:
        # Later views have higher ids, and a view's later rows come after its earlier ones.
        newest[row.action_id] = row
    return newest


def views_as_they_stood(
    plan: Plan | None, moment: datetime.datetime, ratings: dict[int, str | None]
) -> dict[int, ViewSummary]:
    """Each action's view as it stood before `moment`, by action id; `ratings` are the actions'
    ratings then (the plan as it stood), which say whether the view was of that rating. One query."""
    if plan is None:
        return {}
    return {
        action_id: ViewSummary(row.position, row.on_rating, row.given_at, row.on_rating == ratings.get(action_id))
        for action_id, row in _newest_as_of(plan, moment).items()
    }


PACK_COLUMNS = ["PAP Ref", "Rating then", "The forum's view", "The forum's commentary", "The owner's reply"]


def pack_rows(plan: Plan | None, moment: datetime.datetime, actions: Iterable[Any]) -> list[list[str]]:
    """The board pack's table of the forum's views as they stood before `moment`: a row for each
    of `actions` (the plan as it stood, in its order: each has action_id, published_ref and brag)
    that the forum had given a view of. One query."""
    if plan is None:
        return []
    newest = _newest_as_of(plan, moment)
    rows = []
    for action in actions:
        row = newest.get(action.action_id)
        if row is None:
            continue
        summary = ViewSummary(row.position, row.on_rating, row.given_at, row.on_rating == action.brag)
        given = f"given {long_date(timezone.localdate(row.given_at))}"
        rows.append(
            [
                action.published_ref,
                Brag(action.brag).label if action.brag else NOT_YET_RATED,
                f"{summary.label} ({summary.earlier or given})",
                row.commentary or "No commentary.",
                row.reply or "No reply.",
            ]
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Telling the owner: AlertKind.FORUM_VIEW, once per view


def _views_told(views: models.QuerySet[ParentCarerView]) -> Iterator[Candidate]:
    link = path_for("actions:detail", "#parent-carer-view")
    rows = views.filter(action__owner__isnull=False).values_list(
        "pk",
        "position",
        "commentary",
        "on_rating",
        "given_at",
        "action_id",
        "action__published_ref",
        "action__owner_id",
        "action__plan__partnership_id",
    )
    for pk, position, commentary, on_rating, given_at, action_id, ref, owner_id, partnership_id in rows.order_by("pk"):
        day = timezone.localdate(given_at)
        verb = FORUM_POSITION_VERBS[position]
        rating = Brag(on_rating).label
        yield Candidate(
            model=ParentCarerView,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=AlertKind.FORUM_VIEW,
            due_date=day,
            title=f"The parent carer forum {verb} with the {rating} rating of action {ref}",
            body="\n".join(
                [
                    f"On {long_date(day)} the parent carer forum said it {verb} with the {rating} rating of "
                    f"action {ref}.",
                    "",
                    commentary or "The forum gave no commentary.",
                    "",
                    "You can reply to the forum's view on the action's page.",
                ]
            ),
            link=link(action_id),
            organisations=(owner_id,),
            followed=((Action, action_id),),
        )


def forum_views(today: datetime.date) -> Iterator[Candidate]:
    """The sweep's source: views given since the look-back began, each told once (its key is the
    view itself), so one missed at commit is told on the next sweep."""
    since = datetime.datetime.combine(lookback_start(today), datetime.time.min, tzinfo=timezone.get_current_timezone())
    return _views_told(ParentCarerView.objects.filter(given_at__gte=since))


def tell_owner(view_id: int) -> int:
    """Raise the new view's alerts at once (after its commit), rather than at the next sweep; the
    alert's key makes the sweep's later find of the same view write nothing."""
    today = timezone.localdate()
    created = sweep_source(
        "forum_views", lambda _: _views_told(ParentCarerView.objects.filter(pk=view_id)), today, uuid.uuid4()
    )
    if created:
        queue_delivery()
    return created


ALERT_SOURCES: dict[str, Source] = {"forum_views": forum_views}
