"""The plan as it stood on any past date, chosen with the GOV.UK date input."""

from __future__ import annotations


def test_the_plan_on_a_past_day_shows_each_rating_then(history, scrutiny_member, client_for):
    client = client_for(scrutiny_member)

    # 17 January 2024, the first meeting: 3A1 Amber, 3A3 Green; later 3A1 went Green, 3A3 Amber.
    page = client.get("/governance/plan-as-at/", {"on_day": "17", "on_month": "1", "on_year": "2024"})
    text = page.content.decode()

    assert page.status_code == 200
    assert "The plan as it stood on 17 January 2024" in text
    row_3a1 = text[text.index(">3A1<") : text.index(">3A2<")]
    row_3a3 = text[text.index(">3A3<") : text.index(">3A4<")]
    assert "Amber" in row_3a1 and "Green" not in row_3a1
    assert "Green" in row_3a3


def test_a_date_that_is_not_real_or_in_the_future_is_refused_clearly(history, scrutiny_member, client_for):
    client = client_for(scrutiny_member)

    bad = client.get("/governance/plan-as-at/", {"on_day": "31", "on_month": "2", "on_year": "2024"})
    future = client.get("/governance/plan-as-at/", {"on_day": "1", "on_month": "1", "on_year": "2999"})
    partial = client.get("/governance/plan-as-at/", {"on_day": "1", "on_month": "", "on_year": "2024"})

    assert "The date must be a real date, like 23 4 2024." in bad.content.decode()
    assert "The date must be today or in the past." in future.content.decode()
    assert "The date must include a month." in partial.content.decode()
    assert all(r.status_code == 200 and b"There is a problem" in r.content for r in (bad, future, partial))


def test_the_page_without_a_date_offers_the_form(history, scrutiny_member, client_for):
    page = client_for(scrutiny_member).get("/governance/plan-as-at/").content.decode()

    assert 'name="on_day"' in page and "There is a problem" not in page
