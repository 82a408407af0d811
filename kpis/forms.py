"""Forms for the KPI pages. They only collect: the rules live in kpis.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from send_tracker.accounts.models import Organisation
from send_tracker.forms import DateParts, add_service_errors, date_boxes, text_field

from .benchmark import MAX_COMPARATORS, Authority
from .choices import DfeMeasure, Frequency, Polarity, Unit
from .models import Indicator
from .periods import PERIOD_HINTS
from .services import (
    DEFINITION_MAX_LENGTH,
    EXCEPTION_TEXT_MAX_LENGTH,
    MAX_UPLOAD_BYTES,
    NOTE_MAX_LENGTH,
    ValueEntry,
    read_value_entry,
)


class ValueForm(forms.Form):
    """One period's figure for an indicator."""

    period = forms.CharField(label="Period", max_length=40, error_messages={"required": "Enter the period."})
    value = forms.CharField(label="Value", max_length=40, required=False)
    numerator = forms.CharField(label="Numerator", max_length=40, required=False)
    denominator = forms.CharField(label="Denominator", max_length=40, required=False)
    note = text_field("Note", NOTE_MAX_LENGTH, rows=3)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.entry: ValueEntry | None = None
        self.fields["period"].help_text = PERIOD_HINTS[indicator.frequency] + "."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            # The fields are the service's: period, value, numerator, denominator, note.
            self.entry = read_value_entry(self.indicator, **cleaned)
        except ValidationError as exc:
            add_service_errors(self, exc)
        return cleaned


class ExceptionNoteForm(forms.Form):
    """The owner's exception note on a figure that missed its target: its fields are
    services.give_exception_note's, the date typed in the three GOV.UK boxes."""

    DATE_INPUTS = {
        "recovery_date": (
            "When should the figure be back on target?",
            "The period you expect it to meet its target again, by a day in it. For example, 31 3 2026",
        )
    }

    # Required, but said so by the service, with the date's problem in the same answer.
    reason = text_field("Why was the target missed?", EXCEPTION_TEXT_MAX_LENGTH, rows=5)
    action = text_field("What is being done about it?", EXCEPTION_TEXT_MAX_LENGTH, rows=5)
    recovery_date_day, recovery_date_month, recovery_date_year = date_boxes()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["recovery_date"] = DateParts.read(self, "recovery_date", "The date it should be back on target")
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file must be smaller than {MAX_UPLOAD_BYTES // 1024} KB.")
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise ValidationError("The file must be a CSV file (ending .csv).")
        return upload


class PartnershipValuesUploadForm(UploadForm):
    """Figures for many indicators at once: a CSV file or an Excel workbook."""

    file = forms.FileField(
        label="CSV file or Excel workbook",
        error_messages={"required": "Choose the file of figures to upload.", "empty": "The file is empty."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.name or "").lower().endswith(".xlsx"):
            if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(f"The file must be smaller than {MAX_UPLOAD_BYTES // 1024} KB.")
            return upload
        return super().clean_file()


class TargetForm(forms.Form):
    first_period = forms.CharField(
        label="First period", max_length=40, error_messages={"required": "Enter the first period."}
    )
    last_period = forms.CharField(
        label="Last period", max_length=40, error_messages={"required": "Enter the last period."}
    )
    value = forms.CharField(label="Target", max_length=40, error_messages={"required": "Enter the target."})
    tolerance = forms.CharField(label="Tolerance", max_length=40, required=False)
    note = text_field("Where the target comes from", NOTE_MAX_LENGTH, rows=3)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        hint = PERIOD_HINTS[indicator.frequency] + "."
        self.fields["first_period"].help_text = hint
        self.fields["last_period"].help_text = "The same as the first period for a target that applies to one period."


def _radios(label: str, choices: type[models.TextChoices], message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices.choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class IndicatorForm(forms.Form):
    """An indicator's details, as an administrator adds or changes them: its fields are
    services.IndicatorDetails's. With `editing`, a reason for the change."""

    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the indicator's name."})
    definition = forms.CharField(
        label="Definition",
        max_length=DEFINITION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is counted, in plain English, as a parent carer would read it.",
        error_messages={"required": "Say what is counted, in plain English."},
    )
    unit = _radios("What the figure counts", Unit, "Choose what the figure counts.")
    polarity = _radios("Which way is better", Polarity, "Choose which way is better.")
    frequency = _radios("How often it is reported", Frequency, "Choose how often it is reported.")
    source = forms.CharField(
        label="Where the figure comes from",
        max_length=300,
        help_text="For example, the case management system.",
        error_messages={"required": "Say where the figure comes from."},
    )
    dfe_measure = forms.ChoiceField(
        label="DfE published measure",
        required=False,
        choices=[("", "None"), *DfeMeasure.choices],
        help_text="To benchmark the indicator against England, the region and other authorities.",
        error_messages={"invalid_choice": "Choose a DfE measure from the list, or none."},
    )
    is_public = forms.BooleanField(label="Show its figures on the public transparency page", required=False)

    def __init__(self, *args: Any, partnership_id: int, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnership_id=partnership_id).order_by("name")
        self.fields["owner_id"] = forms.TypedChoiceField(
            label="Owner",
            choices=[("", "Not assigned"), *[(o.pk, o.name) for o in organisations]],
            coerce=int,
            empty_value=None,
            required=False,
            help_text="The partner organisation that answers for it; its officers enter the values.",
            error_messages={"invalid_choice": "Choose the owner from the list."},
        )
        if editing:
            self.fields["reason"] = forms.CharField(
                label="Why the change",
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Optional. Kept in the indicator's history beside what changed.",
            )
        self.order_fields(["name", "definition", "unit", "polarity", "frequency", "source", "owner_id"])


class BenchmarkForm(forms.Form):
    """The benchmarking page's choices. Submitted by GET, so a view can be bookmarked and shared.

    Any ONS code an authority has had in the published figures is accepted; the page lists each
    authority once, under its latest code.
    """

    measure = forms.ChoiceField(
        label="Measure",
        choices=DfeMeasure.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a measure from the list."},
    )
    area = forms.ChoiceField(label="Local authority", required=False)
    compare = forms.MultipleChoiceField(
        label="Compare with",
        required=False,
        help_text="Up to three other authorities. England and the authority's region are always shown.",
    )

    def __init__(self, *args: Any, authorities: list[Authority], codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authorities = authorities
        choices = [(code, code) for code in codes]
        unknown = (
            "There are no published figures for a local authority with the code “%(value)s”. Choose one from the list."
        )
        area = cast(forms.ChoiceField, self.fields["area"])
        area.choices = [("", "Choose a local authority"), *choices]
        area.error_messages["invalid_choice"] = unknown
        compare = cast(forms.MultipleChoiceField, self.fields["compare"])
        compare.choices = choices
        compare.error_messages["invalid_choice"] = unknown

    def clean_measure(self) -> str:
        # The DfE's headline measure unless another is chosen.
        return self.cleaned_data.get("measure") or DfeMeasure.PC_WITHIN_20_WEEKS_EX

    def clean_compare(self) -> list[str]:
        chosen = list(dict.fromkeys(self.cleaned_data.get("compare") or []))
        if len(chosen) > MAX_COMPARATORS:
            raise ValidationError(f"Choose up to {MAX_COMPARATORS} authorities to compare with.")
        return chosen
