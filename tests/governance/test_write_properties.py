"""The governance forms with values as people write them: meetings, agenda items, decisions,
actions arising and their completion, and risk re-scores.

Each example is saved whole (read back equal after the service's stripping; dates as the GOV.UK date
input reads its boxes) or refused on the form's error summary with nothing written. Never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from governance.choices import AgendaPurpose, MeetingStatus
from governance.models import ActionArising, AgendaItem, Board, Decision, Meeting, Risk, RiskReview
from governance.services import add_action_arising
from tests.as_people_write import (
    DATE_BOXES,
    boxes,
    counts,
    date_in_boxes,
    fits,
    refused_on_the_page,
    rolled_back,
    text_near,
    was_saved,
)
from tests.conftest import need_postgres
from tests.world import World

pytestmark = pytest.mark.django_db

TITLE_LIMIT = Meeting._meta.get_field("title").max_length or 200
LOCATION_LIMIT = Meeting._meta.get_field("location").max_length or 200
ITEM_TITLE_LIMIT = AgendaItem._meta.get_field("title").max_length or 200
PRESENTER_LIMIT = AgendaItem._meta.get_field("presenter").max_length or 200
OWNER_LIMIT = ActionArising._meta.get_field("owner_name").max_length or 200
SCORES = st.sampled_from(["1", "2", "3", "4", "5"] * 6 + [" 4 ", "0", "6", "", "٣", "3.0", "9" * 30])


Boxes = tuple[str, str, str]
TODAY = datetime.date.today


def state() -> dict[str, int]:
    return counts(
        Meeting,
        Meeting.history.model,
        AgendaItem,
        AgendaItem.history.model,
        Decision,
        Decision.history.model,
        ActionArising,
        ActionArising.history.model,
        Risk.history.model,
        RiskReview,
    )


@given(
    date=DATE_BOXES,
    deadline=DATE_BOXES,
    status=st.sampled_from([*MeetingStatus.values, "", "Scheduled"]),
    title=text_near(TITLE_LIMIT),
    location=text_near(LOCATION_LIMIT),
)
@example(
    date=("3", "6", "24"),
    deadline=("", "", ""),
    status="scheduled",
    title="+“Agreed” – in full,\u00a0with thanks 🙂",
    location="County Hall – Room 1",
)
def test_a_meeting_is_saved_whole_or_refused_and_nothing_is_written(
    board: Board,
    meeting: Meeting,
    officer: Any,
    client_for: Any,
    date: Boxes,
    deadline: Boxes,
    status: str,
    title: str,
    location: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state()
        response = client.post(
            f"/governance/boards/{board.pk}/meetings/new/",
            {**boxes("date", date), **boxes("papers_deadline", deadline), "status": status, "title": title}
            | {"location": location},
        )
        assert response.status_code < 500
        day, papers = date_in_boxes(date), date_in_boxes(deadline)
        if response.status_code == 302:
            event("saved")
            added = Meeting.objects.exclude(pk=meeting.pk).get(board=board)
            assert added.papers_deadline == (papers or added.date - datetime.timedelta(days=7))
            assert added.date == day
            assert added.title == title.strip() and added.location == location.strip()
            assert added.status == status
            assert added.history.count() == 1
        else:
            event("refused")
            assert not (
                isinstance(day, datetime.date)
                and day != meeting.date
                and (papers is None or (isinstance(papers, datetime.date) and papers <= day))
                and status in MeetingStatus.values
                and fits(title, TITLE_LIMIT, required=False)
                and fits(location, LOCATION_LIMIT, required=False)
            ), "a plain, valid meeting was refused"
            assert refused_on_the_page(response)
            assert state() == before


@given(
    title=text_near(ITEM_TITLE_LIMIT),
    purpose=st.sampled_from([*AgendaPurpose.values, "", "decide"]),
    presenter=text_near(PRESENTER_LIMIT),
    summary=text_near(5000),
    linked=st.sampled_from(["mine", "elsewhere", "none", "junk"]),
)
def test_an_agenda_item_is_saved_whole_or_refused_and_nothing_is_written(
    meeting: Meeting,
    action: Any,
    elsewhere_world: World,
    officer: Any,
    client_for: Any,
    title: str,
    purpose: str,
    presenter: str,
    summary: str,
    linked: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    links = {
        "mine": {"agenda-action": str(action.pk)},
        "elsewhere": {
            "agenda-risk": str(elsewhere_world.risk.pk),
            "agenda-indicator": str(elsewhere_world.indicator.pk),
        },
        "none": {},
        "junk": {"agenda-action": "9" * 30},
    }[linked]
    with rolled_back():
        before = state()
        response = client.post(
            f"/governance/meetings/{meeting.pk}/agenda/new/",
            {"agenda-title": title, "agenda-purpose": purpose, "agenda-presenter": presenter, "agenda-summary": summary}
            | links,
        )
        if was_saved(response):
            assert linked in ("mine", "none")
            item = AgendaItem.objects.get(meeting=meeting)
            assert (item.title, item.presenter, item.summary) == (title.strip(), presenter.strip(), summary.strip())
            assert item.action_id == (action.pk if linked == "mine" else None)
        else:
            assert not (
                linked in ("mine", "none")
                and purpose in AgendaPurpose.values
                and fits(title, ITEM_TITLE_LIMIT)
                and fits(presenter, PRESENTER_LIMIT, required=False)
                and fits(summary, 5000, required=False)
            ), "a plain, valid agenda item was refused"
            assert refused_on_the_page(response)
            assert state() == before


@given(text=text_near(5000))
def test_a_decision_is_saved_whole_or_refused_and_nothing_is_written(
    meeting: Meeting, officer: Any, client_for: Any, text: str
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state()
        response = client.post(f"/governance/meetings/{meeting.pk}/decisions/new/", {"decision-text": text})
        if was_saved(response):
            assert Decision.objects.get(meeting=meeting).text == text.strip()
        else:
            assert not fits(text, 5000), "a plain decision was refused"
            assert refused_on_the_page(response)
            assert state() == before


@given(
    description=text_near(5000),
    owner=text_near(OWNER_LIMIT),
    due=DATE_BOXES,
    organisation=st.sampled_from(["mine", "elsewhere", "none", "huge"]),
)
@example(
    description="-“Agreed” – in full,\u00a0with thanks 🙂",
    owner="Director of Children’s Services",
    due=("1", "7", "2024"),
    organisation="mine",
)
@example(description="Report back", owner="Head of SEND", due=("", "", ""), organisation="elsewhere")
def test_an_action_arising_is_saved_whole_or_refused_and_nothing_is_written(
    meeting: Meeting,
    council: Any,
    elsewhere_world: World,
    officer: Any,
    client_for: Any,
    description: str,
    owner: str,
    due: Boxes,
    organisation: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    chosen = {"mine": str(council.pk), "elsewhere": str(elsewhere_world.council.pk), "none": "", "huge": "9" * 30}
    with rolled_back():
        before = state()
        response = client.post(
            f"/governance/meetings/{meeting.pk}/actions-arising/new/",
            {
                "arising-description": description,
                "arising-owner_name": owner,
                **boxes("arising-due_date", due),
                "arising-owner_organisation": chosen[organisation],
            },
        )
        assert response.status_code < 500
        day = date_in_boxes(due)
        if response.status_code == 302:
            event("saved")
            assert organisation in ("mine", "none")
            arising = ActionArising.objects.get(meeting=meeting)
            assert (arising.description, arising.owner_name) == (description.strip(), owner.strip())
            assert arising.due_date == day
        else:
            event("refused")
            assert not (
                organisation in ("mine", "none")
                and fits(description, 5000)
                and fits(owner, OWNER_LIMIT)
                and (day is None or (isinstance(day, datetime.date) and day >= meeting.date))
            ), "a plain, valid action arising was refused"
            assert refused_on_the_page(response)
            assert state() == before


@given(done_on=DATE_BOXES, note=text_near(5000))
def test_marking_an_action_arising_done_saves_whole_or_refuses_and_nothing_is_written(
    meeting: Meeting, officer: Any, client_for: Any, done_on: Boxes, note: str
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        arising = add_action_arising(
            meeting_id=meeting.pk, user=officer, description="Report back on recruitment.", owner_name="Director"
        )
        before = state() | {"done": list(ActionArising.objects.filter(pk=arising.pk).values("done_on", "done_note"))}
        response = client.post(
            f"/governance/meetings/{meeting.pk}/actions-arising/{arising.pk}/done/",
            {**boxes("done_on", done_on), "done_note": note},
        )
        assert response.status_code < 500
        day = date_in_boxes(done_on)
        if response.status_code == 302:
            event("saved")
            done = ActionArising.objects.get(pk=arising.pk)
            assert done.done_note == note.strip()
            assert done.done_on == (day or TODAY())
        else:
            event("refused")
            assert not (
                fits(note, 5000, required=False)
                and (day is None or (isinstance(day, datetime.date) and meeting.date <= day <= TODAY()))
            ), "a plain completion was refused"
            assert refused_on_the_page(response)
            assert (
                state() | {"done": list(ActionArising.objects.filter(pk=arising.pk).values("done_on", "done_note"))}
                == before
            )


@given(
    likelihood_before=SCORES,
    impact_before=SCORES,
    likelihood_after=SCORES,
    impact_after=SCORES,
    mitigations=text_near(5000),
    next_review=st.just(("1", "1", "2030")) | DATE_BOXES,
    comment=text_near(5000),
    reviewed_at=st.sampled_from(["mine", "elsewhere", "none"]),
)
@example(
    likelihood_before="4",
    impact_before="4",
    likelihood_after="3",
    impact_after="2",
    mitigations="=HYPERLINK(1) “Agreed” – in full,\u00a0with thanks 🙂",
    next_review=("1", "1", "2030"),
    comment="“Agreed” – in full,\u00a0with thanks 🙂" * 100,
    reviewed_at="mine",
)
def test_a_risk_rescore_is_saved_whole_or_refused_and_nothing_is_written(
    make_risk: Any,
    meeting: Meeting,
    elsewhere_world: World,
    officer: Any,
    client_for: Any,
    likelihood_before: str,
    impact_before: str,
    likelihood_after: str,
    impact_after: str,
    mitigations: str,
    next_review: Boxes,
    comment: str,
    reviewed_at: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    meetings = {"mine": str(meeting.pk), "elsewhere": str(elsewhere_world.meeting.pk), "none": ""}
    with rolled_back():
        risk = make_risk("R1")
        before = state() | {"risk": list(Risk.objects.filter(pk=risk.pk).values())}
        response = client.post(
            f"/governance/risks/{risk.pk}/rescore/",
            {
                "likelihood_before": likelihood_before,
                "impact_before": impact_before,
                "likelihood_after": likelihood_after,
                "impact_after": impact_after,
                "mitigations": mitigations,
                **boxes("next_review_date", next_review),
                "comment": comment,
                "meeting": meetings[reviewed_at],
                "version": str(risk.version),
            },
        )
        assert response.status_code < 500
        scores = [likelihood_before, impact_before, likelihood_after, impact_after]
        day = date_in_boxes(next_review)
        if response.status_code == 302:
            event("saved")
            assert reviewed_at != "elsewhere"
            rescored = Risk.objects.get(pk=risk.pk)
            assert [
                rescored.likelihood_before,
                rescored.impact_before,
                rescored.likelihood_after,
                rescored.impact_after,
            ] == [int(score) for score in scores]
            assert rescored.mitigations == mitigations.strip()
            assert rescored.next_review_date == day
            assert rescored.version == risk.version + 1
            review = RiskReview.objects.get(risk=risk)
            assert review.comment == comment.strip()
            assert rescored.history.latest().history_change_reason == comment.strip()
        else:
            event("refused")
            assert not (
                reviewed_at != "elsewhere"
                and all(score in ("1", "2", "3", "4", "5") for score in scores)
                and fits(mitigations, 5000, required=False)
                and fits(comment, 5000)
                and isinstance(day, datetime.date)
                and day > TODAY()
            ), "a plain, valid re-score was refused"
            assert refused_on_the_page(response)
            assert state() | {"risk": list(Risk.objects.filter(pk=risk.pk).values())} == before
