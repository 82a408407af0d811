"""Administrators add risks to the register and close them with a reason, and add boards and
their members, in the browser (issue 12, item 4). Nothing is deleted: a closed risk stays on the
register and in its history, marked closed, and its reviews stop falling due.

An officer, a scrutiny member and a partner get 403; another partnership's administrator gets 404
on this partnership's risks and boards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import event, example, given
from hypothesis import strategies as st

from governance.alerts import risk_reviews
from governance.as_it_stood import risks_as_they_stood
from governance.choices import BoardKind, MemberRole, RiskStatus, RiskTrend
from governance.models import Board, BoardMember, Risk, RiskReview
from governance.services import Scores, add_risk, close_risk, rescore_risk
from send_tracker.accounts.models import Organisation
from tests.as_people_write import (
    DATE_BOXES,
    boxes,
    counts,
    date_in_boxes,
    fits,
    refused_on_the_page,
    rolled_back,
    text_near,
)
from tests.conftest import need_postgres
from tests.governance.conftest import at
from tests.world import World

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 3)
SCORES = st.sampled_from(["1", "2", "3", "4", "5"] * 6 + [" 4 ", "0", "6", "", "٣", "3.0", "9" * 30])


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(at(2024, 6, 3), tick=False):
        yield


def risk_posted(**changes: Any) -> dict[str, Any]:
    data = {
        "reference": "R7",
        "title": "Not enough specialist places – “sufficiency” gap",
        "cause": "Demand has grown faster than places.",
        "consequence": "Children travel far from home.",
        "owner_role": "Director of Children’s Services",
        "likelihood_before": "4",
        "impact_before": "5",
        "likelihood_after": "3",
        "impact_after": "4",
        "mitigations": "Capital programme; free school bid.",
        **boxes("next_review_date", ("1", "9", "24")),
    }
    data.update(changes)
    return data


def state() -> dict[str, int]:
    return counts(Risk, Risk.history.model, RiskReview, Board, Board.history.model, BoardMember)


def test_an_administrator_adds_a_risk_with_its_first_scores_in_its_history(
    administrator: Any, council: Organisation, board: Board, client_for: Any
) -> None:
    response = client_for(administrator).post(
        "/governance/risks/new/", risk_posted(owner=str(council.pk), review_board=str(board.pk))
    )
    risk = Risk.objects.get(reference="R7")
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert (risk.score_before, risk.score_after, risk.trend) == (20, 12, RiskTrend.NEW)
    assert risk.owner == council and risk.review_board == board
    assert risk.next_review_date == datetime.date(2024, 9, 1)
    assert risk.title == "Not enough specialist places – “sufficiency” gap"
    (row,) = risk.history.all()
    assert row.history_user == administrator and row.history_change_reason == "Added to the register"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference": ""}, "Enter the risk"),
        ({"reference": "r1"}, "already has a risk R1"),
        ({"likelihood_after": "6"}, "from 1 to 5"),
        (boxes("next_review_date", ("3", "6", "2024")), "must be after today"),
        (boxes("next_review_date", ("", "", "")), "Enter the next review date"),
        ({"owner": "9" * 30}, "Choose the owner from the list"),
    ],
)
def test_a_risk_that_cannot_be_added_is_refused_and_nothing_is_written(
    administrator: Any, make_risk: Callable[..., Risk], client_for: Any, change: dict[str, str], message: str
) -> None:
    make_risk("R1")
    before = state()
    response = client_for(administrator).post("/governance/risks/new/", risk_posted(**change))
    assert refused_on_the_page(response)
    assert message in response.content.decode()
    assert state() == before


def test_a_closed_risk_stays_on_the_register_and_in_history_marked_closed_and_falls_due_no_more(
    administrator: Any, officer: Any, make_risk: Callable[..., Risk], client_for: Any
) -> None:
    with time_machine.travel(at(2024, 1, 5), tick=False):
        risk = make_risk("R1", next_review_date=datetime.date(2024, 5, 20))
    assert [c.subject_id for c in risk_reviews(TODAY)] == [risk.pk]
    client = client_for(administrator)
    response = client.post(f"/governance/risks/{risk.pk}/close/", {"reason": "Merged into R4 – “sufficiency”."})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on, risk.closed_reason) == (
        RiskStatus.CLOSED,
        TODAY,
        "Merged into R4 – “sufficiency”.",
    )
    latest = risk.history.first()
    assert latest is not None
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Closed: Merged into R4 – “sufficiency”."
    assert risk.history.count() == 2
    assert list(risk_reviews(TODAY)) == []
    assert not risk.is_review_overdue(TODAY)
    # The register keeps it, marked closed; as it stood before today it was open.
    register = client.get("/governance/risks/").content.decode()
    assert "R1" in register and "Closed" in register
    (then,) = risks_as_they_stood(risk.partnership_id, datetime.date(2024, 6, 1))
    (now,) = risks_as_they_stood(risk.partnership_id, TODAY)
    assert (then.status, now.status) == ("open", "closed")
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Closed on 3 June 2024" in page and "Close this risk" not in page and "Re-score this risk" not in page
    # Closed once: a second close, or a re-score, is refused and writes nothing.
    before = state()
    again = client.post(f"/governance/risks/{risk.pk}/close/", {"reason": "Again"})
    assert refused_on_the_page(again) and "already closed" in again.content.decode()
    with pytest.raises(ValidationError):
        rescore_risk(
            risk_id=risk.pk,
            user=officer,
            scores=Scores(1, 1, 1, 1),
            comment="Re-scored",
            based_on_version=None,
            next_review_date=datetime.date(2024, 12, 1),
        )
    assert state() == before


def test_closing_needs_a_reason(administrator: Any, make_risk: Callable[..., Risk], client_for: Any) -> None:
    risk = make_risk("R1")
    before = state()
    response = client_for(administrator).post(f"/governance/risks/{risk.pk}/close/", {"reason": "  "})
    assert refused_on_the_page(response) and "Say why the risk is being closed." in response.content.decode()
    assert state() == before
    with pytest.raises(ValidationError):
        close_risk(risk_id=risk.pk, user=administrator, reason="")


def test_an_administrator_adds_a_board_and_its_members(
    administrator: Any, council: Organisation, client_for: Any
) -> None:
    client = client_for(administrator)
    response = client.post(
        "/governance/boards/new/",
        {"name": "SEND Sufficiency Task Group", "short_name": "STG", "kind": "task_and_finish", "meets": "Monthly"},
    )
    board = Board.objects.get(name="SEND Sufficiency Task Group")
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()
    assert (board.short_name, board.kind, board.meets, board.independently_chaired) == (
        "STG",
        BoardKind.TASK_AND_FINISH,
        "Monthly",
        False,
    )
    assert board.history.get().history_change_reason == "Board added"
    members = f"/governance/boards/{board.pk}/members/new/"
    assert (
        client.post(
            members, {"name": "Cllr Kate Gregory", "organisation": str(council.pk), "role": "chair"}
        ).status_code
        == 302
    )
    assert (
        client.post(members, {"name": "DfE SEND adviser", "represents": "DfE", "role": "observer"}).status_code == 302
    )
    chair, adviser = (board.members.get(name=name) for name in ("Cllr Kate Gregory", "DfE SEND adviser"))
    assert (chair.organisation, chair.role) == (council, MemberRole.CHAIR)
    assert (adviser.organisation, adviser.represents, adviser.role) == (None, "DfE", MemberRole.OBSERVER)
    assert chair.history.get().history_user == administrator
    assert chair.history.get().history_change_reason == "Member added to STG"
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Cllr Kate Gregory" in page and "DfE SEND adviser" in page
    before = state()
    again = client.post(members, {"name": "cllr kate gregory", "role": "member"})
    assert refused_on_the_page(again) and "already has a seat" in again.content.decode()
    same_name = client.post("/governance/boards/new/", {"name": "send sufficiency task group", "kind": "cabinet"})
    assert refused_on_the_page(same_name)
    assert state() == before


def test_only_administrators_add_risks_boards_and_members_or_close_risks(
    board: Board,
    make_risk: Callable[..., Risk],
    officer: Any,
    scrutiny_member: Any,
    partner_user: Any,
    client_for: Any,
) -> None:
    risk = make_risk("R1")
    before = state()
    pages = [
        ("/governance/risks/new/", risk_posted()),
        (f"/governance/risks/{risk.pk}/close/", {"reason": "Done"}),
        ("/governance/boards/new/", {"name": "Another board", "kind": "cabinet"}),
        (f"/governance/boards/{board.pk}/members/new/", {"name": "Someone", "role": "member"}),
    ]
    # The council's officer owns the risk and keeps the board's meetings, yet adds and closes nothing.
    for user in (officer, scrutiny_member, partner_user):
        client = client_for(user)
        for path, data in pages:
            assert client.get(path).status_code == 403, (user, path)
            assert client.post(path, data).status_code == 403, (user, path)
    assert state() == before
    with pytest.raises(PermissionDenied):
        close_risk(risk_id=risk.pk, user=officer, reason="Done")
    with pytest.raises(PermissionDenied):
        add_risk(
            partnership_id=board.partnership_id,
            user=officer,
            reference="R9",
            title="T",
            likelihood_before=1,
            impact_before=1,
            likelihood_after=1,
            impact_after=1,
            next_review_date=datetime.date(2024, 12, 1),
        )


def test_another_partnerships_risks_and_boards_are_not_found(
    board: Board, make_risk: Callable[..., Risk], elsewhere_world: World, client_for: Any
) -> None:
    risk = make_risk("R1")
    before = state()
    client = client_for(elsewhere_world.administrator)
    for path in (f"/governance/risks/{risk.pk}/close/", f"/governance/boards/{board.pk}/members/new/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"reason": "Done", "name": "X", "role": "member"}).status_code == 404
    # Adding a risk, their administrator cannot give it an owner or board of this partnership.
    response = client.post("/governance/risks/new/", risk_posted(owner=str(risk.owner_id), review_board=str(board.pk)))
    assert refused_on_the_page(response)
    assert state() == before


def test_the_pages_are_offered_to_administrators_only(
    administrator: Any, officer: Any, board: Board, make_risk: Callable[..., Risk], client_for: Any
) -> None:
    risk = make_risk("R1")
    links = {
        "/governance/": "/governance/boards/new/",
        "/governance/risks/": "/governance/risks/new/",
        risk.get_absolute_url(): f"/governance/risks/{risk.pk}/close/",
        board.get_absolute_url(): f"/governance/boards/{board.pk}/members/new/",
    }
    for page, link in links.items():
        assert link in client_for(administrator).get(page).content.decode(), page
        assert link not in client_for(officer).get(page).content.decode(), page


@given(
    reference=text_near(20),
    title=text_near(300),
    cause=text_near(5000),
    scores=st.one_of(st.tuples(*[st.sampled_from("12345")] * 4), st.tuples(SCORES, SCORES, SCORES, SCORES)),
    review=st.one_of(
        st.dates(TODAY, datetime.date(2030, 12, 31)).map(lambda day: (str(day.day), str(day.month), str(day.year))),
        DATE_BOXES,
    ),
)
@example(
    reference="R12",
    title="“Sufficiency” – not enough places 🙂",
    cause="Pasted\u00a0from Word…",
    scores=("4", "5", "3", "4"),
    review=("1", "9", "24"),
)
def test_a_risk_is_added_whole_or_refused_and_nothing_is_written(
    administrator: Any,
    client_for: Any,
    reference: str,
    title: str,
    cause: str,
    scores: tuple[str, str, str, str],
    review: tuple[str, str, str],
) -> None:
    need_postgres()
    client = client_for(administrator)
    names = ("likelihood_before", "impact_before", "likelihood_after", "impact_after")
    with rolled_back():
        before = state()
        data = risk_posted(reference=reference, title=title, cause=cause, **dict(zip(names, scores, strict=True)))
        response = client.post("/governance/risks/new/", data | boxes("next_review_date", review))
        assert response.status_code < 500
        day = date_in_boxes(review)
        if response.status_code == 302:
            event("saved")
            risk = Risk.objects.get(partnership_id=administrator.partnership_id)
            assert (risk.reference, risk.title, risk.cause) == (reference.strip(), title.strip(), cause.strip())
            assert (risk.likelihood_before, risk.impact_before, risk.likelihood_after, risk.impact_after) == tuple(
                int(score) for score in scores
            )
            assert risk.next_review_date == day
            assert risk.history.count() == 1
        else:
            event("refused")
            assert refused_on_the_page(response)
            assert not (
                fits(reference, 20)
                and fits(title, 300)
                and fits(cause, 5000, required=False)
                # A select's values: " 4 " is no browser's.
                and all(score in ("1", "2", "3", "4", "5") for score in scores)
                and isinstance(day, datetime.date)
                and day > TODAY
            ), "a plain risk was refused"
            assert state() == before


@given(
    name=text_near(200),
    short_name=text_near(60),
    meets=text_near(120),
    kind=st.sampled_from([*BoardKind.values, "", "Cabinet", "board"]),
    member=text_near(200),
    role=st.sampled_from([*MemberRole.values, "", "Chair"]),
)
def test_a_board_and_a_member_are_added_whole_or_refused_and_nothing_is_written(
    administrator: Any,
    client_for: Any,
    name: str,
    short_name: str,
    meets: str,
    kind: str,
    member: str,
    role: str,
) -> None:
    need_postgres()
    client = client_for(administrator)
    with rolled_back():
        before = state()
        response = client.post(
            "/governance/boards/new/", {"name": name, "short_name": short_name, "meets": meets, "kind": kind}
        )
        assert response.status_code < 500
        plain_board = (
            fits(name, 200) and fits(short_name, 60, required=False) and fits(meets, 120, required=False)
        ) and kind in BoardKind.values
        if response.status_code != 302:
            event("board refused")
            assert refused_on_the_page(response) and not plain_board
            assert state() == before
            return
        board = Board.objects.get(partnership_id=administrator.partnership_id)
        assert (board.name, board.short_name, board.meets, board.kind) == (
            name.strip(),
            short_name.strip(),
            meets.strip(),
            kind,
        )
        after_board = state()
        response = client.post(f"/governance/boards/{board.pk}/members/new/", {"name": member, "role": role})
        assert response.status_code < 500
        if response.status_code == 302:
            event("member saved")
            assert board.members.get().name == member.strip()
        else:
            event("member refused")
            assert refused_on_the_page(response)
            assert not (fits(member, 200) and role in MemberRole.values), "a plain member was refused"
            assert state() == after_board
