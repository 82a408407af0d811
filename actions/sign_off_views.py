"""The plan's sign-off and what has changed since: recording the sign-off date (administrators), and
the "Since sign-off" page and its downloads, which every internal reader of the plan may open."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from governance import packs
from governance.models import Meeting
from send_tracker.accounts import access as rules
from send_tracker.forms import form_page, saved_redirect
from send_tracker.numbers import whole_number
from send_tracker.tables import Column

from . import access
from .baseline import SinceSignOff, compare_with_baseline
from .models import Plan
from .services import record_sign_off
from .sign_off_forms import SignOffForm, SinceSignOffFilterForm, meeting_label

DOWNLOADS = {"csv": packs.CSV_TYPE, "xlsx": packs.XLSX_TYPE}

THEN_AND_NOW: list[str | Column] = ["At sign-off", "Now"]
# The page's sections, in order: (id, heading, the comparison's list, the kind of row, its columns
# after the action's). templates/actions/_since_sign_off_table.html draws each.
SECTIONS: list[tuple[str, str, str, str, list[str | Column]]] = [
    (
        "moved-later",
        "Target dates moved later",
        "moved_later",
        "moved",
        [*THEN_AND_NOW, Column("Later by", numeric=True)],
    ),
    (
        "moved-earlier",
        "Target dates moved earlier",
        "moved_earlier",
        "moved",
        [*THEN_AND_NOW, Column("Earlier by", numeric=True)],
    ),
    ("added", "Added since sign-off", "added", "added", ["Target date", "Owner", "Rating"]),
    ("retired", "Retired since sign-off", "retired", "retired", ["Why", "Retired on"]),
    ("owners", "Owners changed", "owners_changed", "owners", THEN_AND_NOW),
    ("ratings", "Ratings then and now", "at_sign_off", "ratings", THEN_AND_NOW),
]
TIMES_MOVED = Column("Times moved", numeric=True)


def _sections(comparison: SinceSignOff) -> list[dict[str, object]]:
    return [
        {
            "id": section_id,
            "heading": heading,
            "rows": comparison.lists[which],
            "kind": kind,
            "columns": ["Action", *columns, *([TIMES_MOVED] if kind == "moved" else [])],
        }
        for section_id, heading, which, kind, columns in SECTIONS
    ]


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_reading(request.user, plan_id)
    only = "Only an administrator of the partnership can record when the plan was signed off."
    plan = rules.for_administrators(request.user, plan, plan.partnership_id, only)
    if request.method == "POST":
        form = SignOffForm(request.POST)
        said = (
            "Sign-off recorded: {row.approved_date.day} {row.approved_date:%B %Y}. "
            "The baseline is the plan at the end of that day."
        )
        saved = saved_redirect(request, form, record_sign_off, said, plan_id=plan.pk)
        if saved:
            return saved
    else:
        initial = plan.approved_date
        form = SignOffForm(
            initial={
                "approved_date_day": initial.day,
                "approved_date_month": initial.month,
                "approved_date_year": initial.year,
            }
            if initial
            else None
        )
    return form_page(
        request,
        "form_page.html",
        form,
        back_url=plan.get_absolute_url(),
        back_label=f"Back to {plan.title}",
        page_title="When was the plan signed off?",
        caption=plan.title,
        intro=(
            "The baseline is the plan as it stood at the end of this day: every target date moved after it "
            "counts as a slip or a change on the “Since sign-off” page."
        ),
        submit="Save sign-off date",
    )


def _meetings(plan: Plan, today: datetime.date) -> dict[int, Meeting]:
    """Meetings that reviewed the plan, from its sign-off to today, newest first: one query."""
    reviewed = Q(plan=plan) | Q(plan__isnull=True) if plan.is_current else Q(plan=plan)
    meetings = (
        Meeting.objects.filter(reviewed, board__partnership_id=plan.partnership_id, date__lte=today)
        .going_ahead()
        .select_related("board")
        .order_by("-date", "board__name")
    )
    if plan.approved_date:
        meetings = meetings.filter(date__gte=plan.approved_date)
    return {meeting.pk: meeting for meeting in meetings}


def _reading(request: HttpRequest, plan_id: int) -> tuple[Plan, Meeting | None, SinceSignOff, SinceSignOffFilterForm]:
    """The plan, the meeting chosen, the comparison with the filters applied, and the filter form."""
    plan = access.plan_for_reading(request.user, plan_id)
    meetings = _meetings(plan, timezone.localdate())
    # The meeting is looked up among the form's own choices, so the comparison and the form agree.
    meeting = meetings.get(whole_number(request.GET.get("meeting", "")) or 0)
    comparison = compare_with_baseline(plan, meeting.date if meeting else None)
    form = SinceSignOffFilterForm(
        request.GET or None,
        meetings=[(pk, meeting_label(str(m.board), m.date)) for pk, m in meetings.items()],
        comparison=comparison,
    )
    filtered = comparison.filtered(priority_area_id=form.chosen("priority_area"), owner_id=form.chosen("owner"))
    return plan, meeting, filtered, form


@login_required
@require_GET
def since_sign_off(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, meeting, comparison, form = _reading(request, plan_id)
    query = request.GET.urlencode()
    return render(
        request,
        "actions/since_sign_off.html",
        {
            "plan": plan,
            "meeting": meeting,
            "comparison": comparison,
            "sections": _sections(comparison) if comparison.is_signed_off else [],
            "form": form,
            "filtered": bool(request.GET),
            "query": f"?{query}" if query else "",
        },
    )


@login_required
@require_GET
def since_sign_off_download(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    plan, meeting, comparison, _ = _reading(request, plan_id)
    if fmt == "xlsx":
        content = packs.since_sign_off_xlsx(comparison, meeting)
    else:
        content = packs.since_sign_off_csv(comparison)
    at = (meeting.date if meeting else timezone.localdate()).isoformat()
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{plan.partnership.slug}-since-sign-off-{at}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
