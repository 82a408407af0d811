from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from actions import access as action_access
from actions.forum import views_as_they_stood
from actions.models import Plan
from send_tracker.accounts import access as access_rules
from send_tracker.accounts.access import administered_partnership, administers
from send_tracker.accounts.models import Organisation
from send_tracker.forms import after_stale_edit, form_page, saved_redirect, submitted

from . import access, packs
from .as_it_stood import plan_as_it_stood
from .choices import MEMBER_ROLE_ORDER, MeetingStatus
from .forms import (
    ActionArisingForm,
    AgendaItemForm,
    AsAtForm,
    BoardForm,
    BoardMemberForm,
    CloseRiskForm,
    CompleteActionArisingForm,
    DecisionForm,
    MeetingForm,
    RiskForm,
    RiskRescoreForm,
)
from .meeting_figures import read_meeting_figures
from .models import ActionArising, Board, InspectionEvent, Meeting, Risk, end_of_day, long_date
from .round_views import is_internal
from .rounds import returns_for, round_for
from .services import (
    StaleRiskError,
    add_action_arising,
    add_agenda_item,
    add_board_member,
    add_risk,
    close_risk,
    complete_action_arising,
    create_board,
    create_meeting,
    record_decision,
    rescore_risk,
)

FORMATS = {"docx": packs.DOCX_TYPE, "csv": packs.CSV_TYPE, "xlsx": packs.XLSX_TYPE}


def _today() -> datetime.date:
    return timezone.localdate()


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = _today()
    boards = (
        Board.objects.visible_to(request.user)
        .select_related("partnership")
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
            next_meeting=Min(
                "meetings__date",
                filter=Q(meetings__date__gte=today) & ~Q(meetings__status__in=[MeetingStatus.CANCELLED]),
            ),
        )
        .order_by("-is_active", "name")
    )
    meetings = Meeting.objects.visible_to(request.user).select_related("board")
    context = {
        "boards": boards,
        "upcoming": meetings.upcoming(today)[:10],
        "recent": meetings.filter(date__lt=today).order_by("-date")[:10],
        "open_risks": Risk.objects.visible_to(request.user).open().count(),
        "overdue_reviews": Risk.objects.visible_to(request.user).review_overdue(today).count(),
        "administers": administers(request.user),
    }
    return render(request, "governance/index.html", context)


@login_required
@require_GET
def board_detail(request: HttpRequest, board_id: int) -> HttpResponse:
    board = access.board_for_reading(request.user, board_id)
    if board.oversees_id:
        board = Board.objects.select_related("oversees", "partnership").get(pk=board.pk)
    members = sorted(
        board.members.select_related("organisation"), key=lambda m: (not m.is_active, MEMBER_ROLE_ORDER[m.role], m.name)
    )
    can_change = board.can_be_changed_by(request.user)
    return render(
        request,
        "governance/board_detail.html",
        {
            "board": board,
            "members": members,
            "meetings": board.meetings.order_by("-date"),
            "today": _today(),
            "can_change": can_change,
            "can_change_members": access_rules.may_change_in_partnership(request.user, board.partnership_id),
            "meeting_form": MeetingForm() if can_change else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, board_id: int) -> HttpResponse:
    board = access.board_for_change(request.user, board_id)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    # The form's fields are the service's: date, papers deadline, status, title, location.
    saved = saved_redirect(request, form, create_meeting, "Meeting of {row.date_label} added.", board_id=board.pk)
    return saved or _form_page(
        request,
        form,
        title="Add a meeting",
        caption=board.full_name,
        back_url=board.get_absolute_url(),
        back_label=f"Back to {board}",
        submit="Add meeting",
    )


def _form_page(request: HttpRequest, form: Any, *, title: str, **context: Any) -> HttpResponse:
    """templates/form_page.html headed `title`, with the caption, submit, intro (optional),
    back_url, back_label and status (optional) given."""
    return form_page(request, "form_page.html", form, page_title=title, **context)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_reading(request.user, meeting_id)
    today = _today()
    can_change = meeting.can_be_changed_by(request.user)
    agenda_items = list(meeting.agenda_items.select_related("action", "risk", "indicator"))
    decisions = list(meeting.decisions.select_related("agenda_item"))
    arising = list(meeting.actions_arising.select_related("owner_organisation", "agenda_item"))
    earlier_open = list(
        ActionArising.objects.filter(meeting__board_id=meeting.board_id, meeting__date__lt=meeting.date)
        .open()
        .select_related("meeting", "owner_organisation")
        .order_by("due_date", "pk")
    )
    figures = read_meeting_figures(meeting)
    previous, plan, reading = figures.previous, figures.plan, figures.reading
    context: dict[str, Any] = {
        "figures": figures,
        "meeting": meeting,
        "board": meeting.board,
        "plan": plan,
        "today": today,
        "can_change": can_change,
        "agenda_items": agenda_items,
        "decisions": decisions,
        "arising": [{"item": a, "overdue": a.is_overdue(today)} for a in arising],
        "earlier_open": [{"item": a, "overdue": a.is_overdue(today)} for a in earlier_open],
        "previous": previous,
        "next": meeting.next_meeting(),
        "reading": reading,
        "counts": reading.plan.rating_counts(),
        "overdue_then": reading.plan.overdue,
        "changes": reading.changes,
        "risks_open": [r for r in reading.risks if r.status == "open"],
    }
    update_round = round_for(meeting, previous=previous)
    if update_round is not None:
        context.update(
            update_round=update_round,
            returns=returns_for(update_round),
            status=update_round.status(today),
            returns_readable=is_internal(request.user),
        )
    if can_change:
        organisations = list(Organisation.objects.filter(partnership_id=meeting.board.partnership_id))
        context["agenda_form"] = AgendaItemForm(meeting=meeting, plan=plan, prefix="agenda")
        context["decision_form"] = DecisionForm(meeting=meeting, agenda_items=agenda_items, prefix="decision")
        context["arising_form"] = ActionArisingForm(
            meeting=meeting, agenda_items=agenda_items, organisations=organisations, prefix="arising"
        )
    return render(request, "governance/meeting_detail.html", context)


@login_required
@require_GET
def plan_as_at(request: HttpRequest) -> HttpResponse:
    """The partnership's plan as it stood at the end of any past day, read from history."""
    today = timezone.localdate()
    plan = action_access.current_plan_for(request.user)
    form = AsAtForm(request.GET or None, today=today)
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else None
    context: dict[str, Any] = {"form": form, "plan": plan, "on": on, "today": today}
    if on is not None and plan is not None:
        context.update(_plan_table(plan, plan.partnership_id, on))
    return render(request, "governance/plan_as_at.html", context)


@login_required
@require_GET
def meeting_plan(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_reading(request.user, meeting_id)
    plan = meeting.reviewed_plan()
    # A meeting not yet over (today's, or one to come) is read as at today, as its pack is
    # (governance/meeting_figures.py): a day still to come has no history, and an action due before
    # it is not overdue yet.
    today = timezone.localdate()
    on = min(meeting.date, today)
    context = {
        "meeting": meeting,
        "plan": plan,
        "on": on,
        "not_yet_held": meeting.date >= today,
        **_plan_table(plan, meeting.board.partnership_id, on),
    }
    return render(request, "governance/meeting_plan.html", context)


def _plan_table(plan: Plan | None, partnership_id: int, on: datetime.date) -> dict[str, Any]:
    """The context of governance/_plan_table.html: the plan as it stood at the end of `on`."""
    reading = plan_as_it_stood(plan, on)
    owners = dict(Organisation.objects.filter(partnership_id=partnership_id).values_list("pk", "name"))
    forum = views_as_they_stood(plan, end_of_day(on), {row.action_id: row.brag for row in reading.actions})
    groups = [
        {
            "objective": group.objective,
            "rows": [
                {
                    "action": row,
                    "overdue": row.is_overdue(on),
                    "owner": owners.get(row.owner_id or 0, ""),
                    "forum": forum.get(row.action_id),
                }
                for row in group.actions
            ],
        }
        for group in reading.groups()
    ]
    return {
        "reading": reading,
        "groups": groups,
        "counts": reading.rating_counts(),
        "overdue_count": len(reading.overdue),
    }


def _adds_to_meeting(
    form_class: Any, writer: Any, *, prefix: str, said: str, anchor: str, title: str, submit: str, plan: bool = False
) -> Any:
    """The page that adds a row to a meeting (an agenda item, a decision, an action arising): its form,
    prefixed, for the meeting's administrators; once saved, back to the meeting's `anchor`, saying
    `said`. `plan`: the form offers the plan the meeting reviews."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = access.meeting_for_change(request.user, meeting_id)
        reviewed = {"plan": meeting.reviewed_plan()} if plan else {}
        form = form_class(request.POST or None, meeting=meeting, prefix=prefix, **reviewed)
        to = f"{meeting.get_absolute_url()}#{anchor}"
        saved = saved_redirect(request, form, writer, said, to=to, meeting_id=meeting.pk)
        return saved or _meeting_form_page(request, meeting, form, title, submit)

    return view


def _meeting_form_page(
    request: HttpRequest, meeting: Meeting, form: Any, title: str, submit: str, **context: Any
) -> HttpResponse:
    return _form_page(
        request,
        form,
        title=title,
        caption=str(meeting),
        back_url=meeting.get_absolute_url(),
        back_label="Back to the meeting",
        submit=submit,
        **context,
    )


agenda_item_new = _adds_to_meeting(
    AgendaItemForm, add_agenda_item, prefix="agenda", anchor="agenda", plan=True,
    said="Item {row.number}, {row.title}, added to the agenda.", title="Add an agenda item", submit="Add item",
)  # fmt: skip
decision_new = _adds_to_meeting(
    DecisionForm, record_decision, prefix="decision", anchor="decisions",
    said="Decision {row.number} recorded.", title="Record a decision", submit="Record decision",
)  # fmt: skip
action_arising_new = _adds_to_meeting(
    ActionArisingForm, add_action_arising, prefix="arising", anchor="actions-arising",
    said="Action arising recorded for {row.owner_name}.", title="Add an action arising", submit="Add action arising",
)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def action_arising_done(request: HttpRequest, meeting_id: int, action_arising_id: int) -> HttpResponse:
    arising = access.action_arising_for_change(request.user, meeting_id, action_arising_id)
    meeting = arising.meeting
    form = CompleteActionArisingForm(request.POST or None)
    said, to = "Marked done: {row.description:.80}", f"{meeting.get_absolute_url()}#actions-arising"
    saved = saved_redirect(request, form, complete_action_arising, said, to=to, action_arising_id=arising.pk)
    intro = f"{arising.description} (owner: {arising.owner_name})"
    return saved or _meeting_form_page(request, meeting, form, "Mark an action arising done", "Mark done", intro=intro)


# ---------------------------------------------------------------------------------------------
# Packs


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pack_name(meeting: Meeting, what: str, fmt: str) -> str:
    board = slugify(meeting.board.short_name or meeting.board.name)[:40] or "board"
    return f"{board}-{meeting.date.isoformat()}-{what}.{fmt}"


@login_required
@require_GET
def meeting_pack(request: HttpRequest, meeting_id: int, fmt: str, which: str) -> HttpResponse:
    """A meeting's paper as at its date: the whole board pack, or its highlight report or risk
    register alone (`which`, named in the URL pattern: one of packs.DOCUMENTS)."""
    if fmt not in FORMATS or which not in packs.DOCUMENTS:
        raise Http404("No such format.")
    meeting = access.meeting_for_reading(request.user, meeting_id)
    pack = packs.build_pack(read_meeting_figures(meeting), which)
    return _download(packs.render(pack, fmt), _pack_name(meeting, which, fmt), fmt)


# ---------------------------------------------------------------------------------------------
# The risk register


@login_required
@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    today = _today()
    risks = Risk.objects.visible_to(request.user).select_related("owner", "review_board", "partnership")
    rows = [{"risk": risk, "review_overdue": risk.is_review_overdue(today)} for risk in risks]
    return render(
        request,
        "governance/risk_list.html",
        {
            "rows": rows,
            "today": today,
            "overdue_reviews": sum(1 for row in rows if row["review_overdue"]),
            "has_demo": any(row["risk"].is_demo_scores for row in rows),
            "several_partnerships": len({row["risk"].partnership_id for row in rows}) > 1,
            "administers": administers(request.user),
        },
    )


@login_required
@require_GET
def risk_detail(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = access.risk_for_reading(request.user, risk_id)
    history = list(
        Risk.history.filter(id=risk.pk)
        .select_related("history_user__organisation")
        .order_by("-history_date", "-history_id")[:30]
    )
    return render(
        request,
        "governance/risk_detail.html",
        {
            "risk": risk,
            "review_overdue": risk.is_review_overdue(_today()),
            "reviews": risk.reviews.select_related("meeting__board"),
            "history": history,
            "agenda_items": risk.agenda_items.select_related("meeting__board").order_by("-meeting__date"),
            "can_change": risk.can_be_changed_by(request.user) and not risk.is_closed,
            "can_close": access_rules.may_change_in_partnership(request.user, risk.partnership_id)
            and not risk.is_closed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_rescore(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = access.risk_for_change(request.user, risk_id)
    status = 200
    if request.method == "POST":
        form = RiskRescoreForm(request.POST, risk=risk)
        status = 400
        try:
            review = submitted(
                request,
                form,
                lambda data: rescore_risk(
                    risk_id=risk.pk,
                    user=request.user,
                    scores=form.scores(),
                    comment=data["comment"],
                    based_on_version=data["version"],
                    next_review_date=data["next_review_date"],
                    mitigations=data["mitigations"],
                    meeting_id=data["meeting"],
                ),
            )
        except StaleRiskError as exc:
            status = 409
            form = after_stale_edit(
                RiskRescoreForm,
                request.POST,
                exc.risk.version,
                "Someone else re-scored this risk while you were editing it. Your scores have not been saved. "
                "Check the risk's history, then submit again to save yours on top of theirs.",
                risk=exc.risk,
            )
        else:
            if review:
                messages.success(
                    request,
                    f"{risk.reference} re-scored: {review.score_after} after mitigation ({review.get_trend_display()}).",
                )
                return redirect(risk)
    else:
        form = RiskRescoreForm(
            risk=risk,
            initial={
                "likelihood_before": risk.likelihood_before,
                "impact_before": risk.impact_before,
                "likelihood_after": risk.likelihood_after,
                "impact_after": risk.impact_after,
                "mitigations": risk.mitigations,
                "version": risk.version,
            },
        )
    return _form_page(
        request,
        form,
        title=f"Re-score risk {risk.reference}",
        caption=risk.title,
        back_url=risk.get_absolute_url(),
        back_label=f"Back to risk {risk.reference}",
        submit="Save scores",
        intro="Likelihood and impact from 1 to 5. The trend is worked out from the score after mitigation.",
        status=status,
    )


@dataclass(frozen=True)
class Page:
    """What an administrator's governance form page says: its heading, its button, a line under the
    heading, and where its back link goes."""

    title: str
    submit: str
    back: tuple[str, str]
    intro: str = ""

    def drawn(self, request: HttpRequest, form: Any, caption: str) -> HttpResponse:
        back_url, back_label = self.back
        texts = {"title": self.title, "submit": self.submit, "intro": self.intro}
        return _form_page(request, form, caption=caption, back_url=back_url, back_label=back_label, **texts)


@login_required
@require_http_methods(["GET", "POST"])
def risk_new(request: HttpRequest) -> HttpResponse:
    partnership = administered_partnership(request.user, "Only an administrator can add a risk to the register.")
    form = RiskForm(request.POST or None, partnership_id=partnership.pk)
    said = "Risk {row.reference} added to the register."
    saved = saved_redirect(request, form, add_risk, said, partnership_id=partnership.pk)
    intro = "Likelihood and impact from 1 to 5, before and after the mitigations."
    page = Page("Add a risk", "Add risk", (reverse("governance:risks"), "Back to the risk register"), intro)
    return saved or page.drawn(request, form, "Risk register")


@login_required
@require_http_methods(["GET", "POST"])
def risk_close(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = access.risk_for_closing(request.user, risk_id)
    form = CloseRiskForm(request.POST or None)
    said = "Risk {row.reference} closed. It stays on the register, marked closed."
    saved = saved_redirect(request, form, close_risk, said, risk_id=risk.pk)
    intro = "A closed risk stays on the register and in its history, marked closed; its reviews stop falling due."
    back = (risk.get_absolute_url(), f"Back to risk {risk.reference}")
    return saved or Page(f"Close risk {risk.reference}", "Close risk", back, intro).drawn(request, form, risk.title)


@login_required
@require_http_methods(["GET", "POST"])
def board_new(request: HttpRequest) -> HttpResponse:
    partnership = administered_partnership(request.user, "Only an administrator can add a board.")
    form = BoardForm(request.POST or None, plans=list(Plan.objects.filter(partnership=partnership)))
    said = "{row.full_name} added. Add its members next."
    saved = saved_redirect(request, form, create_board, said, partnership_id=partnership.pk)
    page = Page("Add a board or committee", "Add board", (reverse("governance:index"), "Back to governance"))
    return saved or page.drawn(request, form, partnership.name)


@login_required
@require_http_methods(["GET", "POST"])
def board_member_new(request: HttpRequest, board_id: int) -> HttpResponse:
    board = access.board_for_membership(request.user, board_id)
    form = BoardMemberForm(request.POST or None, board=board)
    said, to = "{row.name} added to {row.board}.", f"{board.get_absolute_url()}#members"
    saved = saved_redirect(request, form, add_board_member, said, to=to, board_id=board.pk)
    page = Page("Add a member", "Add member", (board.get_absolute_url(), f"Back to {board}"))
    return saved or page.drawn(request, form, board.full_name)


# ---------------------------------------------------------------------------------------------
# The inspection cycle


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    today = _today()
    events = list(InspectionEvent.objects.visible_to(request.user).select_related("plan", "partnership"))
    years: list[dict[str, Any]] = []
    for event in events:
        if not years or years[-1]["year"] != event.date.year:
            years.append({"year": event.date.year, "events": []})
        years[-1]["events"].append(
            {"event": event, "expected": event.is_expected_on(today), "when": event.date_label_on(today)}
        )
    return render(
        request,
        "governance/timeline.html",
        {
            "years": years,
            "today": today,
            "today_label": long_date(today),
            "several_partnerships": len({event.partnership_id for event in events}) > 1,
        },
    )
