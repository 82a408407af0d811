"""The one form layer (send_tracker/forms.py, templates/includes/field.html): GOV.UK markup for every
kind of field, and a service's errors put on the fields they name."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template import Context, Template
from django.test import RequestFactory

from send_tracker.forms import DateParts, add_service_errors, date_part, saved_redirect


class EveryKindForm(forms.Form):
    title = forms.CharField(label="Title", help_text="A short name.")
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label="Status", choices=[("", "Choose"), ("open", "Open"), ("shut", "Shut")])
    outcome = forms.ChoiceField(label="Outcome", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    links = forms.MultipleChoiceField(
        label="Links", choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple
    )
    agreed = forms.BooleanField(label="Agreed", help_text="Tick when agreed.")
    paper = forms.FileField(label="Paper")
    given_on_day = date_part("day")
    given_on_month = date_part("month")
    given_on_year = date_part("year")

    DATE_INPUTS = {"given_on": ("Date given", "For example, 23 4 2024")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if DateParts.read(self, "given_on", "The date given") is None and not self.has_error("given_on_day"):
            self.add_error("given_on_day", "Enter the date given.")
        return cleaned


def draw(form: forms.Form) -> str:
    return Template('{% load govuk_forms %}{% include "includes/error_summary.html" %}{% fields form %}').render(
        Context({"form": form})
    )


def test_a_field_in_error_has_its_label_hint_and_error_tied_to_the_control():
    form = EveryKindForm(data={})
    assert not form.is_valid()
    html = draw(form)

    title = next(group for group in html.split('<div class="govuk-form-group') if 'for="id_title"' in group)
    assert title.startswith(' govuk-form-group--error">')
    assert '<label class="govuk-label govuk-label--s" for="id_title">Title</label>' in title
    assert '<div id="id_title-hint" class="govuk-hint">A short name.</div>' in title
    assert (
        '<p id="id_title-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>'
        " This field is required.</p>"
    ) in title
    assert 'class="govuk-input govuk-input--error" id="id_title"' in title
    assert 'aria-describedby="id_title-hint id_title-error"' in title
    assert 'class="govuk-textarea govuk-textarea--error" id="id_summary" name="summary" rows="3"' in html
    assert 'class="govuk-select govuk-select--error" id="id_status"' in html
    assert 'class="govuk-file-upload govuk-file-upload--error" id="id_paper"' in html
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="given_on-hint given_on-error">' in html


def test_every_link_of_the_error_summary_lands_on_a_control():
    form = EveryKindForm(data={"given_on_day": "40", "given_on_month": "1", "given_on_year": "2025"})
    assert not form.is_valid()
    html = draw(form)

    targets = re.findall(r'<li><a href="#([^"]+)">', html)
    assert len(targets) == len(form.errors) == 8
    for target in targets:
        assert re.search(rf'<(input|select|textarea) [^>]*id="{target}"', html), target
    # The date's error is said once, for the whole date input.
    assert html.count("The date given must be a real date") == 2  # the summary and the field


def test_what_was_typed_and_chosen_is_shown_again():
    form = EveryKindForm(
        data={"title": "Board <b>", "status": "shut", "outcome": "no", "links": ["2"], "given_on_day": "3"}
    )
    form.is_valid()
    html = draw(form)

    assert 'value="Board &lt;b&gt;"' in html
    assert '<option value="shut" selected>Shut</option>' in html
    assert 'id="outcome-no" name="outcome" type="radio" value="no" checked>' in html
    assert 'id="links-2" name="links" type="checkbox" value="2" checked>' in html
    assert 'name="given_on_day" type="text" inputmode="numeric" value="3"' in html


def test_a_service_error_lands_on_the_field_it_names_or_above_the_form():
    form = EveryKindForm(data={"title": "Board"})
    form.is_valid()
    form.errors.clear()  # as if the form had passed, and the service then refused
    add_service_errors(
        form, ValidationError({"given_on": ["Not before the report."], "title": ["Taken."], "owner": ["No such."]})
    )
    add_service_errors(form, ValidationError("The recommendation is closed."))

    assert form.errors["given_on_day"] == ["Not before the report."]
    assert form.errors["title"] == ["Taken."]
    assert form.non_field_errors() == ["No such.", "The recommendation is closed."]


class NameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=20)


class Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def get_absolute_url(self) -> str:
        return "/named/"


def posted(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/new/", data)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def add_named(*, user: object, owner_id: int, name: str) -> Named:
    if name == "Taken":
        raise ValidationError({"name": "Choose another name."})
    return Named(f"{name} of {owner_id}")


def test_a_saved_form_says_what_was_saved_in_the_words_typed_and_goes_to_it():
    request = posted({"name": "{row} {0} “x”"})
    response = saved_redirect(request, NameForm(request.POST), add_named, "{row.name} added.", owner_id=7)
    assert response is not None and response.status_code == 302 and response["Location"] == "/named/"
    assert [str(message) for message in get_messages(request)] == ["{row} {0} “x” of 7 added."]
    elsewhere = posted({"name": "Ann"})
    response = saved_redirect(
        elsewhere, NameForm(elsewhere.POST), add_named, lambda row: f"{row.name}!", to="/list/#ann", owner_id=1
    )
    assert response is not None and response["Location"] == "/list/#ann"
    assert [str(message) for message in get_messages(elsewhere)] == ["Ann of 1!"]


def test_a_form_not_saved_is_drawn_again_with_the_service_s_error_and_no_message():
    for data in ({"name": "Taken"}, {"name": "x" * 21}):
        request = posted(data)
        form = NameForm(request.POST)
        assert saved_redirect(request, form, add_named, "{row.name} added.", owner_id=7) is None
        assert form.errors["name"] and not list(get_messages(request))
    request = RequestFactory().get("/new/")
    assert saved_redirect(request, NameForm(), add_named, "{row.name} added.", owner_id=7) is None
