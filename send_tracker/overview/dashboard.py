"""The scrutiny dashboard: the home page after sign-in.

One question before a meeting: is the improvement on track, and where is it not? A row of headline
figures comes first (send_tracker/overview/headlines.py), each with its change since the last
meeting of the plan's board, then the chart of ratings at each of its meetings, then the detail.
Every figure links to the list behind it. Each section reads one partnership's plan, so the number of queries
does not grow with the number of partnerships in the instance.

Everything below the header is the same for everyone in a partnership, so it is cached: per
partnership, under its data version (send_tracker.freshness, replaced when any of its data changes
and committed), today's date in Europe/London (dates make actions overdue), the board chosen for
"what changed" and the code's version. The version is read before the content is built, so content
built from data that changes meanwhile is stored under a version no one asks for again. The header
(the person's name, their unread alerts) is rendered for each request. An instance administrator,
who may read every partnership, is served uncached.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions import access as action_access
from actions import reports as actions_reports
from governance import reports as governance_reports
from kpis import reports as kpis_reports
from recommendations import reports as recommendations_reports
from send_tracker import freshness
from send_tracker.accounts import access
from send_tracker.overview import headlines
from send_tracker.overview.mine import mine_panel

# Exact while the cache answers (every change replaces the version). The expiry only bounds how
# long content can outlive a change whose new version the cache did not take (an outage).
CONTENT_CACHE_SECONDS = 10 * 60
CONTENT_KEY = "dashboard:v1:{code}:{partnership}:{version}:{today}:{board}"

# Each app's section, in the page's order: the plan, the KPIs, recommendations owed a response,
# then meetings. Each takes (request, plan or None, today) and returns its part of the context.
SECTIONS = (
    actions_reports.dashboard_section,
    kpis_reports.dashboard_section,
    recommendations_reports.dashboard_section,
    governance_reports.dashboard_section,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    partnerships = access.partnership_ids_for(request.user)
    content: str
    if partnerships is None or len(partnerships) != 1:
        content = dashboard_content(request, today)
    else:
        content = _cached_content(request, today, partnerships[0])
    # The reader's own to-do, outside the content, which is the same for everyone in the partnership.
    content = under_the_title(content, mine_panel(request, today))
    return render(request, "dashboard/home.html", {"content": mark_safe(content)})  # noqa: S308 - our own markup


def under_the_title(content: str, mine: str) -> str:
    """The content with the reader's to-do put directly under its title (the first h1), above the
    headline figures: the title stays first, and what is theirs comes before the rest."""
    title_ends = content.find("</h1>")
    if title_ends < 0:
        return mine + content
    at = title_ends + len("</h1>")
    return content[:at] + mine + content[at:]


def _cached_content(request: HttpRequest, today: datetime.date, partnership_id: int) -> str:
    return freshness.kept_for_partnership(
        CONTENT_KEY,
        partnership_id,
        today,
        lambda: dashboard_content(request, today),
        CONTENT_CACHE_SECONDS,
        board=_board_asked_for(request),
    )


def _board_asked_for(request: HttpRequest) -> str:
    """The board chosen for "what changed" (governance/reports.py): an id, or "" for the default,
    which any other value also gets."""
    wanted = request.GET.get("board", "")
    return wanted if wanted.isascii() and wanted.isdigit() and len(wanted) <= 12 else ""


def dashboard_content(request: HttpRequest, today: datetime.date) -> SafeString:
    """The dashboard below the header, for the reader's partnership: rendered without the request,
    so nothing in it can depend on who reads it."""
    plan = action_access.current_plan_for(request.user)
    context: dict[str, Any] = {"today": today, "plan": plan}
    for section in SECTIONS:
        context.update(section(request, plan, today))
    # The headline row reads what the sections read, and history for "since the last meeting".
    context.update(headlines.headline_section(plan, today, context))
    return render_to_string("dashboard/_content.html", context)
