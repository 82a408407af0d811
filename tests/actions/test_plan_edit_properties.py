"""The plan's edit forms with values as people write them: text at and past each limit, pasted
from Word, starting with a formula character or holding a NUL; dates as people fill the boxes;
numbers as people type them. Each post is saved whole (stripped), with one new history row, or
refused with the error summary (400) and nothing changes. Never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from actions.choices import ActionStatus, RetirementReason
from actions.models import Action, PriorityArea
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

pytestmark = pytest.mark.django_db

TEXT = 5000
WORD = ("“Caseworkers’ backlog” – cleared\u00a0by March 🙂; next: the EHC plan audit… " * 70)[:TEXT]
REFS = st.sampled_from(
    ["3A2", "3A:2", " 3a2 ", "3A1", "3.2", "3A", "", "=3A2", "3A2\x00", "3A" + "9" * 30]
) | text_near(20)


def history_counts() -> dict[str, int]:
    return counts(Action, Action.history.model, PriorityArea, PriorityArea.history.model)


def outcome(response: Any, before: dict[str, int]) -> bool:
    """Whether the post saved; a refusal must be the form again with its errors and no change."""
    assert response.status_code < 500
    if response.status_code == 302:
        event("saved")
        return True
    event("refused")
    assert refused_on_the_page(response), response.status_code
    assert history_counts() == before
    return False


@given(
    ref=REFS,
    description=text_near(TEXT),
    measure=st.just("") | text_near(TEXT),
    lead=st.just("") | text_near(200),
    due=DATE_BOXES,
)
@example(ref="3A:2", description=WORD, measure=WORD, lead="Head of SEND – “Assessment”", due=("31", "3", "25"))
def test_an_added_action_is_saved_whole_or_refused(
    action: Action,
    plan: Any,
    administrator: Any,
    client_for: Any,
    ref: str,
    description: str,
    measure: str,
    lead: str,
    due: Any,
) -> None:
    need_postgres()
    client = client_for(administrator)
    with rolled_back():
        before = history_counts()
        response = client.post(
            reverse("actions:new", args=[plan.pk]),
            {
                "objective": action.objective_id,
                "published_ref": ref,
                "description": description,
                "success_measure": measure,
                "lead_officer_name": lead,
                **boxes("due_date", due),
            },
        )
        valid = (
            fits(description, TEXT)
            and fits(measure, TEXT, required=False)
            and fits(lead, 200, required=False)
            and date_in_boxes(due) is not False
        )
        if outcome(response, before):
            added = Action.objects.get(plan=plan, published_ref=ref.strip())
            assert (added.description, added.success_measure, added.lead_officer_name) == (
                description.strip(),
                measure.strip(),
                lead.strip(),
            )
            assert added.due_date == date_in_boxes(due)
            assert history_counts()[Action.history.model._meta.label] == before[Action.history.model._meta.label] + 1
        else:
            assert not (valid and ref.strip() in ("3A2", "3A:2", "3.2")), response.content.decode()[:2000]


@given(due=DATE_BOXES, reason=st.just("") | text_near(TEXT))
@example(due=("31", "3", "2025"), reason=WORD)
@example(due=("31", "3", "2025"), reason='=HYPERLINK("https://evil.example")')
def test_an_officers_new_target_date_is_saved_with_its_reason_or_refused(
    action: Action, officer: Any, client_for: Any, due: Any, reason: str
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = history_counts()
        response = client.post(
            reverse("actions:revise", args=[action.pk]), {**boxes("due_date", due), "reason": reason, "version": 1}
        )
        day = date_in_boxes(due)
        moves = day is not False and day != action.due_date
        if outcome(response, before):
            stored = Action.objects.get(pk=action.pk)
            assert stored.due_date == day
            if moves:
                assert stored.history.latest().history_change_reason == reason.strip()
                assert fits(reason, TEXT)
        else:
            assert day is False or not fits(reason, TEXT, required=moves)


@given(
    reason=st.sampled_from([*RetirementReason.values, "", "deleted", "MERGED"]),
    note=text_near(TEXT),
    into=st.sampled_from(["other", "self", "", "999999999999999999999", "x"]),
)
@example(reason="merged", note=WORD, into="other")
def test_retiring_is_saved_whole_or_refused(
    make_action: Any, administrator: Any, client_for: Any, reason: str, note: str, into: str
) -> None:
    need_postgres()
    client = client_for(administrator)
    with rolled_back():
        old, new = make_action("3A1"), make_action("3A2")
        before = history_counts()
        target = {"other": str(new.pk), "self": str(old.pk)}.get(into, into)
        response = client.post(
            reverse("actions:retire", args=[old.pk]),
            {"reason": reason, "note": note, "merged_into": target, "version": 1},
        )
        needs_into = reason in (RetirementReason.SUPERSEDED, RetirementReason.MERGED)
        valid = reason in RetirementReason.values and fits(note, TEXT) and (into == "other" or not needs_into)
        if outcome(response, before):
            stored = Action.objects.get(pk=old.pk)
            assert (stored.status, stored.retired_note) == (ActionStatus.RETIRED, note.strip())
            assert stored.merged_into == (new if needs_into else None)
        else:
            assert not (valid and into in ("other", "")), response.content.decode()[:2000]


@given(
    number=st.sampled_from(["5", " 5 ", "05", "0", "99", "100", "-1", "1e2", "٥", "", "5.0", "9" * 30]),
    title=text_near(200),
)
def test_a_priority_area_is_saved_whole_or_refused(
    plan: Any, priority_area: Any, administrator: Any, client_for: Any, number: str, title: str
) -> None:
    need_postgres()
    client = client_for(administrator)
    with rolled_back():
        before = history_counts()
        response = client.post(reverse("actions:area_new", args=[plan.pk]), {"number": number, "title": title})
        if outcome(response, before):
            area = PriorityArea.objects.get(plan=plan, title=title.strip())
            assert 1 <= area.number <= 99 and area.number != priority_area.number
        else:
            plain = number.strip() in ("5", "05", "99") and fits(title, 200)
            assert not plain, response.content.decode()[:2000]
