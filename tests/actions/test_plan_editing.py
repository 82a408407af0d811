"""Editing the plan in the browser: administrators add and edit priority areas, objectives and
actions and retire actions; the owning organisation's officers move a target date (with a reason)
and name a lead officer. Every write goes through actions.services, under the version check."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from actions.alerts import plan_actions
from actions.choices import ActionStatus, Brag, RetirementReason
from actions.models import Action, AreaForImprovement, Objective, PriorityArea, Theme
from actions.reports import ratings_by_area, slipping_actions
from actions.services import (
    ActionDetails,
    StaleEditError,
    add_action,
    record_rating_update,
    retire_action,
    revise_action,
)
from actions.timeline import action_timeline
from governance.as_it_stood import plan_as_it_stood
from tests.world import World

pytestmark = pytest.mark.django_db

REASON = "Health partners asked for six more months; agreed at the SEND Improvement Board on 4 March."


def action_form(action: Action, **changes: Any) -> dict[str, Any]:
    """The action's edit form as an administrator would post it, unchanged but for `changes`."""
    due = action.due_date
    data: dict[str, Any] = {
        "objective": action.objective_id,
        "published_ref": action.published_ref,
        "description": action.description,
        "owner": action.owner_id or "",
        "lead_officer": "",
        "lead_officer_name": action.lead_officer_name,
        "due_date_day": due.day if due else "",
        "due_date_month": due.month if due else "",
        "due_date_year": due.year if due else "",
        "success_measure": action.success_measure,
        "reason": "",
        "version": action.version,
    }
    data.update(changes)
    return data


# --- who may open which page -------------------------------------------------------------------

PAGES = ["edit", "retire", "revise", "new", "structure", "area_new", "area_edit", "objective_new", "objective_edit"]
# What each persona gets on each page: the administrator everything, the owning officer the
# revision only (and the structure page, which everyone reads).
EXPECTED = {
    "administrator": dict.fromkeys(PAGES, 200),
    "officer": {**dict.fromkeys(PAGES, 403), "revise": 200, "structure": 200},
    "other_officer": {**dict.fromkeys(PAGES, 403), "structure": 200},
    "scrutiny_member": {**dict.fromkeys(PAGES, 403), "structure": 200},
    "partner_user": {**dict.fromkeys(PAGES, 403), "structure": 200},
    "outsider": dict.fromkeys(PAGES, 404),
}


def page_url(name: str, action: Action) -> str:
    objective = action.objective
    args = {
        "edit": action.pk,
        "retire": action.pk,
        "revise": action.pk,
        "new": action.plan_id,
        "structure": action.plan_id,
        "area_new": action.plan_id,
        "area_edit": objective.priority_area_id,
        "objective_new": action.plan_id,
        "objective_edit": objective.pk,
    }[name]
    return reverse(f"actions:{name}", args=[args])


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_who_may_open_and_post_each_page(action, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    before = list(Action.history.model.objects.values_list("history_id", flat=True))

    got = {name: client.get(page_url(name, action)).status_code for name in PAGES}
    posted = {name: client.post(page_url(name, action), {}).status_code for name in PAGES if name != "structure"}

    assert got == EXPECTED[persona]
    # A refused post is refused before anything is read from it; an allowed empty one is a 400.
    allowed_post = {name: (400 if code == 200 else code) for name, code in EXPECTED[persona].items()}
    assert posted == {name: code for name, code in allowed_post.items() if name != "structure"}
    assert list(Action.history.model.objects.values_list("history_id", flat=True)) == before


def test_signed_out_visitors_are_sent_to_sign_in(action, client_for):
    for name in PAGES:
        response = client_for(None).get(page_url(name, action))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_pages_are_linked_for_those_who_may_use_them_only(
    action, officer, scrutiny_member, administrator, client_for
):
    def links(user: Any) -> set[str]:
        page = client_for(user).get(action.get_absolute_url()).content.decode()
        return {name for name in ("edit", "retire", "revise") if page_url(name, action) in page}

    assert links(administrator) == {"edit", "retire", "revise"}
    assert links(officer) == {"revise"}
    assert links(scrutiny_member) == set()


# --- an administrator adds and edits --------------------------------------------------------------


def test_an_administrator_adds_an_action_with_everything_the_plan_says(
    action, plan, objective, council, administrator, officer, client_for
):
    theme = Theme.objects.get(name="Right Plan")
    afi = AreaForImprovement.objects.create(plan=plan, number=2, text="Transition planning at all ages.")

    response = client_for(administrator).post(
        reverse("actions:new", args=[plan.pk]),
        {
            "objective": objective.pk,
            "published_ref": "3A:4",
            "description": "Audit “20-week” timeliness – monthly.",
            "owner": council.pk,
            "lead_officer": officer.pk,
            "lead_officer_name": "",
            "due_date_day": "31",
            "due_date_month": "3",
            "due_date_year": "25",
            "success_measure": "80% of plans issued within 20 weeks.",
            "themes": [theme.pk],
            "areas_for_improvement": [afi.pk],
            "reason": "",
        },
    )

    added = Action.objects.get(plan=plan, ref="3A4")
    assert response.status_code == 302 and response["Location"] == added.get_absolute_url()
    assert (added.published_ref, added.description) == ("3A:4", "Audit “20-week” timeliness – monthly.")
    assert (added.due_date, added.due_date_text) == (datetime.date(2025, 3, 31), "31 March 2025")
    assert (added.owner, added.lead_officer, added.status) == (council, officer, ActionStatus.OPEN)
    assert list(added.themes.all()) == [theme] and list(added.areas_for_improvement.all()) == [afi]
    record = added.history.get()
    assert (record.history_user, record.history_change_reason) == (administrator, "Added to the plan")


def test_the_form_refuses_rows_of_another_plan_and_another_partnership(
    action, plan, administrator, client_for, elsewhere_world: World
):
    foreign_objective = Objective.objects.filter(priority_area__plan__partnership=elsewhere_world.partnership).first()
    assert foreign_objective is not None
    data = action_form(action, published_ref="3A9", objective=foreign_objective.pk, owner=elsewhere_world.council.pk)

    response = client_for(administrator).post(reverse("actions:new", args=[plan.pk]), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the objective from the list." in page and "Choose the owner from the list." in page
    assert not Action.objects.filter(ref="3A9").exists()


def test_a_duplicate_or_malformed_reference_is_refused_on_its_field(action, plan, administrator, client_for):
    client = client_for(administrator)
    for ref, message in [("3a1", "The plan already has an action 3A1."), ("three", "Enter the reference like")]:
        response = client.post(reverse("actions:new", args=[plan.pk]), action_form(action, published_ref=ref))
        assert response.status_code == 400 and message in response.content.decode()
    assert Action.objects.filter(plan=plan).count() == 1


def test_an_edit_that_moves_the_target_date_needs_a_reason_and_keeps_the_typing(action, administrator, client_for):
    client = client_for(administrator)
    url = reverse("actions:edit", args=[action.pk])
    moved = action_form(action, due_date_day="31", due_date_month="3", due_date_year="2025", description="New words")

    refused = client.post(url, moved)
    saved = client.post(url, {**moved, "reason": REASON})

    assert refused.status_code == 400
    assert "Enter why the target date is changing." in refused.content.decode()
    assert "New words" in refused.content.decode()
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.due_date, action.description, action.version) == (datetime.date(2025, 3, 31), "New words", 2)
    assert action.history.latest().history_change_reason == REASON


def test_an_administrator_adds_and_edits_priority_areas_and_objectives(plan, administrator, client_for):
    client = client_for(administrator)

    client.post(reverse("actions:area_new", args=[plan.pk]), {"number": "5", "title": "Preparing for adulthood"})
    area = PriorityArea.objects.get(plan=plan, number=5)
    client.post(reverse("actions:objective_new", args=[plan.pk]), {"priority_area": area.pk, "code": "5a", "text": "x"})
    objective = Objective.objects.get(priority_area=area)
    edited = client.post(
        reverse("actions:objective_edit", args=[objective.pk]),
        {"priority_area": area.pk, "code": "5A", "text": "Young people plan their next steps.", "version": 1},
    )
    clash = client.post(reverse("actions:area_new", args=[plan.pk]), {"number": "5", "title": "Again"})

    assert edited.status_code == 302
    objective.refresh_from_db()
    assert (objective.code, objective.text, objective.version) == ("5A", "Young people plan their next steps.", 2)
    assert objective.history.count() == 2
    assert clash.status_code == 400 and "The plan already has a priority area 5." in clash.content.decode()


# --- retiring ---------------------------------------------------------------------------------


def test_retiring_into_another_action_keeps_it_in_the_plan_marked_retired(make_action, plan, administrator, client_for):
    old = make_action("3A1", due_date=datetime.date(2020, 1, 31))
    new = make_action("3A2")
    client = client_for(administrator)

    missing = client.post(
        reverse("actions:retire", args=[old.pk]), {"reason": RetirementReason.MERGED, "note": "x", "version": 1}
    )
    response = client.post(
        reverse("actions:retire", args=[old.pk]),
        {"reason": RetirementReason.MERGED, "merged_into": new.pk, "note": "Merged at the March board.", "version": 1},
    )

    assert missing.status_code == 400 and "Choose the open action of the plan" in missing.content.decode()
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.merged_into, old.retired_note) == (ActionStatus.RETIRED, new, "Merged at the March board.")
    detail = client.get(old.get_absolute_url()).content.decode()
    assert "Retired" in detail and "merged into another action" in detail
    listed = client.get(reverse("actions:list"), {"plan": plan.pk}).content.decode()
    assert "Retired" in listed and "3A1" in listed
    only_open = client.get(reverse("actions:list"), {"plan": plan.pk, "status": "open"}).content.decode()
    assert ">3A1<" not in only_open
    entries = action_timeline(old)
    assert entries[0].kind == "retired" and entries[0].why == "Merged at the March board."


def test_a_retired_action_is_in_no_count_or_alert_but_stays_in_the_plan_as_it_stood(
    make_action, plan, priority_area, administrator
):
    today = datetime.date(2026, 12, 6)
    late = make_action("3A1", due_date=today - datetime.timedelta(days=3), brag=Brag.RED)
    make_action("3A2", due_date=today - datetime.timedelta(days=3), brag=Brag.RED)
    retire_action(
        action_id=late.pk,
        user=administrator,
        reason=RetirementReason.NO_LONGER_NEEDED,
        note="Done by the new service.",
        based_on_version=late.version,
    )

    (area,) = ratings_by_area(plan, today)
    assert (area.total, area.overdue, area.retired, area.counts[Brag.RED]) == (1, 1, 1, 1)
    assert [row["action"].ref for row in slipping_actions(plan, today)] == ["3A2"]
    alerted = {candidate.subject_id for candidate in plan_actions(today)}
    assert late.pk not in alerted
    stood = plan_as_it_stood(plan, today)
    retired = stood.by_action_id[late.pk]
    assert retired.is_retired and not retired.is_overdue(today)
    assert [count.count for count in stood.rating_counts() if count.value == Brag.RED] == [1]


def test_a_retired_action_is_not_rated_moved_or_retired_again(action, administrator, officer):
    retire_action(action_id=action.pk, user=administrator, reason="no_longer_needed", note="Gone.", based_on_version=1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        record_rating_update(action_id=action.pk, user=officer, brag="red", commentary="x", based_on_version=2)
    with pytest.raises(ValidationError):
        revise_action(
            action_id=action.pk, user=officer, due_date=datetime.date(2030, 1, 1), based_on_version=2, reason="x"
        )
    with pytest.raises(ValidationError):
        retire_action(action_id=action.pk, user=administrator, reason="no_longer_needed", note="x", based_on_version=2)


# --- an officer moves the target date -------------------------------------------------------------


def test_an_officer_moves_the_target_date_with_a_reason_and_sees_it_in_the_timeline(action, officer, client_for):
    client = client_for(officer)
    url = reverse("actions:revise", args=[action.pk])
    moved = {"due_date_day": "31", "due_date_month": "3", "due_date_year": "2025", "version": 1}

    without = client.post(url, moved)
    response = client.post(url, {**moved, "reason": REASON})

    assert without.status_code == 400 and "Enter why the target date is changing." in without.content.decode()
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_date, action.due_date_text, action.version) == (datetime.date(2025, 3, 31), "31 March 2025", 2)
    page = client.get(action.get_absolute_url()).content.decode()
    assert REASON in page and "Target date: “Apr 24” to “31 March 2025”" in page


def test_an_officer_names_a_lead_officer_without_a_reason(action, officer, client_for):
    response = client_for(officer).post(
        reverse("actions:revise", args=[action.pk]),
        {
            "due_date_day": "30",
            "due_date_month": "4",
            "due_date_year": "2024",
            "lead_officer": officer.pk,
            "version": 1,
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.lead_officer, action.due_date, action.version) == (officer, datetime.date(2024, 4, 30), 2)


def test_a_lead_officer_of_another_partnership_is_refused(action, officer, outsider):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        revise_action(
            action_id=action.pk,
            user=officer,
            due_date=action.due_date,
            based_on_version=1,
            reason="",
            lead_officer_id=outsider.pk,
        )
    assert "lead_officer" in refused.value.message_dict


def test_a_second_editors_stale_save_is_refused_with_what_changed_and_nothing_lost(
    action, officer, administrator, client_for
):
    revise_action(
        action_id=action.pk,
        user=administrator,
        due_date=datetime.date(2024, 6, 30),
        based_on_version=1,
        reason="Agreed at the board.",
    )

    response = client_for(officer).post(
        reverse("actions:revise", args=[action.pk]),
        {"due_date_day": "31", "due_date_month": "12", "due_date_year": "2024", "reason": "My reason.", "version": 1},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this while you were editing it" in page
    assert "Agreed at the board." in page and "Target date: “Apr 24” to “30 June 2024”" in page
    assert "My reason." in page and 'value="12"' in page
    assert re.search(r'name="version" value="2"', page)
    action.refresh_from_db()
    assert (action.due_date, action.version) == (datetime.date(2024, 6, 30), 2)


def test_a_stale_service_call_raises_and_writes_nothing(action, administrator):
    details = ActionDetails(objective_id=action.objective_id, published_ref="3A1", description="x")
    revise_action(action_id=action.pk, user=administrator, due_date=None, based_on_version=1, reason="TBC now.")

    from actions.services import edit_action

    with pytest.raises(StaleEditError):
        edit_action(action_id=action.pk, user=administrator, details=details, based_on_version=1)
    action.refresh_from_db()
    assert (action.description, action.due_date_text) == (
        "Action 3A1: process map all EHCP timelines.",
        "To be confirmed",
    )


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_an_action_added_is_stamped_and_placed_after_its_objectives_last(make_action, plan, objective, administrator):
    make_action("3A1", position=4)
    make_action("3A2", position=7)
    added = add_action(
        plan_id=plan.pk,
        user=administrator,
        details=ActionDetails(objective_id=objective.pk, published_ref="3A3", description="Third."),
    )

    assert [a.ref for a in Action.objects.filter(plan=plan)] == ["3A1", "3A2", "3A3"]
    assert (added.due_date, added.due_date_text, added.version) == (None, "To be confirmed", 1)
    assert added.history.get().history_date == datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)


def test_a_stale_objective_edit_is_refused_with_what_changed_and_the_typing_kept(
    objective, plan, administrator, client_for
):
    from actions.services import save_objective

    save_objective(
        plan_id=plan.pk,
        user=administrator,
        priority_area_id=objective.priority_area_id,
        code="3A",
        text="Needs identified early.",
        objective_id=objective.pk,
        based_on_version=1,
    )

    response = client_for(administrator).post(
        reverse("actions:objective_edit", args=[objective.pk]),
        {"priority_area": objective.priority_area_id, "code": "3A", "text": "My wording.", "version": 1},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this while you were editing it" in page and "Objective edited" in page
    assert "My wording." in page and re.search(r'name="version" value="2"', page)
    objective.refresh_from_db()
    assert (objective.text, objective.version) == ("Needs identified early.", 2)


@pytest.mark.parametrize("version", [{}, {"version": ""}])
def test_an_area_or_objective_edit_sent_without_its_version_is_refused_not_saved_over_others(
    version, objective, administrator, client_for
):
    """The version check is not skipped by leaving out the form's hidden version, as an action's is not."""
    area = objective.priority_area
    client = client_for(administrator)

    area_response = client.post(
        reverse("actions:area_edit", args=[area.pk]), {"number": area.number, "title": "Mine", **version}
    )
    objective_response = client.post(
        reverse("actions:objective_edit", args=[objective.pk]),
        {"priority_area": area.pk, "code": objective.code, "text": "Mine", **version},
    )

    assert (area_response.status_code, objective_response.status_code) == (409, 409)
    area.refresh_from_db()
    objective.refresh_from_db()
    assert "Mine" not in (area.title, objective.text)
    assert (area.history.count(), objective.history.count()) == (1, 1)


def test_a_retired_actions_target_date_is_not_moved_by_an_administrators_edit_either(action, administrator, client_for):
    """Retired, an action's target date no longer changes (as revise_action and the API say), so it
    is not counted as slipping after it was retired; its words can still be corrected."""
    retire_action(action_id=action.pk, user=administrator, reason="no_longer_needed", note="Gone.", based_on_version=1)
    action.refresh_from_db()
    due = action.due_date
    client = client_for(administrator)

    moved = client.post(
        page_url("edit", action),
        action_form(action, due_date_day="1", due_date_month="1", due_date_year="2030", reason="Moved.", version=2),
    )
    corrected = client.post(page_url("edit", action), action_form(action, description="Corrected wording.", version=2))

    assert (moved.status_code, corrected.status_code) == (400, 302)
    assert "This action is retired" in moved.content.decode()
    action.refresh_from_db()
    assert (action.due_date, action.description, action.version) == (due, "Corrected wording.", 3)
