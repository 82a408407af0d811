from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .following import followable_for_reading
from .forms import FollowForm, PreferencesForm
from .models import Alert

PAGE_SIZE = 50


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's alerts, unread first."""
    alerts = Alert.objects.for_user(request.user).in_reading_order()
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alerts/alert_list.html", {"page": page, "today": timezone.localdate()})


@login_required
@require_POST
def mark_read(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = services.mark_read(user=request.user, alert_id=alert_id)
    messages.success(request, f"Marked as read: {alert.title}")
    return redirect(_safe_next(request, reverse("alerts:list")))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"{count} alert{'' if count == 1 else 's'} marked as read.")
    return redirect("alerts:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.set_preferences(user=request.user, modes=form.modes())
            messages.success(request, "Your alert choices have been saved.")
            return redirect("alerts:preferences")
        status = 400
    else:
        form = PreferencesForm(initial=services.preferences_for(request.user))
        status = 200
    return render(request, "alerts/preferences.html", {"form": form}, status=status)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow or stop following an item the person may read (any role: following is reading)."""
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose an item to follow.")
    data = form.cleaned_data
    subject = followable_for_reading(request.user, data["subject_type"], data["subject_id"])
    following = services.set_following(user=request.user, subject=subject, follow=data["follow"])
    messages.success(
        request,
        f"You are following {subject}. You will be told of its deadlines."
        if following
        else f"You are no longer following {subject}.",
    )
    fallback = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else reverse("alerts:list")
    return redirect(_safe_next(request, fallback))
