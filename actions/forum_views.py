"""The pages of the parent carer forum's view of a rating and the owner's reply (actions.forum)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from send_tracker.accounts.access import require
from send_tracker.forms import after_stale_edit, object_form_page, saved_redirect

from . import access
from .forum import (
    FORUM_ONLY,
    OWNERS_ONLY,
    RatingChangedError,
    ViewRenewedError,
    current_view,
    give_view,
    reply_to_view,
    speaks_for_forum,
    speaks_for_owner,
    summary_of_view,
)
from .forum_forms import ForumReplyForm, ForumViewForm
from .models import Action, ParentCarerView


@login_required
@require_http_methods(["GET", "POST"])
def forum_view_page(request: HttpRequest, action_id: int) -> HttpResponse:
    """The forum gives (or renews) its view of the action's current rating."""
    action = access.action_for_reading(request.user, action_id)
    require(speaks_for_forum(request.user, action), FORUM_ONLY)
    form = ForumViewForm(request.POST or None, initial={"on_rating": action.brag})
    status = None
    try:
        saved = saved_redirect(
            request, form, give_view, "The forum's view of {row.action.published_ref} saved.", action_id=action.pk
        )
    except RatingChangedError as exc:
        # The officer's words stay; the form now carries the new rating, so that saving again is a
        # view of the rating they have now seen.
        action, saved, status = exc.action, None, 409
        said = (
            f"The action was rated {action.brag_label} while you were writing. The forum's view has not been "
            "saved: check it still stands for this rating, then save it again."
        )
        form = after_stale_edit(ForumViewForm, request.POST, action.brag or "", said, field="on_rating")
    return saved or object_form_page(
        request,
        "actions/forum_view_form.html",
        form,
        action,
        f"Back to action {action.published_ref}",
        status=status,
        position_options=ForumViewForm.position_options(),
        forum_view=current_view(action),
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_reply_page(request: HttpRequest, action_id: int) -> HttpResponse:
    """The owner replies to the forum's view now (or changes its reply)."""
    action = access.action_for_reading(request.user, action_id)
    view = current_view(action)
    if view is None:
        raise Http404("The forum has given no view of this action.")
    require(speaks_for_owner(request.user, action), OWNERS_ONLY)
    initial = {"reply": view.reply, "reply_is_public": view.reply_is_public, "replying_to": view.pk}
    form = ForumReplyForm(request.POST or None, initial=initial)
    said = "Your reply to the forum's view of {row.action.published_ref} saved."
    status = None
    try:
        saved = saved_redirect(request, form, reply_to_view, said, view_id=view.pk)
    except ViewRenewedError as exc:
        view, saved, status = exc.view, None, 409
        renewed = (
            "The forum gave a new view while you were replying. Your reply has not been saved: read the forum's "
            "view now, then save your reply to it."
        )
        form = after_stale_edit(ForumReplyForm, request.POST, view.pk, renewed, field="replying_to")
    return saved or object_form_page(
        request,
        "actions/forum_reply_form.html",
        form,
        action,
        f"Back to action {action.published_ref}",
        status=status,
        forum_view=view,
        forum_view_current=view.is_on_current_rating(action),
    )


def forum_context(request: HttpRequest, action: Action, views: list[ParentCarerView]) -> dict[str, Any]:
    """The action page's part: the forum's view now and before (`views`, every view of the action
    newest first, as actions.forum.views_of reads them), and who may give or answer it."""
    view = views[0] if views else None
    return {
        "forum_view": view,
        "forum_view_summary": summary_of_view(view, action) if view else None,
        "forum_earlier_views": views[1:],
        "may_give_forum_view": speaks_for_forum(request.user, action) and bool(action.brag) and not action.is_retired,
        "may_reply_to_forum": view is not None and speaks_for_owner(request.user, action),
    }
