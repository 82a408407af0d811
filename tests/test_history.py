"""Who changed a row, as whom, and why: every history reason is kept whole, and every write names
its actor in the same words (send_tracker/history.py)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from simple_history.models import registered_models

from actions.services import record_rating_update
from actions.timeline import action_timeline
from governance.choices import BoardKind
from governance.models import Board, BoardMember, Meeting, Risk
from governance.services import Scores, record_decision, rescore_risk
from kpis.choices import Frequency, Polarity, Unit
from kpis.models import Indicator
from kpis.services import record_value, set_target
from recommendations import services as recommendation_services
from recommendations.choices import Respondent, ResponseRegime
from recommendations.models import Recommendation, Report
from recommendations.timeline import recommendation_history
from send_tracker.accounts.models import User
from send_tracker.accounts.principals import ApiKeyPrincipal
from send_tracker.api.keys import create_api_key
from send_tracker.history import SYSTEM_ACTOR, ChangeActor, actor_label
from tests.conftest import need_postgres

# A paragraph as an officer pastes it from Word: curly quotes, an en dash, non-breaking spaces and
# an emoji, repeated to the commentary's 5,000-character limit.
WORD_PARAGRAPH = "Caseworkers’ “20-week” audit – 62\u00a0% on time, up from 48\u00a0% 📈; next review in July. "
LONG_COMMENTARY = (WORD_PARAGRAPH * (5000 // len(WORD_PARAGRAPH) + 1))[:4999] + "."
LONG_NOTE = LONG_COMMENTARY[:1999] + "."  # a KPI target's note holds 2,000 characters


def historical_models() -> list[type[models.Model]]:
    """Every history table simple-history keeps (not the m2m link tables, which hold no reason)."""
    found = [model.history.model for model in registered_models.values() if hasattr(model, "history")]
    assert len(found) >= 21  # 4 plan, 8 governance, 3 KPI, 5 scrutiny and the user's
    return found


def test_long_commentary_is_as_people_write_it():
    assert len(LONG_COMMENTARY) == 5000
    assert all(piece in LONG_COMMENTARY for piece in ("’", "“", "–", "\u00a0", "📈"))


def test_no_history_reason_can_exceed_its_column():
    """The build fails if any historical model keeps its reason in a bounded column."""
    for model in historical_models():
        reason = model._meta.get_field("history_change_reason")
        assert (reason.get_internal_type(), reason.max_length) == ("TextField", None), model.__name__
        assert issubclass(model, ChangeActor), f"{model.__name__} does not name its actor"


@pytest.mark.django_db
def test_every_history_reason_column_in_the_database_is_unbounded_text():
    need_postgres()
    tables = [model._meta.db_table for model in historical_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, data_type, character_maximum_length FROM information_schema.columns "
            "WHERE column_name = 'history_change_reason' AND table_name = ANY(%s)",
            [tables],
        )
        columns = {name: (kind, length) for name, kind, length in cursor.fetchall()}
    assert columns == {table: ("text", None) for table in tables}


def test_the_actor_label_names_a_person_a_key_and_nobody_in_one_wording(officer, council, administrator):
    key, _ = create_api_key(organisation=council, name="Reporting")
    unattached = User.objects.create_user("root", first_name="Ian", last_name="Instance", is_superuser=True)

    assert actor_label(officer) == "Olivia Officer (TCC)"
    assert actor_label(administrator) == "Ada Admin (TCC)"
    assert actor_label(unattached) == "Ian Instance"
    assert actor_label(ApiKeyPrincipal(key)) == "API key 'Reporting' (TCC)"
    assert actor_label(None) == actor_label(AnonymousUser()) == SYSTEM_ACTOR == "System (data load)"


def _world(council, action):
    """One row of each app that a person can change: a meeting, a risk, an indicator, a recommendation."""
    partnership = council.partnership
    board = Board.objects.create(partnership=partnership, name="SEND Board", kind=BoardKind.IMPROVEMENT_BOARD)
    BoardMember.objects.create(board=board, name="Director", organisation=council)
    meeting = Meeting.objects.create(board=board, date=datetime.date(2024, 4, 17))
    risk = Risk.objects.create(
        partnership=partnership, reference="R1", title="Capacity", cause="Demand.", consequence="Delay.",
        owner=council, likelihood_before=4, impact_before=4, likelihood_after=4, impact_after=4,
        next_review_date=datetime.date(2024, 5, 1),
    )  # fmt: skip
    indicator = Indicator.objects.create(
        partnership=partnership, name="EHC plans in 20 weeks", definition="Share on time.", unit=Unit.PERCENT,
        polarity=Polarity.HIGHER_IS_BETTER, frequency=Frequency.MONTHLY, source="Case system", owner=council,
    )  # fmt: skip
    committee = Board.objects.create(partnership=partnership, name="Scrutiny", kind=BoardKind.SCRUTINY_COMMITTEE)
    report = recommendation_services.save_report(
        Report(
            partnership=partnership, committee=committee, title="PAP update", addressee="Cabinet",
            received_on=datetime.date(2024, 4, 23), regime=ResponseRegime.OVERVIEW_AND_SCRUTINY,
        ),
        user=None,
        reason="Loaded",
    )  # fmt: skip
    recommendation = Recommendation.objects.create(
        report=report, number="1", text="Hear children.", respondent=Respondent.CABINET
    )
    return meeting, risk, indicator, recommendation


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["officer", None])
def test_every_write_names_its_actor_in_the_same_words_and_keeps_its_reason_whole(by, request, council, action):
    """Through the plan, governance, KPI and scrutiny services alike: each history row and each
    label column carries actor_label's words; each reason is the whole text given."""
    need_postgres()
    user = request.getfixturevalue(by) if by else None
    label = "Olivia Officer (TCC)" if by else SYSTEM_ACTOR
    meeting, risk, indicator, recommendation = _world(council, action)
    since = datetime.datetime.now(datetime.UTC)

    if user is not None:
        record_rating_update(
            action_id=action.pk, user=user, brag="amber", commentary=LONG_COMMENTARY, based_on_version=1
        )
    decision = record_decision(meeting_id=meeting.pk, user=user, text=LONG_COMMENTARY)
    review = rescore_risk(
        risk_id=risk.pk, user=user, scores=Scores(4, 4, 3, 4), comment=LONG_COMMENTARY, based_on_version=1,
        next_review_date=datetime.date(2024, 7, 17), meeting_id=meeting.pk, reviewed_on=meeting.date,
    )  # fmt: skip
    target = set_target(
        indicator_id=indicator.pk, user=user, first_period="2024-04", last_period="2025-03", value="60",
        note=LONG_NOTE,
    )  # fmt: skip
    value = record_value(indicator_id=indicator.pk, user=user, period="2024-06", value="57")
    recommendation_services.record_response(
        recommendation_id=recommendation.pk, user=user, outcome="accepted", proposed_action="Listen.",
        given_on=datetime.date(2024, 5, 1), reason=LONG_COMMENTARY,
    )  # fmt: skip
    recommendation_services.close_recommendation(recommendation_id=recommendation.pk, user=user, reason=LONG_COMMENTARY)

    rows = [row for model in historical_models() for row in model.objects.filter(history_date__gte=since)]
    assert len(rows) >= 6
    assert {row.history_actor for row in rows} == {label}
    assert {row.history_user for row in rows} == {user}
    assert {decision.recorded_by_label, review.reviewed_by_label, target.set_by_label, value.entered_by_label} == {
        label
    }
    reasons = [row.history_change_reason for row in rows]
    assert reasons.count(LONG_COMMENTARY) == (2 if user is None else 3)  # a risk review, a response, a rating
    assert f"Closed: {LONG_COMMENTARY}" in reasons
    assert LONG_NOTE in reasons
    # The timelines read the same words back.
    assert {entry.who for entry in recommendation_history(recommendation) if entry.when >= since} == {label}
    if user is not None:
        assert action_timeline(action)[0].who == label
        assert action_timeline(action)[0].why == LONG_COMMENTARY
