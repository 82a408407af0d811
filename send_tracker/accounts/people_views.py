"""A partnership administrator's pages: its people (invited by email), its organisations and its
API keys; and the page where an invited person chooses a password.

Each page fetches through send_tracker/accounts/people_access.py (403 for anyone but the
partnership's administrator, 404 for another partnership's rows) and writes through
send_tracker/accounts/services.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from send_tracker.forms import add_service_errors, form_page, submitted
from send_tracker.history import with_a_reason

from . import people_access, second_factor, services
from .access import AnyUser
from .models import Invitation, User
from .people_forms import ApiKeyForm, InviteForm, OrganisationForm, PersonForm, role_options

# The key just made, kept in the session between the form and the page that shows it once.
NEW_KEY_SESSION = "new-api-key"
SIGN_IN_BACKEND = "send_tracker.accounts.backends.UserWithOrganisationBackend"


def invitation_state(person: User, now: Any) -> tuple[str, str]:
    """What the people list says of someone's sign-in: (a label, a GOV.UK tag colour)."""
    if not person.is_active:
        return "Deactivated", "grey"
    if person.has_usable_password():
        return "Active", "green"
    latest: Invitation | None = next(iter(person.invitations.all()), None)
    if latest is None:
        return "No password yet", "yellow"
    state = latest.state(now)
    if state == "expired":
        return f"Invitation expired {timezone.localtime(latest.expires_at):%-d %b %Y}", "red"
    if state == "withdrawn":  # they were deactivated before choosing a password
        return "Invitation withdrawn", "red"
    return f"Invited, until {timezone.localtime(latest.expires_at):%-d %b %Y}", "blue"


def _administrators_form(
    request: HttpRequest,
    form_class: Any,
    write: Callable[..., Any],
    *,
    scoped: bool = True,
    initial: dict[str, Any] | None = None,
    **row: int,
) -> tuple[Any, Any]:
    """A form of the partnership's administrator's (the partnership handed to it when `scoped`,
    filled with `initial`) and, when posted and valid, what `write(by=the administrator, **row,
    **its data)` returned, or None. `row` names the row it changes (`person_id=...`)."""
    partnership = people_access.administered_by(request.user)
    form = form_class(request.POST or None, initial=initial, **({"partnership": partnership} if scoped else {}))
    return form, submitted(request, form, lambda data: write(by=request.user, **row, **data))


def _section_page(request: HttpRequest, template: str, section: str, **context: Any) -> HttpResponse:
    context.update(section=section, partnership=people_access.administered_by(request.user))
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# People


@login_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    partnership = people_access.administered_by(request.user)
    now = timezone.now()
    people = [(person, *invitation_state(person, now)) for person in people_access.people_of(partnership)]
    return _section_page(request, "people/people_list.html", "people", people=people)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form, person = _administrators_form(request, InviteForm, services.invite_person)
    if person:
        messages.success(request, f"Invitation sent to {person.email}.")
        return redirect("people:person", person.pk)
    return form_page(
        request,
        "people/invite.html",
        form,
        back_url=reverse("people:list"),
        back_label="Back to people",
        role_options=role_options(),
        invitation_days=settings.INVITATION_DAYS,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = people_access.person_for_administration(request.user, person_id)
    initial = {"role": person.role, "organisation": person.organisation_id}
    form, changed = _administrators_form(
        request, PersonForm, services.change_person, initial=initial, person_id=person.pk
    )
    if changed:
        messages.success(request, f"{changed.display_name} is now {changed.role_label} of {changed.organisation}.")
        return redirect("people:person", person.pk)
    state, colour = invitation_state(person, timezone.now())
    return render(
        request,
        "people/person_detail.html",
        {
            "section": "people",
            "person": person,
            "form": form,
            "state": state,
            "state_colour": colour,
            "themselves": person.pk == request.user.pk,
            "pending": person.is_active and not person.has_usable_password(),
            "second_factor": second_factor.has_second_factor(person),
            "invitations": [(invitation, invitation.state(timezone.now())) for invitation in person.invitations.all()],
            "role_options": role_options(),
            # A sign-in writes no history (signals.record_sign_in); older rows of sign-ins have no reason.
            "history": person.history.filter(with_a_reason()).order_by("-history_date", "-history_id")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


# The buttons on a person's page: what each writes, and what it says when done.
PERSON_ACTIONS: dict[str, tuple[Callable[[AnyUser, int], User], str]] = {
    "resend": (
        lambda by, pk: services.resend_invitation(by=by, person_id=pk).person,
        "A new invitation was sent to {name}; the old link no longer works.",
    ),
    "deactivate": (
        lambda by, pk: services.set_active(by=by, person_id=pk, active=False),
        "{name} is deactivated and signed out everywhere.",
    ),
    "reactivate": (
        lambda by, pk: services.set_active(by=by, person_id=pk, active=True),
        "{name} can sign in again.",
    ),
}


@login_required
@require_POST
def person_action(request: HttpRequest, person_id: int, action: str) -> HttpResponse:
    """A button on a person's page; a refusal of its service is shown at the top of the page."""
    write, done = PERSON_ACTIONS[action]
    try:
        person = write(request.user, person_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(name=person.display_name))
    return redirect("people:person", person_id)


# ---------------------------------------------------------------------------------------------
# Organisations


@login_required
@require_GET
def organisations_list(request: HttpRequest) -> HttpResponse:
    partnership = people_access.administered_by(request.user)
    organisations = people_access.organisations_of(partnership)
    return _section_page(request, "people/organisations.html", "organisations", organisations=organisations)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    form, organisation = _administrators_form(request, OrganisationForm, services.add_organisation, scoped=False)
    if organisation:
        messages.success(request, f"{organisation.name} added.")
        return redirect("people:organisations")
    return _organisation_form_page(request, form, "Add an organisation", "Add organisation")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    found = people_access.organisation_for_administration(request.user, organisation_id)
    initial = {"name": found.name, "short_name": found.short_name, "kind": found.kind}
    form, organisation = _administrators_form(
        request, OrganisationForm, services.change_organisation, scoped=False, initial=initial, organisation_id=found.pk
    )
    if organisation:
        messages.success(request, f"{organisation.name}: saved.")
        return redirect("people:organisations")
    return _organisation_form_page(request, form, f"Change {found.name}", "Save organisation")


def _organisation_form_page(request: HttpRequest, form: OrganisationForm, title: str, submit: str) -> HttpResponse:
    return form_page(
        request,
        "form_page.html",
        form,
        back_url=reverse("people:organisations"),
        back_label="Back to organisations",
        page_title=title,
        caption="The partnership's organisations",
        submit=submit,
    )


# ---------------------------------------------------------------------------------------------
# API keys


@login_required
@require_GET
def api_keys_list(request: HttpRequest) -> HttpResponse:
    partnership = people_access.administered_by(request.user)
    keys = people_access.api_keys_of(partnership)
    return _section_page(request, "people/api_keys.html", "api_keys", keys=keys, today=timezone.localdate())


@login_required
@require_http_methods(["GET", "POST"])
def api_key_new(request: HttpRequest) -> HttpResponse:
    form, made = _administrators_form(request, ApiKeyForm, services.make_api_key)
    if made:
        api_key, secret = made
        # Shown once, on the next page, and then gone from the session too.
        request.session[NEW_KEY_SESSION] = {"id": api_key.pk, "secret": secret}
        return redirect("people:api_key_made", api_key.pk)
    return form_page(
        request,
        "people/api_key_form.html",
        form,
        back_url=reverse("people:api_keys"),
        back_label="Back to API keys",
    )


@login_required
@require_GET
def api_key_made(request: HttpRequest, key_id: int) -> HttpResponse:
    api_key = people_access.api_key_for_administration(request.user, key_id)
    made = request.session.pop(NEW_KEY_SESSION, None)
    if not made or made.get("id") != api_key.pk:
        raise Http404("The key is shown only once, straight after it is made.")
    return render(
        request, "people/api_key_made.html", {"section": "api_keys", "api_key": api_key, "secret": made["secret"]}
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    api_key = people_access.api_key_for_administration(request.user, key_id)
    if request.method == "POST":
        services.revoke_api_key(by=request.user, key_id=api_key.pk)
        messages.success(request, f"The key “{api_key.name}” is revoked: it no longer works.")
        return redirect("people:api_keys")
    return render(request, "people/api_key_revoke.html", {"section": "api_keys", "api_key": api_key})


# ---------------------------------------------------------------------------------------------
# The invited person's page (no sign-in)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation: opening it changes nothing (mail scanners open links); choosing a
    password here uses it up and signs the person in."""
    try:
        invitation = services.invitation_for(token)
    except services.InvitationNotOpen as closed:
        return render(request, "people/invitation_closed.html", {"reason": str(closed)}, status=410)
    person = invitation.person
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.accept_invitation(token=token, password=form.cleaned_data["new_password1"])
        except services.InvitationNotOpen as closed:
            return render(request, "people/invitation_closed.html", {"reason": str(closed)}, status=410)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, accepted, backend=SIGN_IN_BACKEND)
            messages.success(request, f"Welcome, {accepted.display_name}. Your password is set and you are signed in.")
            return redirect("home")
    return render(
        request,
        "people/accept_invitation.html",
        {"form": form, "person": person, "invitation": invitation},
        status=400 if request.method == "POST" else 200,
    )
