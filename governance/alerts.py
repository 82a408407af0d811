"""Governance's alerts, each told to the followers of the item and of its board:
- a meeting's papers deadline: the followers of the meeting and of its board;
- an action arising: the officers of its owner organisation, the followers of its meeting and board;
- a risk past its review date: the officers of its owner organisation, the followers of the risk
  and of the board that reviews it;
- an update round: the officers of each organisation with actions due an update, when it opens and
  again two working days before it closes (governance.rounds).
Registered with the sweep in GovernanceConfig.ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q

from send_tracker.alerts.candidates import DAY, Candidate, Source, Told, long_date, lookback_start, path_for, when
from send_tracker.alerts.choices import AlertKind

from .models import ActionArising, Board, Meeting, Risk
from .rounds import open_rounds


def meeting_papers(today: datetime.date) -> Iterator[Candidate]:
    """Meetings going ahead whose papers deadline is within the next 7 days."""
    link = path_for("governance:meeting")
    rows = (
        Meeting.objects.going_ahead()
        .filter(papers_deadline__gte=today, papers_deadline__lte=today + 7 * DAY)
        .values_list("pk", "board_id", "board__name", "board__partnership_id", "date", "title", "papers_deadline")
        .order_by("pk")
    )
    for pk, board_id, board_name, partnership_id, meeting_date, meeting_title, deadline in rows:
        name = f"{board_name} meeting on {long_date(meeting_date)}"
        title = f"Papers for the {name} are due {when(deadline, today)}, on {long_date(deadline)}"
        body = "\n".join(
            [
                f"The last day for papers to reach the clerk for the {name} is {long_date(deadline)}.",
                *([f"Meeting: {meeting_title}."] if meeting_title else []),
            ]
        )
        yield Candidate(
            model=Meeting,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=AlertKind.PAPERS_DEADLINE,
            due_date=deadline,
            title=title,
            body=body,
            link=link(pk),
            followed=((Board, board_id),),
        )


def actions_arising(today: datetime.date) -> Iterator[Candidate]:
    """Actions arising from board meetings, not done, due within 7 days or overdue."""
    return _arising(today, Q(due_date__gte=lookback_start(today), due_date__lte=today + 7 * DAY))


def overdue_arising(today: datetime.date) -> Iterator[Candidate]:
    """For the weekly reminder: every action arising not done after its due date."""
    return _arising(today, Q(due_date__lt=today))


def _arising(today: datetime.date, in_range: Q) -> Iterator[Candidate]:
    link = path_for("governance:meeting", "#actions-arising")
    rows = (
        ActionArising.objects.filter(in_range, done_on__isnull=True)
        .values_list(
            "pk",
            "description",
            "owner_name",
            "owner_organisation_id",
            "due_date",
            "meeting_id",
            "meeting__date",
            "meeting__board_id",
            "meeting__board__name",
            "meeting__board__partnership_id",
        )
        .order_by("pk")
    )
    for (
        pk,
        description,
        owner_name,
        owner_id,
        due,
        meeting_id,
        meeting_date,
        board_id,
        board_name,
        partnership_id,
    ) in rows:
        source = f"the {board_name} meeting on {long_date(meeting_date)}"
        if due < today:
            told = Told(
                AlertKind.ARISING_OVERDUE,
                f"Action arising overdue: from {source}, due {long_date(due)}",
                f"An action arising from {source} was due on {long_date(due)} and is not recorded as done.",
            )
        else:
            told = Told(
                AlertKind.ARISING_DUE,
                f"Action arising due {when(due, today)}: from {source}",
                f"An action arising from {source} is due {when(due, today)}, on {long_date(due)}.",
            )
        yield told.about(
            ActionArising,
            pk,
            partnership_id,
            due,
            ["", description, "", f"Who: {owner_name}."],
            summary=description,
            link=link(meeting_id),
            organisations=(owner_id,) if owner_id else (),
            followed=((Meeting, meeting_id), (Board, board_id)),
        )


def risk_reviews(today: datetime.date) -> Iterator[Candidate]:
    """Open risks whose next review date has passed (within the look-back)."""
    return _reviews(today, lookback_start(today))


def overdue_reviews(today: datetime.date) -> Iterator[Candidate]:
    """For the weekly reminder: every open risk past its review date, however long ago."""
    return _reviews(today, None)


def _reviews(today: datetime.date, earliest: datetime.date | None) -> Iterator[Candidate]:
    link = path_for("governance:risk")
    since = Q(next_review_date__gte=earliest) if earliest else Q()
    rows = (
        Risk.objects.open()  # a closed risk is never overdue for review
        .filter(since, next_review_date__lt=today)
        .values_list(
            "pk",
            "reference",
            "title",
            "owner_id",
            "owner__name",
            "review_board_id",
            "review_board__name",
            "partnership_id",
            "next_review_date",
        )
        .order_by("pk")
    )
    for pk, reference, risk_title, owner_id, owner_name, board_id, board_name, partnership_id, due in rows:
        reviewer = f" by the {board_name}" if board_name else ""
        told = Told(
            AlertKind.RISK_REVIEW_OVERDUE,
            f"Risk {reference} was due for review on {long_date(due)}",
            f"Risk {reference} on the risk register was due to be reviewed{reviewer} on {long_date(due)}.",
        )
        yield told.about(
            Risk,
            pk,
            partnership_id,
            due,
            ["", risk_title, "", f"Owner: {owner_name or 'not assigned'}."],
            summary=risk_title,
            link=link(pk),
            organisations=(owner_id,) if owner_id else (),
            followed=((Board, board_id),) if board_id else (),
        )


def update_rounds(today: datetime.date) -> Iterator[Candidate]:
    """Each update round open today: the officers of every organisation with actions due an update
    are told once when it opens, and reminded once from the second working day before it closes.
    One alert per officer per round, naming all their organisation's actions still due."""
    link = path_for("governance:meeting_returns")
    for update_round in open_rounds(today):
        meeting = update_round.meeting
        due = (
            update_round.due_actions()
            .filter(owner__isnull=False)
            .order_by("owner_id", "position", "ref")
            .values_list("owner_id", "owner__name", "published_ref", "description")
        )
        by_owner: dict[int, tuple[str, list[str]]] = {}
        for owner_id, owner_name, ref, description in due:
            _, lines = by_owner.setdefault(owner_id, (owner_name, []))
            lines.append(f"- {ref}: {description if len(description) <= 120 else description[:119] + '…'}")
        closing = today >= update_round.reminder_on
        name = f"{meeting.board.name} meeting on {long_date(meeting.date)}"
        closes = long_date(update_round.closes)
        for owner_id, (owner_name, lines) in by_owner.items():
            count = f"{len(lines)} action{'s' if len(lines) != 1 else ''} of {owner_name}"
            if closing:
                told = Told(
                    AlertKind.ROUND_CLOSING,
                    f"Update round closes {when(update_round.closes, today)}: {count} not yet updated",
                    f"The update round for the {name} closes on {closes}, and these are not yet updated:",
                )
            else:
                told = Told(
                    AlertKind.ROUND_OPEN,
                    f"Update round open until {closes}: {count} due an update",
                    f"The update round for the {name} is open until {closes}. These actions are due an update:",
                )
            yield told.about(
                Meeting,
                meeting.pk,
                meeting.board.partnership_id,
                update_round.closes,
                [
                    "",
                    *lines,
                    "",
                    "Re-rate each one, or confirm its rating unchanged with a short commentary, from its page.",
                ],
                link=link(meeting.pk) + f"#organisation-{owner_id}",
                organisations=(owner_id,),
            )


ALERT_SOURCES: dict[str, Source] = {
    "update_rounds": update_rounds,
    "meeting_papers": meeting_papers,
    "actions_arising": actions_arising,
    "risk_reviews": risk_reviews,
}
REMINDER_SOURCES: dict[str, Source] = {"actions_arising": overdue_arising, "risk_reviews": overdue_reviews}
