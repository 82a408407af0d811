"""Update rounds' pages: a meeting's returns (who has updated, by organisation), an owner's
confirmation that a rating still stands, and a board's update round settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions import access as action_access
from actions.models import Plan
from actions.services import StaleEditError, confirm_rating_unchanged
from send_tracker.accounts import access as access_rules
from send_tracker.accounts.choices import Role
from send_tracker.forms import after_stale_edit, object_form_page, saved_redirect, submitted

from . import access
from .forms import ConfirmRatingForm, UpdateRoundFields
from .rounds import current_round, returns_for, round_for
from .services import set_update_rounds

INTERNAL_ONLY = "The update round's returns are for the partnership's officers, administrators and scrutiny members."


def is_internal(user: Any) -> bool:
    principal = access_rules.person(user)
    return principal is not None and (
        principal.is_superuser or principal.role in (Role.OFFICER, Role.SCRUTINY, Role.ADMINISTRATOR)
    )


@login_required
@require_GET
def meeting_returns(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_reading(request.user, meeting_id)
    access_rules.require(is_internal(request.user), INTERNAL_ONLY)
    update_round = round_for(meeting)
    if update_round is None:
        raise Http404("This meeting has no update round: its board oversees no plan, or it is not going ahead.")
    today = timezone.localdate()
    return render(
        request,
        "governance/returns.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "plan": Plan.objects.get(pk=update_round.plan_id),
            "update_round": update_round,
            "returns": returns_for(update_round),
            "status": update_round.status(today),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm_rating(request: HttpRequest, action_id: int) -> HttpResponse:
    action = action_access.action_for_change(request.user, action_id)
    form = ConfirmRatingForm(request.POST or None, initial={"version": action.version})
    status = None
    try:
        # The form's fields are the service's: commentary, and the version as based_on_version.
        saved = submitted(
            request, form, lambda data: confirm_rating_unchanged(action_id=action.pk, user=request.user, **data)
        )
    except StaleEditError as exc:
        action, status = exc.action, 409
        said = (
            f"Someone else updated this action while you were confirming it: it is now rated {action.brag_label}. "
            "Your confirmation has not been saved; submit again to confirm this rating."
        )
        form = after_stale_edit(ConfirmRatingForm, request.POST, action.version, said)
    else:
        if saved:
            messages.success(request, f"Rating of {action.published_ref} confirmed unchanged.")
            return redirect(action)
    back = f"Back to action {action.published_ref}"
    update_round = current_round(action.plan_id, timezone.localdate())
    return object_form_page(
        request, "governance/confirm_rating.html", form, action, back, status=status, update_round=update_round
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_update_rounds(request: HttpRequest, board_id: int) -> HttpResponse:
    board = access.board_for_reading(request.user, board_id)
    access_rules.for_administrators(
        request.user, board, board.partnership_id, "Only an administrator can change a board's update rounds."
    )
    plans = list(Plan.objects.filter(partnership_id=board.partnership_id).order_by("-is_current", "title"))
    initial = {"oversees": board.oversees_id, "update_round_days": board.update_round_days}
    form = UpdateRoundFields(request.POST or None, plans=plans, initial=initial)
    saved = saved_redirect(
        request, form, set_update_rounds, "Update rounds of {row} saved.", to=board, board_id=board.pk
    )
    return saved or object_form_page(
        request,
        "form_page.html",
        form,
        board,
        f"Back to {board}",
        page_title="Update rounds",
        caption=board.full_name,
        submit="Save update rounds",
        intro=(
            "Before each of the board's meetings the owners of the plan's actions re-rate them or confirm their "
            "ratings unchanged. The round closes at the meeting's papers deadline."
        ),
    )
