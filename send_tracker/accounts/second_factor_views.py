"""An administrator resets a person's second factor (they lost their phone and their recovery codes)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from send_tracker.forms import add_service_errors, form_page

from . import access, services
from .models import User


class ResetSecondFactorForm(forms.Form):
    reason = forms.CharField(
        label="Why are you resetting it?",
        help_text="For example, ‘Lost her phone; identity checked by a call to her manager’. "
        "It is kept in this person's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.REASON_REQUIRED},
    )


def person_for_administrator(user: access.AnyUser, pk: int) -> User:
    """A person in the user's partnership (any person, for an instance administrator); 404 for
    anyone else, an instance administrator included, as in the admin."""
    people = User.objects.select_related("organisation__partnership")
    if not access.sees_all_partnerships(user):
        partnership = access.partnership_of(user)
        if partnership is None:
            raise Http404("No such person.")
        people = people.filter(organisation__partnership=partnership, is_superuser=False)
    found = people.filter(pk=pk).first()
    if found is None:
        raise Http404("No such person.")
    return found


@login_required
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_administrator(request.user, pk)
    access.require(services.may_reset_second_factor(request.user, person), services.RESET_REFUSED)
    form = ResetSecondFactorForm(request.POST or None)
    # A partnership's administrator comes from the person's page in People and keys; an administrator
    # of the whole instance, who has no partnership's pages, from the admin.
    if access.partnership_of(request.user) is not None:
        back_url = reverse("people:person", args=[person.pk])
    else:
        back_url = reverse("admin:accounts_user_change", args=[person.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_second_factor(person, by=request.user, reason=form.cleaned_data["reason"])
        except forms.ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{person.display_name}'s second factor is reset. They set up a new one when they next sign in.",
            )
            return redirect(back_url)
    return form_page(
        request,
        "form_page.html",
        form,
        back_url=back_url,
        back_label="Back to this person",
        page_title=f"Reset {person.display_name}'s second factor",
        caption="People",
        intro="Their authenticator app and recovery codes stop working. When they next sign in with their "
        "password, they set up a new authenticator app.",
        submit="Reset second factor",
    )
