"""What is theirs: the panel at the top of the dashboard that shows a signed-in officer first what
their own organisation owes.

- the plan's actions it owns that are due an update in the open update round (governance.rounds),
- its actions overdue or slipping (actions.reports.slipping_actions, for its own),
- scrutiny recommendations it answers that are still owed a response,
- its indicators' figures due, and the exception notes asked of it.

The dashboard's own content is cached per partnership and must not depend on who reads it
(send_tracker/overview/dashboard.py), so this panel is built apart from it and rendered above it.
It depends on the reader's organisation only, so it is cached per organisation, under its
partnership's data version and the day, as the content is: a warm dashboard still reads only the
person. Built, it reads one organisation's rows of one plan, so its queries do not grow with the
number of partnerships (tests/test_mine.py pins them). Only people who change their organisation's
rows (officers and administrators) have a panel: a scrutiny member or a partner owns nothing to do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from actions import access as action_access
from actions.models import Action
from actions.reports import slipping_actions
from governance.rounds import Round, current_round
from kpis import reports as kpis_reports
from kpis.models import IndicatorValue
from recommendations.choices import Respondent
from recommendations.models import Recommendation
from send_tracker import freshness
from send_tracker.accounts import access
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation

# Who has a panel: those whose organisation's rows they change.
ROLES_WITH_A_PANEL = (Role.OFFICER, Role.ADMINISTRATOR)
# The longest list shown in each part; the count says how many there are in all.
SHOWN = 5
# As the dashboard's content: exact while the cache answers, the expiry only a bound after an outage.
CACHE_SECONDS = 10 * 60


@dataclass
class Mine:
    """One organisation's to-do, on one day."""

    organisation: Organisation
    today: datetime.date
    update_round: Round | None = None
    update_due: list[Action] = field(default_factory=list)
    slipping: list[dict[str, Any]] = field(default_factory=list)
    responses_due: list[Recommendation] = field(default_factory=list)
    figures_due: list[tuple[Any, Any]] = field(default_factory=list)
    notes_asked: list[IndicatorValue] = field(default_factory=list)

    @property
    def is_clear(self) -> bool:
        return not (self.update_due or self.slipping or self.responses_due or self.figures_due or self.notes_asked)


def responses_owed_by(organisation: Organisation) -> list[Recommendation]:
    """Recommendations this organisation answers (Recommendation.responsible_organisation_id: the
    one named, or for the Cabinet the partnership's first council) still owed a response, soonest
    deadline first. One query."""
    first_council = (
        Organisation.objects.filter(partnership_id=OuterRef("report__partnership_id"), kind=OrganisationKind.COUNCIL)
        .order_by("pk")
        .values("pk")[:1]
    )
    answers = Q(respondent_organisation_id=organisation.pk)
    if organisation.kind == OrganisationKind.COUNCIL:
        answers |= Q(respondent_organisation__isnull=True, respondent=Respondent.CABINET, answering=organisation.pk)
    return list(
        Recommendation.objects.filter(
            report__partnership_id=organisation.partnership_id,
            closed_at__isnull=True,
            response_required=True,
            response__isnull=True,
        )
        .annotate(answering=Subquery(first_council))
        .filter(answers)
        .select_related("report__committee")
        .order_by("report__response_due_date", "report_id", "position", "pk")
    )


def mine_for(request: HttpRequest, today: datetime.date) -> Mine | None:
    """The reader's organisation's to-do, or None for someone with no panel."""
    someone = access.person(request.user)
    if someone is None or someone.role not in ROLES_WITH_A_PANEL or someone.organisation_id is None:
        return None
    organisation = someone.organisation
    if organisation is None:
        return None
    mine = Mine(organisation=organisation, today=today)
    plan = action_access.current_plan_for(request.user)
    if plan is not None and plan.partnership_id == organisation.partnership_id:
        mine.update_round = current_round(plan, today)
        if mine.update_round is not None and mine.update_round.is_open(today):
            mine.update_due = list(
                mine.update_round.due_actions().filter(owner_id=organisation.pk).order_by("position", "ref")
            )
        mine.slipping = slipping_actions(plan, today, owner_id=organisation.pk)
    mine.responses_due = responses_owed_by(organisation)
    asks = kpis_reports.asks_of(organisation.pk, today)
    mine.figures_due, mine.notes_asked = asks["figures_due"], asks["notes_asked"]
    return mine


PANEL_KEY = "mine:v1:{code}:{partnership}:{version}:{today}:{organisation}"


def mine_panel(request: HttpRequest, today: datetime.date) -> SafeString:
    """The panel's markup, or nothing for someone with no panel; kept per organisation."""
    someone = access.person(request.user)
    if someone is None or someone.role not in ROLES_WITH_A_PANEL or someone.organisation is None:
        return SafeString("")
    partnership_id = someone.organisation.partnership_id
    version = freshness.current_version(partnership_id)  # before the panel is built
    if version is None:
        return _built(request, today)
    key = PANEL_KEY.format(
        code=freshness.code_version(),
        partnership=partnership_id,
        version=version,
        today=today.isoformat(),
        organisation=someone.organisation_id,
    )
    panel: str | None = freshness.cached(key)
    if panel is None:
        panel = str(_built(request, today))
        freshness.keep(key, panel, CACHE_SECONDS)
    return SafeString(panel)


def _built(request: HttpRequest, today: datetime.date) -> SafeString:
    mine = mine_for(request, today)
    if mine is None:
        return SafeString("")
    parts = ("update_due", "slipping", "responses_due", "figures_due", "notes_asked")
    more = {part: max(0, len(getattr(mine, part)) - SHOWN) for part in parts}
    return SafeString(render_to_string("dashboard/_mine.html", {"mine": mine, "shown": SHOWN, "more": more}).strip())
