"""The plan's pages for each role: who sees what, who may change what, and bad input."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action, RatingUpdate
from actions.services import Evidence, record_rating_update

READERS = ["officer", "other_officer", "scrutiny_member", "partner_user", "administrator"]
# Session, user, action, its history, rating updates, organisations, recommendations, KPIs, unread
# alerts, follow, themes, workstreams, Areas for Improvement, the board overseeing the plan (its
# update rounds): the same however many recommendations and KPIs it links.
QUERIES_FOR_THE_ACTION_PAGE = 14


def page_urls(action: Action) -> list[str]:
    return [
        reverse("actions:plan", args=[action.plan_id]),
        reverse("actions:list") + f"?plan={action.plan_id}",
        reverse("actions:detail", args=[action.pk]),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_everyone_in_the_partnership_reads_the_plan(action, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    for url in page_urls(action):
        response = client.get(url)
        assert response.status_code == 200, url
        assert action.plan.title in response.content.decode()
    assert action.description in client.get(action.get_absolute_url()).content.decode()


def test_another_partnership_gets_404_for_everything(action, outsider, client_for):
    client = client_for(outsider)

    for url in [*page_urls(action), reverse("actions:rate", args=[action.pk])]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("actions:rate", args=[action.pk]), {"brag": "red", "commentary": "x", "version": 1})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.brag is None


def test_signed_out_visitors_are_sent_to_sign_in(action, client_for):
    response = client_for(None).get(reverse("actions:detail", args=[action.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["scrutiny_member", "partner_user", "other_officer"])
def test_read_only_users_get_403_on_the_form_and_nothing_changes(action, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("actions:rate", args=[action.pk])

    assert client.get(url).status_code == 403
    response = client.post(url, {"brag": "amber", "commentary": "Trying.", "version": action.version})

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.brag is None and action.version == 1
    assert "Update rating" not in client.get(action.get_absolute_url()).content.decode()


def test_an_officer_rates_with_evidence_and_sees_it_in_the_timeline(action, officer, client_for):
    client = client_for(officer)
    url = reverse("actions:rate", args=[action.pk])
    assert "Update rating" in client.get(action.get_absolute_url()).content.decode()

    response = client.post(
        url,
        {
            "brag": "green",
            "commentary": "Process maps done; delays cut.",
            "evidence_text": "Average weeks to issue down from 30 to 22.",
            "evidence_file": SimpleUploadedFile("maps.pdf", b"%PDF-1.4 maps"),
            "version": action.version,
        },
    )

    assert response.status_code == 302
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Rated Green" in page
    assert "Process maps done; delays cut." in page
    assert "Average weeks to issue down from 30 to 22." in page
    update = RatingUpdate.objects.get(action=action)
    download = client.get(reverse("actions:evidence", args=[update.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 maps"


def test_evidence_files_are_not_downloadable_outside_the_partnership(action, officer, outsider, client_for):
    update = record_rating_update(
        action_id=action.pk,
        user=officer,
        brag="green",
        commentary="Done.",
        based_on_version=1,
        evidence=Evidence(file=SimpleUploadedFile("a.pdf", b"%PDF secret")),
    )

    assert client_for(outsider).get(reverse("actions:evidence", args=[update.pk])).status_code == 404
    assert client_for(None).get(reverse("actions:evidence", args=[update.pk])).status_code == 302


def test_green_without_evidence_is_a_clear_error_and_the_input_is_kept(action, officer, client_for):
    response = client_for(officer).post(
        reverse("actions:rate", args=[action.pk]),
        {"brag": "green", "commentary": "All done, trust me.", "version": action.version},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "A Green rating needs evidence of impact" in page
    assert "All done, trust me." in page
    action.refresh_from_db()
    assert action.brag is None


def test_a_stale_save_is_refused_showing_what_changed_and_keeping_the_input(action, officer, administrator, client_for):
    opened_version = action.version
    record_rating_update(
        action_id=action.pk, user=administrator, brag="red", commentary="Recruitment delays.", based_on_version=1
    )

    response = client_for(officer).post(
        reverse("actions:rate", args=[action.pk]),
        {"brag": "amber", "commentary": "My view: on track.", "version": opened_version},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else updated this action while you were editing it" in page
    assert "Recruitment delays." in page
    assert "My view: on track." in page
    assert re.search(r'name="version" value="2"', page)
    action.refresh_from_db()
    assert (action.brag, action.version) == ("red", 2)


def test_list_filters_by_rating_overdue_and_owner(make_action, officer, icb, client_for):
    import datetime

    make_action("3A1", brag="red", due_date=datetime.date(2020, 1, 31))
    make_action("3A2", brag="green", due_date=datetime.date(2020, 1, 31))
    make_action("3A3", owner=icb, due_date=datetime.date(2099, 1, 31))
    client = client_for(officer)
    url = reverse("actions:list")

    def refs(**params: str) -> set[str]:
        page = client.get(url, params).content.decode()
        return set(re.findall(r'<a class="govuk-link" href="/plan/actions/\d+/">([^<]+)</a>', page))

    assert refs() == {"3A1", "3A2", "3A3"}
    assert refs(rating="red") == {"3A1"}
    assert refs(rating="none") == {"3A3"}
    assert refs(overdue="yes") == {"3A1"}
    assert refs(overdue="no") == {"3A2", "3A3"}
    assert refs(owner=str(icb.pk)) == {"3A3"}
    assert client.get(url, {"rating": "purple"}).status_code == 200


def test_the_overview_counts_actions_by_rating(make_action, officer, client_for, django_assert_max_num_queries):
    make_action("3A1", brag="red")
    make_action("3A2", brag="red")
    action = make_action("3A3")
    client = client_for(officer)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("actions:plan", args=[action.plan_id])).content.decode()

    assert "Red 2" in page
    assert "Not yet rated 1" in page


def test_the_action_list_query_count_does_not_grow_with_the_plan(
    make_action, officer, client_for, django_assert_max_num_queries
):
    for n in range(1, 31):
        make_action(f"3A{n}")
    client = client_for(officer)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("actions:list"))

    assert response.status_code == 200


def test_pages_send_a_content_security_policy_without_inline_script(action, officer, client_for):
    response = client_for(officer).get(action.get_absolute_url())

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()


# --- What the action's page links to ---------------------------------------------------------------


def _link_recommendations_and_kpis(action: Action, count: int, start: int = 1) -> None:
    """`count` recommendations (odd ones linked directly, even ones through an implementation update)
    and `count` KPIs (odd ones of the action, even ones of its priority area)."""
    from governance.models import Board
    from kpis.models import Indicator
    from recommendations.models import ImplementationUpdate, Recommendation, Report

    partnership = action.plan.partnership
    committee, _ = Board.objects.get_or_create(
        partnership=partnership, name="Scrutiny Committee", defaults={"kind": "scrutiny_committee"}
    )
    report, _ = Report.objects.get_or_create(partnership=partnership, committee=committee, title="EHCP timeliness")
    for n in range(start, start + count):
        recommendation = Recommendation.objects.create(
            report=report, number=str(n), position=n, text=f"Recommendation text {n}."
        )
        if n % 2:
            recommendation.actions.add(action)
        else:
            update = ImplementationUpdate.objects.create(
                recommendation=recommendation, reported_on=datetime.date(2024, 6, 1), progress="Mapped."
            )
            update.actions.add(action)
        indicator = Indicator.objects.create(
            partnership=partnership,
            name=f"KPI {n}",
            definition=f"Definition {n}.",
            unit="percent",
            polarity="higher",
            frequency="monthly",
            source="Case system",
        )
        if n % 2:
            indicator.actions.add(action)
        else:
            indicator.priority_areas.add(action.objective.priority_area)


def test_the_action_page_links_its_recommendations_and_kpis_in_a_fixed_number_of_queries(
    action, officer, client_for, django_assert_max_num_queries
):
    from kpis.models import Indicator
    from recommendations.models import Recommendation

    _link_recommendations_and_kpis(action, 2)
    client = client_for(officer)
    client.get(action.get_absolute_url())
    _link_recommendations_and_kpis(action, 10, start=3)

    with django_assert_max_num_queries(QUERIES_FOR_THE_ACTION_PAGE):
        page = client.get(action.get_absolute_url()).content.decode()

    for recommendation in Recommendation.objects.filter(report__partnership=action.plan.partnership):
        assert (
            f'<a class="govuk-link" href="{recommendation.get_absolute_url()}">{recommendation.reference}</a>' in page
        )
    for indicator in Indicator.objects.filter(partnership=action.plan.partnership):
        assert f'<a class="govuk-link" href="{indicator.get_absolute_url()}">{indicator.name}</a>' in page
    assert 'KPI 1</a> <span class="govuk-body-s app-secondary">(measures this action)' in page
    assert 'KPI 2</a> <span class="govuk-body-s app-secondary">(measures priority area 3)' in page


def test_the_action_page_shows_no_recommendation_or_kpi_of_another_partnership(
    action, officer, other_partnership, client_for, make_indicator
):
    """Links made past the services (a bad import, the shell) still show only what the reader may see."""
    from governance.models import Board
    from recommendations.models import Recommendation, Report

    committee = Board.objects.create(partnership=other_partnership, name="Elsewhere HOSC", kind="scrutiny_committee")
    report = Report.objects.create(partnership=other_partnership, committee=committee, title="Elsewhere's report")
    foreign = Recommendation.objects.create(report=report, number="9", text="Elsewhere's recommendation.")
    foreign_kpi = make_indicator("Elsewhere's KPI", partnership=other_partnership, owner=None)
    foreign.actions.add(action)
    foreign_kpi.actions.add(action)

    page = client_for(officer).get(action.get_absolute_url()).content.decode()

    assert foreign.get_absolute_url() not in page and foreign_kpi.get_absolute_url() not in page
    assert "No scrutiny recommendation is linked to this action." in page
    assert "No key performance indicator is linked to this action or its priority area." in page


def test_the_timeline_says_a_detail_was_set_or_removed_rather_than_quoting_nothing(
    make_action, council, administrator, officer, client_for
):
    from send_tracker.history import stamp

    action = make_action("3A9", owner=None, comment="")
    action.owner = council
    stamp(action, by=administrator, reason="Owner assigned")
    action.save()
    action.comment = "Workshops in May."
    stamp(action, by=administrator, reason="Comment published")
    action.save()
    action.comment = ""
    stamp(action, by=administrator, reason="Comment withdrawn")
    action.save()

    page = client_for(officer).get(action.get_absolute_url()).content.decode()

    assert "(none)" not in page and "“”" not in page
    assert f"Owner set to “{council}”" in page
    assert "Published comment set to “Workshops in May.”" in page
    assert "Published comment “Workshops in May.” removed" in page
