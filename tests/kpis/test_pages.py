"""The KPI and benchmarking pages for each role: who sees what, who may change what, bad input."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_init
from django.urls import reverse

from kpis.models import EhcpTimeliness, Indicator, IndicatorValue, Target
from kpis.services import load_demo_values, record_value

pytestmark = pytest.mark.django_db

READERS = ["officer", "other_officer", "scrutiny_member", "partner_user", "administrator"]
READ_ONLY = ["scrutiny_member", "partner_user", "other_officer"]


def change_urls(indicator: Indicator) -> list[str]:
    return [
        reverse("kpis:value_new", args=[indicator.pk]),
        reverse("kpis:values_upload", args=[indicator.pk]),
        reverse("kpis:target_new", args=[indicator.pk]),
    ]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("persona", READERS)
def test_everyone_in_the_partnership_reads_the_list_and_the_indicator(rated, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    page = text(client.get(reverse("kpis:list")))
    assert rated.name in page
    assert "57.5%" in page and "May 2024" in page
    assert "Within tolerance" in page
    assert "Improving" in page and "since April 2024 (41.0%)" in page
    assert "60.0%" in page
    detail = text(client.get(rated.get_absolute_url()))
    assert rated.definition in detail
    assert "Two late returns" in detail
    assert "Missed" in detail  # April's 41.0% against 60% ± 5
    assert 'role="img"' in detail and "Line chart of" in detail


def test_the_list_query_count_does_not_grow_with_the_indicators(
    make_indicator, officer, client_for, django_assert_max_num_queries
):
    for n in range(12):
        made = make_indicator(f"Indicator {n}")
        record_value(indicator_id=made.pk, user=officer, period="2024-04", value=str(40 + n))
        record_value(indicator_id=made.pk, user=officer, period="2024-05", value=str(41 + n))
    client = client_for(officer)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("kpis:list"))

    assert response.status_code == 200
    assert text(response).count("Improving") == 12


@pytest.mark.parametrize("url", ["/", "/kpis/"])
def test_the_list_and_the_dashboard_read_only_the_latest_figures_they_draw(
    url, indicator, officer, client_for, make_action
):
    """Years of monthly figures are not made into objects: the six latest, which the trend line
    draws (the latest against the one before gives the direction of travel)."""
    make_action("1A1")  # the dashboard shows its figures beside a plan
    for month, value in [(1, "10"), (2, "20"), (3, "30"), (4, "70"), (5, "60"), (6, "45"), (7, "52.5")]:
        record_value(indicator_id=indicator.pk, user=officer, period=f"2024-{month:02d}", value=value)
    client = client_for(officer)
    made: list[IndicatorValue] = []

    def count(sender, instance, **kwargs):
        made.append(instance)

    post_init.connect(count, sender=IndicatorValue)
    try:
        page = text(client.get(url))
    finally:
        post_init.disconnect(count, sender=IndicatorValue)

    assert sorted(str(value.period_start) for value in made) == [f"2024-{month:02d}-01" for month in range(2, 8)]
    # Up on June's 45.0%; against May or April it would be down.
    assert "52.5%" in page and "July 2024" in page and "Improving" in page and "Getting worse" not in page


def test_the_indicator_page_query_count_is_bounded(rated, officer, client_for, django_assert_max_num_queries):
    for month in range(6, 13):
        record_value(indicator_id=rated.pk, user=officer, period=f"2024-{month:02d}", value="50")

    client = client_for(officer)

    # Among them: does the reader follow the indicator? The exception notes' history.
    with django_assert_max_num_queries(12):
        assert client.get(rated.get_absolute_url()).status_code == 200


def test_another_partnership_gets_404_and_does_not_see_the_indicator(rated, outsider, client_for):
    client = client_for(outsider)

    assert rated.name not in text(client.get(reverse("kpis:list")))
    assert client.get(rated.get_absolute_url()).status_code == 404
    assert client.get(rated.get_absolute_url(), {"format": "csv"}).status_code == 404
    for url in change_urls(rated):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"period": "2024-06", "value": "1"}).status_code == 404, url
    assert IndicatorValue.objects.filter(indicator=rated).count() == 2


def test_signed_out_visitors_are_sent_to_sign_in(rated, client_for):
    for url in [reverse("kpis:list"), rated.get_absolute_url(), reverse("kpis:benchmark")]:
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_users_get_403_on_every_form_and_nothing_changes(rated, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    for url in change_urls(rated):
        assert client.get(url).status_code == 403, url
    assert client.post(change_urls(rated)[0], {"period": "2024-06", "value": "99"}).status_code == 403
    upload = SimpleUploadedFile("v.csv", b"period,value\n2024-06,99\n")
    assert client.post(change_urls(rated)[1], {"file": upload}).status_code == 403
    assert (
        client.post(
            change_urls(rated)[2], {"first_period": "2026-01", "last_period": "2026-12", "value": "1"}
        ).status_code
        == 403
    )

    assert (
        IndicatorValue.objects.filter(indicator=rated).count() == 2
        and Target.objects.filter(indicator=rated).count() == 1
    )
    assert "Enter a value" not in text(client.get(rated.get_absolute_url()))


def test_demo_figures_are_labelled_on_every_page(indicator, officer, client_for):
    load_demo_values(indicator, [{"period": "2024-04", "value": "50"}])
    client = client_for(officer)

    assert "Demo figure" in text(client.get(reverse("kpis:list")))
    detail = text(client.get(indicator.get_absolute_url()))
    assert "Demo figure" in detail and "these are demo figures" in detail


def test_the_indicator_figures_download_as_csv(rated, scrutiny_member, client_for):
    response = client_for(scrutiny_member).get(rated.get_absolute_url(), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["period"], r["value"], r["numerator"], r["denominator"], r["rating"]) for r in rows] == [
        ("2024-04", "41", "41", "100", "Missed"),
        ("2024-05", "57.5", "46", "80", "Within tolerance"),
    ]


# A tab or return at the start of a note is trimmed when it is entered, so cannot reach the CSV.
@pytest.mark.parametrize("start", ["=", "+", "-", "@"], ids=repr)
def test_a_note_that_looks_like_a_formula_is_neutralised_in_the_csv(start, indicator, officer, client_for):
    note = f'{start}HYPERLINK("http://x")'
    record_value(indicator_id=indicator.pk, user=officer, period="2024-04", value="5", note=note)

    body = client_for(officer).get(indicator.get_absolute_url(), {"format": "csv"}).content.decode("utf-8-sig")

    [row] = csv.DictReader(io.StringIO(body, newline=""))
    assert (row["value"], row["note"]) == ("5", "'" + note)


def test_pages_have_no_inline_script_or_style(rated, officer, client_for):
    for url in [reverse("kpis:list"), rated.get_absolute_url(), *change_urls(rated)]:
        page = client_for(officer).get(url).content.decode()
        assert "<script>" not in page, url
        assert "style=" not in page, url


# ---------------------------------------------------------------------------------------------
# Entering values, uploading, setting targets


def test_an_officer_enters_a_value_and_sees_it_rated(rated, officer, client_for):
    client = client_for(officer)
    form = text(client.get(reverse("kpis:value_new", args=[rated.pk])))
    assert 'value="2024-06"' in form  # the period after the latest is suggested

    response = client.post(
        reverse("kpis:value_new", args=[rated.pk]),
        {"period": "2024-06", "numerator": "62", "denominator": "100", "note": ""},
    )

    assert response.status_code == 302 and response["Location"] == rated.get_absolute_url()
    value = IndicatorValue.objects.get(indicator=rated, period_start__month=6)
    assert (value.value, value.rating, value.entered_by) == (Decimal("62.0"), "met", officer)
    page = text(client.get(rated.get_absolute_url()))
    assert "June 2024 saved as 62.0% (Met)" in page
    assert "Value entered by Olivia Officer (TCC): June 2024: 62.0%, rated met" in page


def test_an_administrator_of_the_partnership_may_enter_values(rated, administrator, client_for):
    response = client_for(administrator).post(
        reverse("kpis:value_new", args=[rated.pk]), {"period": "2024-06", "value": "61"}
    )

    assert response.status_code == 302
    assert IndicatorValue.objects.filter(indicator=rated).count() == 3


def test_bad_input_is_a_400_with_the_problem_named_and_the_input_kept(rated, officer, client_for):
    response = client_for(officer).post(
        reverse("kpis:value_new", args=[rated.pk]),
        {"period": "June", "value": "45", "numerator": "27", "denominator": ""},
    )

    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "“June” is not a valid period" in page
    assert "Enter the denominator too" in page
    assert 'value="27"' in page
    assert IndicatorValue.objects.filter(indicator=rated).count() == 2


def test_an_upload_is_all_or_nothing_with_errors_by_line(rated, officer, client_for):
    client = client_for(officer)
    bad = SimpleUploadedFile("june.csv", b"period,value,numerator,denominator,note\n2024-06,60,,,\n2024-07,abc,,,\n")

    response = client.post(reverse("kpis:values_upload", args=[rated.pk]), {"file": bad})

    assert response.status_code == 400
    page = text(response)
    assert "The file has 1 problem, listed below; nothing was saved." in page
    assert "line 3: value: The value must be a number, like 45.3; “abc” is not." in page
    assert IndicatorValue.objects.filter(indicator=rated).count() == 2

    good = SimpleUploadedFile("june.csv", b"period,value,numerator,denominator,note\n2024-06,60,,,\n2024-07,66,,,\n")
    response = client.post(reverse("kpis:values_upload", args=[rated.pk]), {"file": good})

    assert response.status_code == 302
    assert IndicatorValue.objects.filter(indicator=rated).count() == 4
    assert "values uploaded (2 new, 0 revised, 0 unchanged)" in text(client.get(rated.get_absolute_url()))


def test_an_upload_that_is_not_a_csv_is_a_400(rated, officer, client_for):
    response = client_for(officer).post(
        reverse("kpis:values_upload", args=[rated.pk]), {"file": SimpleUploadedFile("figures.xlsx", b"PK\x03\x04")}
    )

    assert response.status_code == 400
    assert "The file must be a CSV file" in text(response)


def test_an_officer_sets_a_target_and_an_overlap_is_a_400(rated, officer, client_for):
    client = client_for(officer)
    url = reverse("kpis:target_new", args=[rated.pk])

    overlapping = client.post(
        url, {"first_period": "2025-01", "last_period": "2025-06", "value": "65", "tolerance": "5"}
    )
    assert overlapping.status_code == 400
    assert "overlap the target already set for April 2024 to March 2025" in text(overlapping)

    response = client.post(
        url,
        {
            "first_period": "2025-04",
            "last_period": "2026-03",
            "value": "65",
            "tolerance": "5",
            "note": "Board, March 2025",
        },
    )
    assert response.status_code == 302
    assert Target.objects.filter(indicator=rated).count() == 2


# ---------------------------------------------------------------------------------------------
# Benchmarking


def benchmark_rank_2022() -> tuple[int, int]:
    """Oxfordshire's 2022 rank, worked out here from the stored figures, not by the page's code."""
    figures = list(
        EhcpTimeliness.objects.filter(
            level="local_authority", year=2022, pc_within_20_weeks_ex__isnull=False
        ).values_list("pc_within_20_weeks_ex", flat=True)
    )
    return sum(1 for f in figures if f > Decimal("4.0")) + 1, len(figures)


def test_the_benchmark_defaults_to_the_partnership_england_its_region_and_hertfordshire(
    dfe_2025, oxfordshire_area, officer, client_for, django_assert_max_num_queries
):
    client = client_for(officer)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("kpis:benchmark"))

    assert response.status_code == 200
    page = text(response)
    assert "EHC plans issued within 20 weeks, excluding exceptions (%)" in page
    table = page[page.index('id="benchmark-table"') :]
    for heading in ("Oxfordshire", "England", "South East (region)", "Hertfordshire (comparator)"):
        assert f'govuk-table__header--numeric">{heading}</th>' in table
    assert '4.0% <span class="govuk-body-s">(27 of 667)</span>' in table
    assert "49.2%" in table and "87.9%" in table
    rank, of = benchmark_rank_2022()
    assert of == 147  # 152 authorities in 2022, less the five published as x
    assert re.search(
        rf"<th scope=\"row\" class=\"govuk-table__header\">2022</th> <td[^>]*>(joint )?{rank}th of {of}</td>", page
    )
    assert "Oxfordshire against England, South East and Hertfordshire" in page
    assert 'role="img"' in page and "Oxfordshire 50.4% in 2019, 38.5% in 2024" in page


def test_the_benchmark_names_the_measure_including_exceptions_when_chosen(
    dfe_2025, oxfordshire_area, officer, client_for
):
    page = text(
        client_for(officer).get(reverse("kpis:benchmark"), {"measure": "pc_within_20_weeks", "area": "E10000025"})
    )

    assert "EHC plans issued within 20 weeks, including exceptions (%)" in page
    assert "47.7%" in page  # England 2022, including exceptions


def test_the_benchmark_shows_missing_figures_in_words(dfe_2025, officer, client_for):
    page = text(
        client_for(officer).get(reverse("kpis:benchmark"), {"area": "E10000020", "measure": "pc_within_20_weeks_ex"})
    )

    assert "Norfolk" in page
    assert "Not available (x)" in page
    assert "Not ranked: no figure" in page


def test_the_benchmark_follows_an_authority_whose_code_changed(dfe_2025, officer, client_for):
    # Buckinghamshire is E10000002 in 2019, 2023 and 2024 and E06000060 in 2020 to 2022.
    response = client_for(officer).get(
        reverse("kpis:benchmark"), {"area": "E06000060", "measure": "pc_within_20_weeks_ex", "format": "csv"}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    mine = [r for r in rows if r["role"] == "area"]
    assert [r["year"] for r in mine] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert {r["area_code"] for r in mine} == {"E10000002", "E06000060"}


def test_the_benchmark_downloads_the_same_figures_as_csv(dfe_2025, oxfordshire_area, scrutiny_member, client_for):
    response = client_for(scrutiny_member).get(
        reverse("kpis:benchmark"),
        {
            "measure": "pc_within_20_weeks_ex",
            "area": "E10000025",
            "compare": ["E10000015", "E06000010"],
            "format": "csv",
        },
    )

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_key = {(r["area_name"], r["year"]): r for r in rows}
    assert len(rows) == 6 * 5
    assert by_key[("Oxfordshire", "2022")]["value"] == "4"
    assert by_key[("Oxfordshire", "2022")]["numerator"] == "27"
    assert by_key[("England", "2022")]["value"] == "49.2"
    assert by_key[("South East", "2022")]["role"] == "regional"
    assert by_key[("Hertfordshire", "2019")]["value"] == "87.9"
    assert by_key[("Kingston upon Hull, City of", "2021")]["role"] == "comparator"
    assert by_key[("Oxfordshire", "2022")]["rank_among_local_authorities"] == str(benchmark_rank_2022()[0])


def test_an_unknown_authority_is_a_400_with_a_clear_message(dfe_2025, officer, client_for):
    response = client_for(officer).get(reverse("kpis:benchmark"), {"area": "E99999999", "compare": "NOPE"})

    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "There are no published figures for a local authority with the code “E99999999”" in page


def test_benchmarking_is_public_data_that_any_signed_in_user_reads(dfe_2025, outsider, client_for):
    response = client_for(outsider).get(reverse("kpis:benchmark"), {"area": "E10000025"})

    assert response.status_code == 200
    assert "Oxfordshire against England, South East" in text(response)


def test_the_benchmark_page_says_when_nothing_is_imported(officer, client_for):
    response = client_for(officer).get(reverse("kpis:benchmark"))

    assert response.status_code == 200
    assert "import_dfe_timeliness" in text(response)


def test_a_linked_indicator_points_to_its_benchmark(indicator, oxfordshire_area, officer, client_for):
    indicator.dfe_measure = "pc_within_20_weeks_ex"
    indicator.save()

    page = client_for(officer).get(indicator.get_absolute_url()).content.decode()

    assert f"{reverse('kpis:benchmark')}?measure=pc_within_20_weeks_ex&amp;area=E10000025" in page
