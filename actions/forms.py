from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from send_tracker.accounts.models import Organisation
from send_tracker.forms import add_service_errors, text_field

from .choices import BRAG_DEFINITIONS, BRAG_DISPLAY_ORDER, EVIDENCE_REQUIRED, Brag, PlanKind  # noqa: F401
from .models import Plan, PriorityArea, Theme, Workstream
from .services import EVIDENCE_EXTENSIONS_TEXT, Evidence, validate_rating_update

RATING_CHOICES = [(value, Brag(value).label) for value in BRAG_DISPLAY_ORDER]


class RatingUpdateForm(forms.Form):
    """An officer's rating update. Its rules live in actions.services; the form only collects."""

    brag = forms.ChoiceField(
        label="New rating",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating.", "invalid_choice": "Select a rating from the list."},
    )
    commentary = text_field(
        "Commentary",
        5000,
        rows=5,
        required=True,
        error_messages={"required": "Enter a commentary saying why the rating is what it is."},
        help_text="Why the action has this rating now: what has happened, what is next. Required.",
    )
    commentary_is_public = forms.BooleanField(
        label="This commentary can be published on the public transparency page",
        required=False,
        help_text="Leave unticked if it names people or gives detail that is not for publication.",
    )
    evidence_text = text_field("Describe the evidence", 5000, rows=4)
    evidence_link = forms.CharField(
        label="Link to the evidence",
        required=False,
        max_length=500,
        widget=forms.URLInput,
        help_text="A full web address, like https://www.oxfordshire.gov.uk/report",
    )
    evidence_file = forms.FileField(label="Upload a file", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        megabytes = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        # A page shown again with its errors cannot keep a chosen file: the browser asks for it anew.
        again = " If you chose a file before, choose it again." if self.is_bound else ""
        self.fields["evidence_file"].help_text = f"{EVIDENCE_EXTENSIONS_TEXT}. Up to {megabytes} MB.{again}"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors.get("brag") or "brag" not in cleaned:
            return cleaned
        evidence = self.evidence()
        try:
            validate_rating_update(str(cleaned.get("brag", "")), str(cleaned.get("commentary", "")), evidence)
        except ValidationError as exc:
            add_service_errors(self, exc)
        return cleaned

    def evidence(self) -> Evidence:
        data = self.cleaned_data
        return Evidence(
            text=str(data.get("evidence_text") or ""),
            link=str(data.get("evidence_link") or ""),
            file=data.get("evidence_file") or None,
        )

    @staticmethod
    def rating_options() -> list[dict[str, str]]:
        """Each rating as a radio, its hint the DfE's definition and the evidence it needs."""
        return [
            {
                "value": value,
                "label": Brag(value).label,
                "hint": BRAG_DEFINITIONS[value]
                + (f". Needs {EVIDENCE_REQUIRED[value]}." if value in EVIDENCE_REQUIRED else ""),
            }
            for value in BRAG_DISPLAY_ORDER
        ]


OVERDUE_CHOICES = [("", "Any"), ("yes", "Overdue"), ("no", "Not overdue")]


class ActionFilterForm(forms.Form):
    """The action list's filters. Every choice is limited to the reader's plan."""

    priority_area = forms.ModelChoiceField(queryset=PriorityArea.objects.none(), required=False, empty_label="Any")
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="Any")
    workstream = forms.ModelChoiceField(queryset=Workstream.objects.none(), required=False, empty_label="Any")
    rating = forms.ChoiceField(choices=[("", "Any"), *RATING_CHOICES, ("none", "Not yet rated")], required=False)
    overdue = forms.ChoiceField(choices=OVERDUE_CHOICES, required=False)
    owner = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="Any")

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["priority_area"].queryset = plan.priority_areas.all()  # type: ignore[attr-defined]
        self.fields["theme"].queryset = plan.themes.all()  # type: ignore[attr-defined]
        self.fields["workstream"].queryset = plan.workstreams.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnership_id=plan.partnership_id
        )
        # Read each list of options once: the template's loop would otherwise COUNT then SELECT.
        for name in ("priority_area", "theme", "workstream", "owner"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.choices = [choice for choice in field.choices]  # type: ignore[misc,union-attr]  # list() would COUNT first
