"""The second partnership every test database holds: "Elsewhere", fully populated.

Every test that touches the database also gets this partnership (tests/conftest.py's autouse
`elsewhere` fixture), so that a query, page, export, API answer or alert that forgets its
partnership shows Elsewhere's rows and fails the test. It deliberately reuses Testshire's numbers:
the same priority area number, objective code, action refs and risk reference, so that a lookup by
number rather than by partnership finds the wrong row. Its words all name Elsewhere, so that a
page or file showing them to Testshire is a visible leak.

It is built through the services, as the product writes, with history on dates in 2024.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType

from actions.models import Action, Objective, Plan, PriorityArea, Theme, Workstream
from actions.services import Evidence, record_rating_update
from governance import services as governance_services
from governance.choices import BoardKind, EventKind, MemberRole
from governance.models import ActionArising, Board, BoardMember, Decision, InspectionEvent, Meeting, Risk
from kpis import services as kpi_services
from kpis.choices import Frequency, Polarity, Unit
from kpis.models import Indicator, IndicatorValue, Target
from recommendations import services as recommendation_services
from recommendations.choices import Outcome, Respondent, ResponseRegime
from recommendations.models import ImplementationUpdate, Recommendation, Report, Response
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import ApiKey, Organisation, Partnership, User
from send_tracker.alerts import services as alert_services
from send_tracker.alerts.choices import AlertKind, Delivery, DeliveryMode
from send_tracker.alerts.models import Alert
from send_tracker.api.keys import create_api_key
from tests.kpis.conftest import target

LONDON = ZoneInfo("Europe/London")
SLUG = "elsewhere"
PASSWORD = "correct-horse-battery-staple"  # the same as tests.conftest.PASSWORD


def _on(year: int, month: int, day: int, hour: int = 12) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=LONDON), tick=False)


@dataclass
class World:
    """Elsewhere's rows, by what they are."""

    partnership: Partnership
    council: Organisation
    icb: Organisation
    forum: Organisation
    officer: User  # "otto", the `outsider` of the access tests
    icb_officer: User
    scrutiny_member: User
    partner_user: User
    administrator: User
    plan: Plan
    priority_area: PriorityArea
    objective: Objective
    theme: Theme
    workstream: Workstream
    actions: dict[str, Action]
    committee: Board
    report: Report
    recommendations: list[Recommendation]
    response: Response
    update: ImplementationUpdate
    indicator: Indicator
    target: Target
    values: list[IndicatorValue]
    board: Board
    meeting: Meeting
    decision: Decision
    action_arising: ActionArising
    risk: Risk
    inspection: InspectionEvent
    api_key: ApiKey
    api_key_secret: str
    write_key: ApiKey
    write_key_secret: str
    alerts: list[Alert]


def _person(username: str, organisation: Organisation, role: str, first: str, last: str, **extra: object) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=organisation,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username.replace('.', '_')}@elsewhere.example",
        **extra,
    )


def build_elsewhere() -> World:
    """The Elsewhere partnership with a little of everything each app holds."""
    with _on(2023, 12, 12):
        partnership = Partnership.objects.create(
            name="Elsewhere Partnership", slug=SLUG, area_name="Elsewhere", region="North West"
        )
        council, icb, forum = (
            Organisation.objects.create(partnership=partnership, name=name, short_name=short_name, kind=kind)
            for name, short_name, kind in [
                ("Elsewhere Council", "EC", OrganisationKind.COUNCIL),
                ("Elsewhere Integrated Care Board", "EICB", OrganisationKind.ICB),
                ("Elsewhere Parent Carer Forum", "EPCF", OrganisationKind.PARENT_CARER_FORUM),
            ]
        )
        officer = _person("otto", council, Role.OFFICER, "Otto", "Outsider")
        icb_officer = _person("elsewhere.icb", icb, Role.OFFICER, "Ella", "Elsewhere")
        scrutiny_member = _person("elsewhere.cllr", council, Role.SCRUTINY, "Cass", "Councillor")
        partner_user = _person("elsewhere.partner", forum, Role.PARTNER, "Petra", "Parent")
        administrator = _person("elsewhere.admin", council, Role.ADMINISTRATOR, "Edna", "Admin", is_staff=True)

        plan = Plan.objects.create(
            partnership=partnership,
            title="Elsewhere Priority Action Plan",
            inspection_report_date=datetime.date(2023, 9, 1),
            approved_date=datetime.date(2023, 12, 1),
            is_public=True,
        )
        priority_area = PriorityArea.objects.create(plan=plan, number=3, title="Elsewhere timeliness of plans")
        objective = Objective.objects.create(
            priority_area=priority_area, code="3A", text="Elsewhere needs met in time."
        )
        theme = Theme.objects.create(plan=plan, name="Elsewhere Right Plan")
        workstream = Workstream.objects.create(plan=plan, name="Elsewhere EHCP workstream")
        actions: dict[str, Action] = {}
        for position, (ref, owner, due, kind, text) in enumerate(
            [
                ("3A1", council, datetime.date(2024, 4, 30), "date", "Apr 24"),
                ("3A2", icb, None, "tbc", "TBC"),
                ("3A3", council, datetime.date(2027, 6, 30), "date", "Jun 27"),
            ],
            start=1,
        ):
            actions[ref] = Action.objects.create(
                plan=plan,
                objective=objective,
                ref=ref,
                published_ref=ref,
                description=f"Elsewhere's action {ref}: audit every EHC plan.",
                due_date=due,
                due_date_kind=kind,
                due_date_text=text,
                owner=owner,
                lead_officer=officer if owner == council else icb_officer,
                position=position,
            )
            actions[ref].themes.add(theme)
            actions[ref].workstreams.add(workstream)

        committee = Board.objects.create(
            partnership=partnership,
            name="Elsewhere Health Scrutiny Committee",
            short_name="EHSC",
            kind=BoardKind.SCRUTINY_COMMITTEE,
        )
        board = Board.objects.create(
            partnership=partnership,
            name="Elsewhere SEND Improvement Board",
            short_name="ESIB",
            kind=BoardKind.IMPROVEMENT_BOARD,
            independently_chaired=True,
        )
        BoardMember.objects.create(board=board, name="Elsewhere Chair", represents="Independent", role=MemberRole.CHAIR)
        BoardMember.objects.create(board=board, name="Elsewhere Director", organisation=council)
        inspection = InspectionEvent.objects.create(
            partnership=partnership,
            kind=EventKind.AREA_INSPECTION,
            title="Elsewhere area SEND inspection",
            date=datetime.date(2023, 7, 10),
            bodies="Ofsted and CQC",
            plan=plan,
        )
        risk = Risk.objects.create(
            partnership=partnership,
            reference="R1",
            title="Elsewhere risk: not enough educational psychologists",
            cause="Vacancies.",
            consequence="Plans are late.",
            owner=council,
            likelihood_before=4,
            impact_before=4,
            likelihood_after=4,
            impact_after=3,
            next_review_date=datetime.date(2024, 3, 1),
            plan=plan,
            review_board=board,
        )
        indicator = Indicator.objects.create(
            partnership=partnership,
            name="Elsewhere plans issued within 20 weeks",
            definition="Elsewhere's percentage of new EHC plans issued within 20 weeks.",
            unit=Unit.PERCENT,
            polarity=Polarity.HIGHER_IS_BETTER,
            frequency=Frequency.MONTHLY,
            source="Elsewhere case management system",
            owner=council,
            is_public=True,
        )
        indicator.priority_areas.add(priority_area)
        indicator.actions.add(actions["3A1"])

    def rate(ref: str, by: User, brag: str, commentary: str, evidence: str = "", public: bool = False) -> None:
        record_rating_update(
            action_id=actions[ref].pk,
            user=by,
            brag=brag,
            commentary=commentary,
            based_on_version=Action.objects.get(pk=actions[ref].pk).version,
            evidence=Evidence(text=evidence),
            commentary_is_public=public,
        )

    with _on(2024, 1, 10):
        rate("3A1", officer, "amber", "Elsewhere: on track in January.", public=True)
        rate("3A2", icb_officer, "red", "Elsewhere: delayed, no clinicians.", public=True)
        target(indicator, officer, first="2024-01", last="2024-12")
        kpi_services.record_value(indicator_id=indicator.pk, user=officer, period="2024-01", value="41.5")
        meeting = governance_services.create_meeting(
            board_id=board.pk, user=administrator, date=datetime.date(2024, 1, 17), title="Elsewhere January board"
        )
    with _on(2024, 1, 17, 15):
        item = governance_services.add_agenda_item(
            meeting_id=meeting.pk, user=administrator, title="Elsewhere EHCP timeliness", action_id=actions["3A1"].pk
        )
        decision = governance_services.record_decision(
            meeting_id=meeting.pk,
            user=administrator,
            text="Elsewhere: fund two more caseworkers.",
            agenda_item_id=item.pk,
        )
        action_arising = governance_services.add_action_arising(
            meeting_id=meeting.pk,
            user=administrator,
            description="Elsewhere: report back on recruitment.",
            owner_name="Elsewhere Director",
            owner_organisation_id=council.pk,
            due_date=datetime.date(2024, 3, 15),
        )
    with _on(2024, 2, 1):
        rate("3A1", officer, "green", "Elsewhere: every timeline mapped.", evidence="Elsewhere audit of 30 plans.")
        kpi_services.record_value(indicator_id=indicator.pk, user=officer, period="2024-02", value="63")
        governance_services.rescore_risk(
            risk_id=risk.pk,
            user=officer,
            scores=governance_services.Scores(4, 4, 3, 3),
            comment="Elsewhere: two psychologists recruited.",
            based_on_version=risk.version,
            next_review_date=datetime.date(2024, 5, 1),
            meeting_id=meeting.pk,
        )
        report = recommendation_services.save_report(
            Report(
                partnership=partnership,
                committee=committee,
                title="Elsewhere scrutiny of EHC plan timeliness",
                received_on=datetime.date(2024, 1, 25),
                regime=ResponseRegime.HEALTH_SCRUTINY,
            ),
            user=administrator,
            reason="Elsewhere report received",
        )
        recommendations = [
            Recommendation.objects.create(
                report=report,
                number=str(number),
                position=number,
                text=f"Elsewhere recommendation {number}: hear the voice of children.",
                respondent=Respondent.CABINET,
                respondent_organisation=council,
            )
            for number in (1, 2, 3)
        ]
        response = recommendation_services.record_response(
            recommendation_id=recommendations[0].pk,
            user=officer,
            outcome=Outcome.ACCEPTED,
            proposed_action="Elsewhere will survey families.",
            indicative_timescale="Spring 2024",
            given_on=datetime.date(2024, 2, 1),
            is_published=True,
        )
    with _on(2024, 3, 1):
        update = recommendation_services.add_implementation_update(
            recommendation_id=recommendations[0].pk,
            user=officer,
            progress="Elsewhere: the survey is out.",
            reported_on=datetime.date(2024, 3, 1),
            action_ids=[actions["3A1"].pk],
        )
        recommendation_services.close_recommendation(
            recommendation_id=recommendations[2].pk, user=administrator, reason="Elsewhere: superseded."
        )
        alert_services.set_following(user=scrutiny_member, subject=recommendations[1], follow=True)
        alert_services.set_following(user=icb_officer, subject=actions["3A1"], follow=True)
        alert_services.set_preferences(user=officer, modes={AlertKind.ACTION_DUE_14: DeliveryMode.DIGEST})

    api_key, api_key_secret = create_api_key(organisation=forum, name="Elsewhere dashboard")
    write_key, write_key_secret = create_api_key(organisation=council, name="Elsewhere case system", can_write=True)
    due_in_14_days: dict[str, Any] = {
        "kind": AlertKind.ACTION_DUE_14,
        "subject_type": ContentType.objects.get_for_model(Action),
        "subject_id": actions["3A1"].pk,
        "due_date": datetime.date(2024, 4, 30),
        "title": "Elsewhere action 3A1 is due in 14 days",
        "link": actions["3A1"].get_absolute_url(),
        "delivery": Delivery.SENT,
        "sent_at": datetime.datetime(2024, 4, 16, 7, tzinfo=LONDON),
    }
    alerts = [
        Alert.objects.create(recipient=officer, **due_in_14_days),
        Alert.objects.create(
            recipient=scrutiny_member, read_at=datetime.datetime(2024, 4, 17, 9, tzinfo=LONDON), **due_in_14_days
        ),
    ]
    for action in actions.values():
        action.refresh_from_db()
    risk.refresh_from_db()
    return World(
        partnership=partnership,
        council=council,
        icb=icb,
        forum=forum,
        officer=officer,
        icb_officer=icb_officer,
        scrutiny_member=scrutiny_member,
        partner_user=partner_user,
        administrator=administrator,
        plan=plan,
        priority_area=priority_area,
        objective=objective,
        theme=theme,
        workstream=workstream,
        actions=actions,
        committee=committee,
        report=report,
        recommendations=recommendations,
        response=response,
        update=update,
        indicator=indicator,
        target=Target.objects.get(indicator=indicator),
        values=list(IndicatorValue.objects.filter(indicator=indicator).order_by("period_start")),
        board=board,
        meeting=meeting,
        decision=decision,
        action_arising=action_arising,
        risk=risk,
        inspection=inspection,
        api_key=api_key,
        api_key_secret=api_key_secret,
        write_key=write_key,
        write_key_secret=write_key_secret,
        alerts=alerts,
    )
