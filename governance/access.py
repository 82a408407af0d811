"""Permission-checked fetches for boards, meetings and risks. Views and packs fetch through these.

Out of the reader's partnership: 404, so an id reveals nothing. Visible but not theirs to change:
403 (PermissionDenied). A board's meetings are kept by administrators and by officers of the
organisations with a seat on it; a risk is re-scored by its owner's officers or an administrator.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser

from .models import ActionArising, Board, Meeting, Risk

READ_ONLY_MEETING = "Only administrators and officers of the board's member organisations can change its meetings."


def board_for_reading(user: AnyUser, board_id: int) -> Board:
    return get_object_or_404(Board.objects.visible_to(user).select_related("partnership"), pk=board_id)


def board_for_change(user: AnyUser, board_id: int) -> Board:
    return access.for_change(user, board_for_reading(user, board_id), READ_ONLY_MEETING)


def meeting_for_reading(user: AnyUser, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("board__partnership", "plan"), pk=meeting_id
    )


def meeting_for_change(user: AnyUser, meeting_id: int) -> Meeting:
    return access.for_change(user, meeting_for_reading(user, meeting_id), READ_ONLY_MEETING)


def action_arising_for_change(user: AnyUser, meeting_id: int, action_arising_id: int) -> ActionArising:
    meeting = meeting_for_reading(user, meeting_id)
    arising = get_object_or_404(
        ActionArising.objects.select_related("owner_organisation"), pk=action_arising_id, meeting=meeting
    )
    arising.meeting = meeting
    access.require(meeting.can_be_changed_by(user), READ_ONLY_MEETING)
    return arising


def risk_for_reading(user: AnyUser, risk_id: int) -> Risk:
    return get_object_or_404(
        Risk.objects.visible_to(user).select_related("partnership", "owner", "review_board", "plan"), pk=risk_id
    )


def risk_for_change(user: AnyUser, risk_id: int) -> Risk:
    return access.for_change(user, risk_for_reading(user, risk_id), access.owners_only("risk", verb="re-score"))


def risk_for_closing(user: AnyUser, risk_id: int) -> Risk:
    risk = risk_for_reading(user, risk_id)
    return access.for_administrators(user, risk, risk.partnership_id, "Only an administrator can close a risk.")


def board_for_membership(user: AnyUser, board_id: int) -> Board:
    board = board_for_reading(user, board_id)
    message = "Only an administrator can change a board's members."
    return access.for_administrators(user, board, board.partnership_id, message)
