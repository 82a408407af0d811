"""Governance's section of the scrutiny dashboard (`dashboard_section`, which
send_tracker.overview.dashboard calls, as it calls every app's reports.py): the next meetings, and
what changed since the last meeting of a chosen board. Governance has no public section.

Two queries, whatever the number of partnerships: the partnership's meetings (boards, the next
meetings and the chosen board's last meeting all come from them), and the rating
updates recorded since that meeting; two more for the next update round's summary
(`round_summary`: its dates and how many actions are due an update) when a board oversees the
plan. The meeting's own page has the full comparison, read from history; the dashboard counts
what moved and links to it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from actions.models import Plan, RatingUpdate

from .as_it_stood import BRAG_PROGRESS
from .models import Board, Meeting, end_of_day
from .rounds import round_for

NEXT_MEETINGS = 5


@dataclass
class ChangedSince:
    board: Board
    meeting: Meeting
    improved: list[RatingUpdate] = field(default_factory=list)
    worsened: list[RatingUpdate] = field(default_factory=list)
    first_rated: list[RatingUpdate] = field(default_factory=list)
    new_evidence: int = 0


def dashboard_section(request: HttpRequest, plan: Plan | None, today: datetime.date) -> dict[str, Any]:
    if plan is None:
        return {}
    meetings = list(
        Meeting.objects.going_ahead()
        .filter(board__partnership_id=plan.partnership_id)
        .select_related("board")
        .order_by("date", "pk")
    )
    boards = sorted({m.board for m in meetings if m.date < today}, key=lambda b: (b.name, b.pk))
    chosen = _chosen_board(request, boards)
    last = None
    if chosen is not None:
        held = [m for m in meetings if m.board_id == chosen.pk and m.date < today]
        last = held[-1] if held else None
    return {
        "governance_section_template": "governance/_dashboard_section.html",
        "plan_board_meetings": _plan_board_meetings(plan, meetings, boards, today),
        "next_meetings": [m for m in meetings if m.date >= today][:NEXT_MEETINGS],
        "change_boards": boards,
        "changed_since": _changed_since(plan, chosen, last) if chosen and last else None,
        "round_summary": _round_summary(plan, meetings, today),
    }


def _round_summary(plan: Plan, meetings: list[Meeting], today: datetime.date) -> dict[str, Any] | None:
    """The next meeting's update round, from the meetings already read: its dates, whether it is
    open, and how many open actions are due an update. Two queries (the bank holidays administrators
    added, the count), none when no board oversees the plan."""
    overseeing = [m for m in meetings if m.board.oversees_id == plan.pk]
    upcoming = [m for m in overseeing if m.date >= today]
    if not upcoming:
        return None
    meeting = upcoming[0]
    earlier = [m for m in overseeing if m.date < meeting.date]
    update_round = round_for(meeting, board=meeting.board, previous=earlier[-1] if earlier else None)
    if update_round is None:
        return None
    return {
        "round": update_round,
        "meeting": meeting,
        "status": update_round.status(today),
        "due": update_round.due_actions().count(),
    }


def _plan_board_meetings(
    plan: Plan, meetings: list[Meeting], boards: list[Board], today: datetime.date
) -> list[Meeting]:
    """The meetings already held by the board that holds the plan to account (the one that oversees
    it, else the default board for "what changed"), oldest first: the dashboard's headline figures
    compare with the last of them, and its ratings chart draws each."""
    default = _default_board(boards)
    board_id = next((m.board_id for m in meetings if m.board.oversees_id == plan.pk), default.pk if default else None)
    return [m for m in meetings if m.board_id == board_id and m.date < today]


def _chosen_board(request: HttpRequest, boards: list[Board]) -> Board | None:
    wanted = request.GET.get("board", "")
    for board in boards:
        if str(board.pk) == wanted:
            return board
    return _default_board(boards)


def _default_board(boards: list[Board]) -> Board | None:
    # By default the board that holds the partnership to account: the improvement board.
    for board in boards:
        if "improvement" in board.name.lower():
            return board
    return boards[0] if boards else None


def _changed_since(plan: Plan, board: Board, meeting: Meeting) -> ChangedSince:
    changes = ChangedSince(board=board, meeting=meeting)
    updates = (
        RatingUpdate.objects.filter(action__plan=plan, created_at__gte=end_of_day(meeting.date))
        .select_related("action")
        .order_by("created_at", "pk")
    )
    latest: dict[int, RatingUpdate] = {}
    first: dict[int, RatingUpdate] = {}
    for update in updates:
        first.setdefault(update.action_id, update)
        latest[update.action_id] = update
        if update.evidence_text or update.evidence_link or update.evidence_file:
            changes.new_evidence += 1
    for action_id, update in latest.items():
        before = first[action_id].previous_brag
        if not before:
            changes.first_rated.append(update)
        elif BRAG_PROGRESS.get(update.brag, 0) > BRAG_PROGRESS.get(before, 0):
            changes.improved.append(update)
        elif BRAG_PROGRESS.get(update.brag, 0) < BRAG_PROGRESS.get(before, 0):
            changes.worsened.append(update)
    return changes
