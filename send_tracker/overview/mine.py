"""What is theirs: what a signed-in officer's own organisation owes, shown first. The dashboard
gives a count of each kind directly under its title, above the headline figures (so both are on the
first screen at 320 pixels wide as at 1280; on a phone the counts fold into one total); each count
links to its full list on the page "Yours to do" (/yours/).

- the plan's actions it owns that are due an update in the open update round (governance.rounds),
- its actions overdue or slipping (actions.reports.slipping_actions, for its own),
- scrutiny recommendations it answers that are still owed a response,
- its indicators' figures due, and the exception notes asked of it.

The dashboard's own content is cached per partnership and must not depend on who reads it
(send_tracker/overview/dashboard.py), so this summary is built apart from it and put under its title.
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

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
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


# What each kind is called in the summary, and its list's anchor on the page "Yours to do" (the
# exception notes are listed with the figures due).
KINDS = (
    ("update_due", "update-due", "action due an update", "actions due an update"),
    ("slipping", "slipping", "overdue or slipping", "overdue or slipping"),
    ("responses_due", "responses-owed", "response owed", "responses owed"),
    ("figures_due", "figures-due", "figure due", "figures due"),
    ("notes_asked", "figures-due", "exception note asked for", "exception notes asked for"),
)

PANEL_KEY = "mine:v2:{part}:{code}:{partnership}:{version}:{today}:{organisation}"


def mine_panel(request: HttpRequest, today: datetime.date) -> SafeString:
    """The dashboard's summary under its title: a count of each kind, linking to its list on the page
    "Yours to do"; nothing for someone with no panel. Kept per organisation."""
    return _kept(request, today, "summary")


def mine_lists(request: HttpRequest, today: datetime.date) -> SafeString:
    """The page "Yours to do": every item of each kind. Kept per organisation."""
    return _kept(request, today, "lists")


def has_a_panel(request: HttpRequest) -> bool:
    someone = access.person(request.user)
    return someone is not None and someone.role in ROLES_WITH_A_PANEL and someone.organisation is not None


def _kept(request: HttpRequest, today: datetime.date, part: str) -> SafeString:
    someone = access.person(request.user)
    if someone is None or not has_a_panel(request) or someone.organisation is None:
        return SafeString("")
    panel = freshness.kept_for_partnership(
        PANEL_KEY,
        someone.organisation.partnership_id,
        today,
        lambda: _built(request, today, part),
        CACHE_SECONDS,
        part=part,
        organisation=someone.organisation_id,
    )
    return SafeString(panel)


def _built(request: HttpRequest, today: datetime.date, part: str) -> SafeString:
    mine = mine_for(request, today)
    if mine is None:
        return SafeString("")
    if part == "lists":
        return SafeString(render_to_string("dashboard/_mine.html", {"mine": mine}).strip())
    counts = {name: len(getattr(mine, name)) for name, *_ in KINDS}
    kinds = [
        {"anchor": anchor, "count": counts[name], "one": one, "many": many}
        for name, anchor, one, many in KINDS
        if counts[name]
    ]
    context = {"mine": mine, "kinds": kinds, "total": sum(counts.values())}
    return SafeString(render_to_string("dashboard/_mine_summary.html", context).strip())


@login_required
def yours(request: HttpRequest) -> HttpResponse:
    """Every item the reader's organisation owes, for its officers and administrators; a scrutiny
    member or a partner owns nothing to do here (403)."""
    if not has_a_panel(request):
        raise PermissionDenied
    return render(request, "dashboard/yours.html", {"lists": mine_lists(request, timezone.localdate())})
