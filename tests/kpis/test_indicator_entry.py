"""Administrators add indicators and change their details in the browser (issue 12, item 4); their
targets are set on the existing target page. Every change is a history row saying which details
changed, and why when given. An indicator's unit and frequency are how its figures were entered,
so they stay once it has figures or targets.

An officer (even of the owning organisation, who enters its values), a scrutiny member and a
partner get 403; another partnership's administrator gets 404.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import event, example, given
from hypothesis import strategies as st

from kpis.choices import DfeMeasure, Frequency, Polarity, Unit
from kpis.models import Indicator, Target
from kpis.services import IndicatorDetails, create_indicator, record_value, set_target
from send_tracker.accounts.models import Organisation
from tests.as_people_write import counts, fits, refused_on_the_page, rolled_back, text_near
from tests.conftest import need_postgres
from tests.world import World

pytestmark = pytest.mark.django_db


def details(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Annual reviews completed on time",
        "definition": "Of the annual reviews due in the month, the share held – and “finalised” – within 12 months.",
        "unit": Unit.PERCENT,
        "polarity": Polarity.HIGHER_IS_BETTER,
        "frequency": Frequency.MONTHLY,
        "source": "Synergy case management system",
        "dfe_measure": "",
    }
    data.update(changes)
    return data


def state() -> dict[str, int]:
    return counts(Indicator, Indicator.history.model, Target)


def test_an_administrator_adds_an_indicator_then_sets_its_target_on_the_target_page(
    administrator: Any, council: Organisation, client_for: Any
) -> None:
    client = client_for(administrator)
    response = client.post("/kpis/new/", details(owner_id=str(council.pk), is_public="on"))
    indicator = Indicator.objects.get(name="Annual reviews completed on time")
    assert response.status_code == 302 and response["Location"] == indicator.get_absolute_url()
    assert (indicator.unit, indicator.polarity, indicator.frequency, indicator.owner, indicator.is_public) == (
        Unit.PERCENT,
        Polarity.HIGHER_IS_BETTER,
        Frequency.MONTHLY,
        council,
        True,
    )
    assert indicator.definition.endswith("“finalised” – within 12 months.")
    (row,) = indicator.history.all()
    assert (row.history_user, row.history_change_reason) == (administrator, "Indicator added")
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert f"/kpis/{indicator.pk}/targets/new/" in page and f"/kpis/{indicator.pk}/edit/" in page
    target = client.post(
        f"/kpis/{indicator.pk}/targets/new/",
        {"first_period": "2024-04", "last_period": "2025-03", "value": "60", "tolerance": "5"},
    )
    assert target.status_code == 302
    assert indicator.targets.get().value == 60


def test_a_change_of_details_is_kept_with_what_changed_and_why(
    administrator: Any, indicator: Indicator, icb: Organisation, client_for: Any
) -> None:
    response = client_for(administrator).post(
        f"/kpis/{indicator.pk}/edit/",
        details(
            name=indicator.name,
            definition=indicator.definition,
            source="Liquidlogic",
            owner_id=str(icb.pk),
            reason="The ICB took over the – “new” – system.",
        ),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.source, indicator.owner) == ("Liquidlogic", icb)
    latest = indicator.history.first()
    assert latest is not None and latest.history_user == administrator
    assert latest.history_change_reason == "Changed source, owner: The ICB took over the – “new” – system."
    # Saved with nothing changed: no history row.
    again = client_for(administrator).post(
        f"/kpis/{indicator.pk}/edit/",
        details(name=indicator.name, definition=indicator.definition, source="Liquidlogic", owner_id=str(icb.pk)),
    )
    assert again.status_code == 302 and indicator.history.count() == 2


def test_unit_and_frequency_stay_once_there_are_figures_and_a_measure_with_targets_keeps_its_direction(
    administrator: Any, indicator: Indicator, client_for: Any
) -> None:
    record_value(indicator_id=indicator.pk, user=None, period="2024-04", value="41.5")
    set_target(indicator_id=indicator.pk, user=None, first_period="2024-04", last_period="2025-03", value="60")
    same = {"name": indicator.name, "definition": indicator.definition}
    before = state()
    for change, message in (
        ({"unit": Unit.NUMBER}, "cannot change"),
        ({"frequency": Frequency.QUARTERLY}, "cannot change"),
        ({"polarity": Polarity.NEITHER}, "needs a better direction"),
    ):
        response = client_for(administrator).post(f"/kpis/{indicator.pk}/edit/", details(**same, **change))
        assert refused_on_the_page(response) and message in response.content.decode(), change
    assert state() == before


def test_a_name_the_partnership_has_used_is_refused(administrator: Any, indicator: Indicator, client_for: Any) -> None:
    before = state()
    response = client_for(administrator).post("/kpis/new/", details(name=indicator.name.upper()))
    assert refused_on_the_page(response) and "already has an indicator called" in response.content.decode()
    assert state() == before


def test_only_administrators_add_and_change_indicators(
    indicator: Indicator, officer: Any, scrutiny_member: Any, partner_user: Any, client_for: Any
) -> None:
    before = state()
    for user in (officer, scrutiny_member, partner_user):
        client = client_for(user)
        for path in ("/kpis/new/", f"/kpis/{indicator.pk}/edit/"):
            assert client.get(path).status_code == 403, (user, path)
            assert client.post(path, details()).status_code == 403, (user, path)
    # The council's officer still enters the council's indicator's values and targets.
    assert client_for(officer).get(f"/kpis/{indicator.pk}/targets/new/").status_code == 200
    assert state() == before
    with pytest.raises(PermissionDenied):
        create_indicator(
            partnership_id=indicator.partnership_id,
            user=officer,
            details=IndicatorDetails(**{k: v for k, v in details().items()}),
        )


def test_another_partnerships_indicator_is_not_found(
    indicator: Indicator, elsewhere_world: World, client_for: Any
) -> None:
    before = state()
    client = client_for(elsewhere_world.administrator)
    assert client.get(f"/kpis/{indicator.pk}/edit/").status_code == 404
    assert client.post(f"/kpis/{indicator.pk}/edit/", details()).status_code == 404
    # Adding one, their administrator cannot make this partnership's council its owner.
    response = client.post("/kpis/new/", details(owner_id=str(indicator.owner_id)))
    assert refused_on_the_page(response)
    assert state() == before


@given(
    name=text_near(200),
    definition=text_near(5000),
    source=text_near(300),
    unit=st.sampled_from([*Unit.values, "", "percentage"]),
    polarity=st.sampled_from([*Polarity.values, "", "up"]),
    frequency=st.sampled_from([*Frequency.values, "", "weekly"]),
    dfe_measure=st.sampled_from(["", *DfeMeasure.values, "pc_within_20"]),
)
@example(
    name="EHC plans – “within 20 weeks”",
    definition="Pasted\u00a0from Word… 🙂",
    source="=SUM(A1)",
    unit="percent",
    polarity="higher",
    frequency="monthly",
    dfe_measure="",
)
def test_an_indicator_is_added_whole_or_refused_and_nothing_is_written(
    administrator: Any,
    client_for: Any,
    name: str,
    definition: str,
    source: str,
    unit: str,
    polarity: str,
    frequency: str,
    dfe_measure: str,
) -> None:
    need_postgres()
    client = client_for(administrator)
    with rolled_back():
        before = state()
        posted = details(
            name=name,
            definition=definition,
            source=source,
            unit=unit,
            polarity=polarity,
            frequency=frequency,
            dfe_measure=dfe_measure,
        )
        response = client.post("/kpis/new/", posted)
        assert response.status_code < 500
        if response.status_code == 302:
            event("saved")
            indicator = Indicator.objects.get(partnership_id=administrator.partnership_id)
            assert (indicator.name, indicator.definition, indicator.source) == (
                name.strip(),
                definition.strip(),
                source.strip(),
            )
            assert (indicator.unit, indicator.polarity, indicator.frequency, indicator.dfe_measure) == (
                unit,
                polarity,
                frequency,
                dfe_measure,
            )
            assert indicator.history.count() == 1
        else:
            event("refused")
            assert refused_on_the_page(response)
            assert not (
                fits(name, 200)
                and fits(definition, 5000)
                and fits(source, 300)
                and unit in Unit.values
                and polarity in Polarity.values
                and frequency in Frequency.values
                and dfe_measure in ["", *DfeMeasure.values]
            ), "a plain indicator was refused"
            assert state() == before
