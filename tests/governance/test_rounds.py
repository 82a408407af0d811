"""Update rounds: when a round opens and closes around bank holidays, which actions are due an
update, the owner's confirmation that a rating stands, the returns page, and the round's alerts,
raised once each with a frozen clock."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from hypothesis import example, given

from actions.models import Action, RatingUpdate
from actions.services import CONFIRMATION_LIMIT, confirm_rating_unchanged
from actions.timeline import action_timeline
from governance.alerts import update_rounds
from governance.models import Board, Meeting
from governance.rounds import current_round, returns_for, round_for, working_days_before
from recommendations.models import BankHoliday
from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import sweep
from tests.as_people_write import counts, fits, refused_on_the_page, rolled_back, text_near, was_saved
from tests.conftest import need_postgres
from tests.governance.conftest import at, rate
from tests.world import World

pytestmark = pytest.mark.django_db

D = datetime.date
NO_HOLIDAYS: frozenset[datetime.date] = frozenset()


@pytest.fixture
def siab(board: Board, plan: Any) -> Board:
    board.oversees = plan
    board.save()
    return board


def test_working_days_before_skip_weekends_and_bank_holidays():
    # Easter 2025: Good Friday 18 April and Easter Monday 21 April.
    assert working_days_before(D(2025, 4, 22), 1, NO_HOLIDAYS) == D(2025, 4, 17)
    assert working_days_before(D(2025, 4, 22), 2, NO_HOLIDAYS) == D(2025, 4, 16)
    # Christmas 2025: Thursday 25 and Friday 26 December; New Year's Day, a Thursday.
    assert working_days_before(D(2026, 1, 2), 1, NO_HOLIDAYS) == D(2025, 12, 31)
    assert working_days_before(D(2025, 12, 29), 1, NO_HOLIDAYS) == D(2025, 12, 24)
    with pytest.raises(ValueError):
        working_days_before(D(2025, 12, 29), 0, NO_HOLIDAYS)


def _dates(meeting: Meeting) -> tuple[datetime.date, datetime.date, datetime.date]:
    """When the meeting's round opens and closes, and the day of the closing reminder."""
    update_round = round_for(meeting)
    assert update_round is not None
    return update_round.opens, update_round.closes, update_round.reminder_on


def test_a_round_after_easter_opens_ten_working_days_before_and_closes_at_the_papers_deadline(siab, make_meeting):
    meeting = make_meeting(D(2025, 4, 24), papers_deadline=D(2025, 4, 22))

    # Opens 8 April: 23, 22, 17, 16, 15, 14, 11, 10, 9, 8 April, Good Friday and Easter Monday not counted.
    # The reminder two working days before Tuesday 22 April, over the Easter weekend: Wednesday 16 April.
    assert _dates(meeting) == (D(2025, 4, 8), D(2025, 4, 22), D(2025, 4, 16))
    update_round = round_for(meeting)
    assert update_round is not None
    days = (D(2025, 4, 7), D(2025, 4, 8), D(2025, 4, 22), D(2025, 4, 23))
    assert [update_round.status(day) for day in days] == ["not open yet", "open", "open", "closed"]


def test_a_round_over_christmas_and_the_boards_own_number_of_days(siab, make_meeting):
    meeting = make_meeting(D(2026, 1, 6), papers_deadline=D(2025, 12, 29))

    # 5 and 2 January, 31, 30, 29, 24, 23, 22, 19 and 18 December: 25, 26 December and 1 January are not counted.
    assert _dates(meeting) == (D(2025, 12, 18), D(2025, 12, 29), D(2025, 12, 23))

    siab.update_round_days = 3
    siab.save()
    meeting.refresh_from_db()
    # Three working days before the meeting is after its papers deadline: the round opens at it.
    assert _dates(meeting) == (D(2025, 12, 29), D(2025, 12, 29), D(2025, 12, 29))


def test_a_bank_holiday_an_administrator_added_moves_the_opening(siab, make_meeting):
    meeting = make_meeting(D(2025, 4, 24), papers_deadline=D(2025, 4, 22))
    BankHoliday.objects.create(date=D(2025, 4, 14), name="A day proclaimed")

    assert _dates(meeting)[0] == D(2025, 4, 7)


def test_without_a_papers_deadline_the_round_closes_on_the_last_working_day_before_the_meeting(siab, make_meeting):
    meeting = make_meeting(D(2025, 4, 22))

    assert _dates(meeting)[1] == D(2025, 4, 17)


def test_a_board_that_oversees_no_plan_has_no_rounds(board, make_meeting):
    assert round_for(make_meeting(D(2025, 4, 24))) is None


def _cycle(make_action, make_meeting, officer, icb) -> dict[str, Any]:
    """Meetings on 20 March and 24 April 2025 (papers deadline 22 April). 3A1 and 3A2 are the
    council's, 3A3 the ICB's; all rated before the March meeting."""
    actions = {
        "3A1": make_action("3A1", position=1),
        "3A2": make_action("3A2", position=2),
        "3A3": make_action("3A3", position=3, owner=icb),
    }
    for action in actions.values():
        rate(action, officer if action.owner_id != icb.pk else _admin(icb), "amber", at(2025, 3, 10))
    return {
        "actions": actions,
        "march": make_meeting(D(2025, 3, 20)),
        "april": make_meeting(D(2025, 4, 24), papers_deadline=D(2025, 4, 22)),
    }


def _admin(organisation: Any) -> Any:
    from tests.conftest import make_user

    return make_user("rater", organisation, "administrator")


def test_an_action_not_rated_or_confirmed_since_the_last_meeting_is_due(
    siab, make_action, make_meeting, officer, icb, plan
):
    cycle = _cycle(make_action, make_meeting, officer, icb)
    actions = cycle["actions"]
    rate(actions["3A2"], officer, "red", at(2025, 4, 9))
    with time_machine.travel(at(2025, 4, 10), tick=False):
        confirm_rating_unchanged(
            action_id=actions["3A1"].pk,
            user=officer,
            commentary="No change: the audit is on track.",
            based_on_version=Action.objects.get(pk=actions["3A1"].pk).version,
        )

    update_round = current_round(plan, D(2025, 4, 10))
    assert update_round is not None and update_round.meeting == cycle["april"]
    assert {a.published_ref for a in update_round.due_actions()} == {"3A3"}
    returns = returns_for(update_round)
    by_name = {o.name: o for o in returns.organisations}
    council = by_name["Testshire County Council"]
    assert [row.action.published_ref for row in council.updated] == ["3A1", "3A2"]
    assert [row.confirmed for row in council.updated] == [True, False]
    assert [row.action.published_ref for row in by_name[icb.name].due] == ["3A3"]
    # Those with most still to do come first.
    assert returns.organisations[0].name == icb.name


def test_confirming_counts_as_an_update_and_history_says_so(action, officer, client_for):
    rate(action, officer, "green", at(2025, 3, 10), evidence="Audit of 20 plans.")
    version = Action.objects.get(pk=action.pk).version

    response = client_for(officer).post(
        f"/governance/actions/{action.pk}/confirm/",
        {"commentary": "  Still Green – the audit’s findings hold.  ", "version": str(version)},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.brag == "green" and action.version == version + 1
    update = action.rating_updates.get(version=action.version)
    assert (update.brag, update.previous_brag) == ("green", "green")
    assert update.commentary == "Still Green – the audit’s findings hold."
    assert action.history.first().why == "Confirmed unchanged: Still Green – the audit’s findings hold."
    assert action_timeline(action)[0].is_confirmation
    page = client_for(officer).get(action.get_absolute_url()).content.decode()
    assert "Confirmed unchanged: Green" in page


def test_an_action_never_rated_cannot_be_confirmed(action, officer, client_for):
    response = client_for(officer).post(
        f"/governance/actions/{action.pk}/confirm/", {"commentary": "Fine.", "version": str(action.version)}
    )

    assert refused_on_the_page(response)
    assert "not been rated yet" in response.content.decode()
    assert not RatingUpdate.objects.filter(action=action).exists()


def test_a_stale_confirmation_is_refused_and_says_what_the_rating_is_now(action, officer, client_for):
    rate(action, officer, "amber", at(2025, 3, 10))
    seen = Action.objects.get(pk=action.pk).version
    rate(action, officer, "red", at(2025, 3, 11))

    response = client_for(officer).post(
        f"/governance/actions/{action.pk}/confirm/", {"commentary": "Unchanged.", "version": str(seen)}
    )

    assert response.status_code == 409
    assert "it is now rated Red" in response.content.decode()
    assert RatingUpdate.objects.filter(action=action).count() == 2


@pytest.mark.parametrize("who", ["scrutiny_member", "other_officer", "partner_user"])
def test_only_the_owners_officers_confirm(who, action, officer, client_for, request):
    rate(action, officer, "amber", at(2025, 3, 10))
    client = client_for(request.getfixturevalue(who))
    url = f"/governance/actions/{action.pk}/confirm/"

    assert client.get(url).status_code == 403
    assert client.post(url, {"commentary": "Unchanged.", "version": "2"}).status_code == 403
    assert RatingUpdate.objects.filter(action=action).count() == 1


def test_another_partnerships_pages_are_404(elsewhere_world: World, siab, make_meeting, officer, client_for):
    theirs = elsewhere_world.actions[next(iter(elsewhere_world.actions))]
    client = client_for(officer)

    assert client.get(f"/governance/actions/{theirs.pk}/confirm/").status_code == 404
    assert client.get(f"/governance/meetings/{elsewhere_world.meeting.pk}/returns/").status_code == 404
    assert client.get(f"/governance/boards/{elsewhere_world.board.pk}/update-rounds/").status_code == 404


def test_the_returns_page_shows_who_has_updated_by_organisation(
    siab, make_action, make_meeting, officer, icb, client_for, scrutiny_member, partner_user
):
    cycle = _cycle(make_action, make_meeting, officer, icb)
    rate(cycle["actions"]["3A2"], officer, "red", at(2025, 4, 9))
    april = cycle["april"]

    with time_machine.travel(at(2025, 4, 10), tick=False):
        response = client_for(scrutiny_member).get(f"/governance/meetings/{april.pk}/returns/")
        meeting_page = client_for(scrutiny_member).get(april.get_absolute_url()).content.decode()
        partner = client_for(partner_user).get(f"/governance/meetings/{april.pk}/returns/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Opens Tuesday 8 April 2025, closes Tuesday 22 April 2025 (the papers deadline): open" in page
    assert "or a rating confirmed unchanged, after the meeting of 20 March 2025" in page
    assert "1 of 2 actions updated; <strong>1 not updated</strong>" in page
    assert "0 of 1 action updated; <strong>1 not updated</strong>" in page
    assert f'href="/plan/actions/{cycle["actions"]["3A1"].pk}/"' in page
    assert "Rated Red on 9 April 2025" in page
    # The meeting's page marks the actions not updated, and links to the returns.
    assert "Not updated this round" in meeting_page
    assert meeting_page.count("app-not-updated") == 1 and "Testshire County Council (1): <a" in meeting_page
    assert f"/governance/meetings/{april.pk}/returns/" in meeting_page
    # The returns are the partnership's officers', administrators' and scrutiny members'.
    assert partner.status_code == 403


def test_a_meeting_of_a_board_without_rounds_has_no_returns(board, make_meeting, officer, client_for):
    meeting = make_meeting(D(2025, 4, 24))

    assert client_for(officer).get(f"/governance/meetings/{meeting.pk}/returns/").status_code == 404
    assert "Update round" not in client_for(officer).get(meeting.get_absolute_url()).content.decode()


def _round_alerts() -> list[tuple[str, str, datetime.date, str]]:
    return sorted(
        (alert.recipient.username, alert.kind, alert.due_date, alert.body)
        for alert in Alert.objects.filter(kind__in=[AlertKind.ROUND_OPEN, AlertKind.ROUND_CLOSING])
    )


def test_officers_are_told_once_when_the_round_opens_and_once_two_working_days_before_it_closes(
    siab, make_action, make_meeting, officer, other_officer, icb
):
    cycle = _cycle(make_action, make_meeting, officer, icb)
    sources = {"update_rounds": update_rounds}

    sweep(D(2025, 4, 7), sources=sources)
    assert _round_alerts() == []

    sweep(D(2025, 4, 8), sources=sources)
    sweep(D(2025, 4, 8), sources=sources)
    sweep(D(2025, 4, 9), sources=sources)
    told = _round_alerts()
    # One alert per officer per round, naming every action of theirs that is due.
    assert [(who, kind, due) for who, kind, due, _ in told] == [
        ("ian", AlertKind.ROUND_OPEN, D(2025, 4, 22)),
        ("olivia", AlertKind.ROUND_OPEN, D(2025, 4, 22)),
    ]
    olivia = told[1][3]
    assert "- 3A1: Action 3A1" in olivia and "- 3A2: Action 3A2" in olivia and "3A3" not in olivia
    title = Alert.objects.get(recipient=officer).title
    assert title == "Update round open until 22 April 2025: 2 actions of Testshire County Council due an update"

    # The council updates 3A1; on the Tuesday before Easter (15 April) no reminder yet.
    rate(cycle["actions"]["3A1"], officer, "green", at(2025, 4, 14), evidence="Evidence.")
    sweep(D(2025, 4, 15), sources=sources)
    assert len(_round_alerts()) == 2

    sweep(D(2025, 4, 16), sources=sources)
    sweep(D(2025, 4, 17), sources=sources)
    closing = [row for row in _round_alerts() if row[1] == AlertKind.ROUND_CLOSING]
    assert [(who, due) for who, _, due, _ in closing] == [("ian", D(2025, 4, 22)), ("olivia", D(2025, 4, 22))]
    assert "3A1" not in closing[1][3] and "- 3A2" in closing[1][3]

    # After the round closes, nothing more is raised.
    sweep(D(2025, 4, 23), sources=sources)
    assert len(_round_alerts()) == 4


def test_the_round_is_one_of_the_sweeps_sources(siab, make_action, make_meeting, officer, icb):
    _cycle(make_action, make_meeting, officer, icb)
    with time_machine.travel(at(2025, 4, 8, 7), tick=False):
        result = sweep(D(2025, 4, 8))

    assert result.by_source["update_rounds"] == 1


def test_an_administrator_sets_the_boards_update_rounds(board, plan, administrator, officer, client_for):
    url = f"/governance/boards/{board.pk}/update-rounds/"
    assert client_for(officer).get(url).status_code == 403

    response = client_for(administrator).post(url, {"oversees": str(plan.pk), "update_round_days": "12"})

    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.oversees_id, board.update_round_days) == (plan.pk, 12)
    assert board.history.first().why == "Update rounds changed"
    page = client_for(administrator).get(board.get_absolute_url()).content.decode()
    assert "each round opens 12 working days before a meeting" in page


def test_a_plan_has_one_overseeing_board_and_the_days_are_bounded(board, plan, administrator, client_for, partnership):
    other = Board.objects.create(partnership=partnership, name="Delivery Group", kind="delivery_group")
    other.oversees = plan
    other.save()
    url = f"/governance/boards/{board.pk}/update-rounds/"
    client = client_for(administrator)

    taken = client.post(url, {"oversees": str(plan.pk), "update_round_days": "10"})
    too_many = client.post(url, {"oversees": "", "update_round_days": "41"})
    words = client.post(url, {"oversees": "", "update_round_days": "ten"})

    assert "Delivery Group already oversees Testshire Priority Action Plan" in taken.content.decode()
    assert "from 1 to 40" in too_many.content.decode()
    assert "as a whole number" in words.content.decode()
    assert all(refused_on_the_page(r) for r in (taken, too_many, words))
    board.refresh_from_db()
    assert board.oversees_id is None and board.update_round_days == 10


def test_a_board_added_with_its_plan_runs_rounds(plan, administrator, client_for):
    response = client_for(administrator).post(
        "/governance/boards/new/",
        {"name": "Testshire Improvement Board", "kind": "improvement_board", "oversees": str(plan.pk)}
        | {"update_round_days": "8"},
    )

    assert response.status_code == 302
    board = Board.objects.get(name="Testshire Improvement Board")
    assert (board.oversees_id, board.update_round_days) == (plan.pk, 8)


@given(commentary=text_near(CONFIRMATION_LIMIT))
@example(commentary="“Unchanged” – the panel met on 31/3/25;\u00a0see the minutes 🙂")
@example(commentary='=HYPERLINK("http://x")')
def test_a_confirmation_is_saved_whole_or_refused_and_nothing_is_written(
    action: Action, officer: Any, client_for: Any, commentary: str
) -> None:
    need_postgres()
    rate(action, officer, "amber", at(2025, 3, 10))
    client = client_for(officer)
    with rolled_back():
        before = counts(RatingUpdate, Action.history.model)
        version = Action.objects.get(pk=action.pk).version
        response = client.post(
            f"/governance/actions/{action.pk}/confirm/", {"commentary": commentary, "version": str(version)}
        )
        if was_saved(response):
            update = RatingUpdate.objects.get(action=action, version=version + 1)
            assert update.commentary == commentary.strip()
            assert update.brag == update.previous_brag == "amber"
        else:
            assert not fits(commentary, CONFIRMATION_LIMIT), "a plain confirmation was refused"
            assert refused_on_the_page(response)
            assert counts(RatingUpdate, Action.history.model) == before


def test_the_oxfordshire_board_runs_the_plans_rounds(oxfordshire_committed):
    board = Board.objects.get(short_name="SIAB")

    assert board.oversees is not None and board.oversees.is_current
    assert board.update_round_days == 10
    assert Meeting.objects.filter(board=board).exists()


def test_the_dashboard_is_given_the_next_rounds_summary(siab, make_action, make_meeting, officer, icb, plan, rf):
    from governance.reports import dashboard_section

    _cycle(make_action, make_meeting, officer, icb)
    request = rf.get("/")
    request.user = officer

    summary = dashboard_section(request, plan, D(2025, 4, 10))["round_summary"]

    assert (summary["status"], summary["due"], summary["round"].closes) == ("open", 3, D(2025, 4, 22))


def test_the_board_pack_marks_the_actions_not_updated_this_round(
    siab, make_action, make_meeting, officer, icb, scrutiny_member, client_for
):
    cycle = _cycle(make_action, make_meeting, officer, icb)
    rate(cycle["actions"]["3A2"], officer, "red", at(2025, 4, 9))

    pack = client_for(scrutiny_member).get(f"/governance/meetings/{cycle['april'].pk}/pack.csv").content.decode()

    marked = [line for line in pack.splitlines() if "not updated this round" in line]
    # The highlight report's rows of 3A1 and 3A3 say so after their rating; 3A2 was re-rated.
    assert [line.split(",")[0] for line in marked] == ["3A1", "3A3"]
    assert all(line.endswith("Amber (not updated this round)") for line in marked)


def test_the_action_page_says_an_update_is_due_until_one_is_made(
    siab, make_action, make_meeting, officer, icb, client_for
):
    cycle = _cycle(make_action, make_meeting, officer, icb)
    action = cycle["actions"]["3A1"]
    client = client_for(officer)

    with time_machine.travel(at(2025, 4, 7), tick=False):
        before = client.get(action.get_absolute_url()).content.decode()
    rate(action, officer, "red", at(2025, 4, 9))
    with time_machine.travel(at(2025, 4, 10), tick=False):
        after = client.get(action.get_absolute_url()).content.decode()

    assert "Update due</strong> for the SIAB meeting of 24 April 2025: re-rate it, or confirm its rating" in before
    assert "by 22 April 2025 (the round opens on 8 April 2025)." in before
    assert "Update due" not in after


def test_only_those_who_can_rate_the_action_are_told_to_update_it(
    siab, make_action, make_meeting, officer, other_officer, scrutiny_member, icb, client_for
):
    cycle = _cycle(make_action, make_meeting, officer, icb)
    action = cycle["actions"]["3A1"]

    with time_machine.travel(at(2025, 4, 9), tick=False):
        pages = {
            user: client_for(user).get(action.get_absolute_url()).content.decode()
            for user in (officer, scrutiny_member, other_officer)
        }

    assert "re-rate it, or confirm its rating unchanged" in pages[officer]
    assert "Not yet updated for the" not in pages[officer]
    # A councillor, and an officer of an organisation that does not own it, read only the fact.
    for reader in (scrutiny_member, other_officer):
        assert "Update due" not in pages[reader] and "re-rate it" not in pages[reader]
        assert "Not yet updated for the SIAB meeting of 24 April 2025." in pages[reader]
