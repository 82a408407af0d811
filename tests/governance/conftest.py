"""Fixtures for the governance tests: a board of the Testshire partnership, its meetings, risks,
and a plan whose ratings changed on known dates between two meetings."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actions.models import Action
from actions.services import Evidence, record_rating_update
from governance.choices import BoardKind, MemberRole
from governance.models import Board, BoardMember, Meeting, Risk, RiskReview
from governance.services import Scores, rescore_risk
from send_tracker.accounts.models import Organisation, Partnership, User

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def date_boxes(name: str, day: object, month: object, year: object) -> dict[str, str]:
    """A GOV.UK date input's three boxes as a browser posts them (`name` with the form's prefix)."""
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


def rescore(
    risk: Risk,
    user: User,
    scores: tuple[int, int, int, int],
    comment: str,
    version: int = 1,
    next_review: datetime.date = datetime.date(2030, 1, 1),
    **at_meeting: Any,
) -> RiskReview:
    """Re-scores through the service as a board would: (likelihood, impact) before, then after mitigation."""
    return rescore_risk(
        risk_id=risk.pk,
        user=user,
        scores=Scores(*scores),
        comment=comment,
        based_on_version=version,
        next_review_date=next_review,
        **at_meeting,
    )


def rescore_form(scores: tuple[int, int, int, int] = (3, 3, 2, 2), comment: str = "Better.") -> dict[str, str]:
    """The re-score form as a browser posts it, started from a risk's first version."""
    names = ("likelihood_before", "impact_before", "likelihood_after", "impact_after")
    return {
        **{name: str(score) for name, score in zip(names, scores, strict=True)},
        **date_boxes("next_review_date", 1, 1, 2030),
        "comment": comment,
        "version": "1",
    }


@pytest.fixture
def board(partnership: Partnership, council: Organisation) -> Board:
    """The partnership's improvement board: independently chaired, the council has a seat."""
    board = Board.objects.create(
        partnership=partnership,
        name="Testshire SEND Improvement and Assurance Board",
        short_name="SIAB",
        kind=BoardKind.IMPROVEMENT_BOARD,
        independently_chaired=True,
    )
    BoardMember.objects.create(board=board, name="Independent Chair", represents="Independent", role=MemberRole.CHAIR)
    BoardMember.objects.create(board=board, name="Director of Children's Services", organisation=council)
    return board


@pytest.fixture
def make_meeting(board: Board) -> Callable[..., Meeting]:
    def build(day: datetime.date, **fields: Any) -> Meeting:
        return Meeting.objects.create(board=fields.pop("board", board), date=day, **fields)

    return build


@pytest.fixture
def meeting(make_meeting: Callable[..., Meeting]) -> Meeting:
    return make_meeting(datetime.date(2024, 4, 17))


@pytest.fixture
def make_risk(council: Organisation) -> Callable[..., Risk]:
    def build(reference: str = "R1", scores: tuple[int, int, int, int] = (4, 4, 4, 4), **fields: Any) -> Risk:
        lb, ib, la, ia = scores
        values: dict[str, Any] = {
            "partnership": council.partnership,
            "title": f"Risk {reference}: not enough capacity to meet demand",
            "cause": "Demand grows faster than staffing.",
            "consequence": "Plans are late.",
            "owner": council,
            "next_review_date": datetime.date(2024, 5, 1),
        }
        values.update(fields)
        return Risk.objects.create(
            reference=reference, likelihood_before=lb, impact_before=ib, likelihood_after=la, impact_after=ia, **values
        )

    return build


def rate(action: Action, user: User, brag: str, when: datetime.datetime, evidence: str = "") -> None:
    """Record a rating as if on `when`: the history row, the rating update and rated_at all say so."""
    with time_machine.travel(when, tick=False):
        record_rating_update(
            action_id=action.pk,
            user=user,
            brag=brag,
            commentary=f"{brag.title()} on {when:%d %B %Y}.",
            based_on_version=Action.objects.get(pk=action.pk).version,
            evidence=Evidence(text=evidence),
        )


@dataclass
class History:
    """Two meetings of the board and what happened to the plan and register around them."""

    first: Meeting
    second: Meeting
    actions: dict[str, Action]
    risks: dict[str, Risk]


@pytest.fixture
def history(make_action: Callable[..., Action], make_meeting: Callable[..., Meeting], make_risk, officer) -> History:
    """Meetings on 17 January and 17 April 2024.

    At the first: 3A1 Amber, 3A2 Red, 3A3 Green, 3A4 not rated, 3A5 Grey; risks R1 (16 after
    mitigation) and R2. Between them: 3A1 up to Green with evidence, 3A3 down to Amber, 3A4 first
    rated Red, 3A5 Grey to Amber on the morning of the second meeting; 3A2 (due 31 March) stays Red,
    so it falls overdue; R1 re-scored to 12; R3 added. After the second meeting, on 18 April, 3A2 is
    rated Amber, which neither meeting may show.
    """
    with time_machine.travel(at(2023, 12, 12), tick=False):
        actions = {
            "3A1": make_action("3A1", due_date=datetime.date(2024, 4, 30), due_date_text="Apr 24", position=1),
            "3A2": make_action("3A2", due_date=datetime.date(2024, 3, 31), due_date_text="Mar 24", position=2),
            "3A3": make_action("3A3", due_date=None, due_date_kind="tbc", due_date_text="TBC", position=3),
            "3A4": make_action("3A4", due_date=datetime.date(2023, 12, 31), due_date_text="Dec 23", position=4),
            "3A5": make_action("3A5", due_date=datetime.date(2024, 4, 17), due_date_text="Apr 24", position=5),
        }
    with time_machine.travel(at(2024, 1, 5), tick=False):
        risks = {"R1": make_risk("R1", (4, 4, 4, 4)), "R2": make_risk("R2", (3, 3, 2, 3))}
    rate(actions["3A1"], officer, "amber", at(2024, 1, 10))
    rate(actions["3A2"], officer, "red", at(2024, 1, 10))
    rate(actions["3A3"], officer, "green", at(2024, 1, 10), evidence="Audit of 20 plans, January.")
    rate(actions["3A5"], officer, "grey", at(2024, 1, 10))
    first = make_meeting(datetime.date(2024, 1, 17))

    rate(actions["3A1"], officer, "green", at(2024, 2, 1), evidence="Process maps of every timeline.")
    rate(actions["3A3"], officer, "amber", at(2024, 2, 1))
    with time_machine.travel(at(2024, 2, 10), tick=False):
        risks["R3"] = make_risk("R3", (2, 2, 1, 2))
    with time_machine.travel(at(2024, 3, 1), tick=False):
        rescore(risks["R1"], officer, (4, 4, 3, 4), "Caseworkers recruited.", next_review=datetime.date(2024, 6, 1))
    rate(actions["3A4"], officer, "red", at(2024, 3, 1))
    rate(actions["3A5"], officer, "amber", at(2024, 4, 17, 9))
    second = make_meeting(datetime.date(2024, 4, 17))
    rate(actions["3A2"], officer, "amber", at(2024, 4, 18))
    return History(first=first, second=second, actions=actions, risks=risks)
