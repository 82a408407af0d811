"""Forms for the recommendation pages. They only collect and parse: the rules live in the models
and recommendations.services, whose ValidationErrors the views put on these forms' fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from actions.models import Action
from governance.models import Board
from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser
from send_tracker.forms import DateParts, date_boxes, text_field

from .choices import Outcome, Respondent, ResponseRegime, Status
from .models import SCRUTINY_BODY_KINDS, Recommendation, Report
from .services import PASTE_LIMIT, TITLE_LIMIT

OUTCOME_HINTS: dict[str, str] = {
    Outcome.ACCEPTED: "Give the proposed action only if it differs from what was recommended.",
    Outcome.PARTIALLY_ACCEPTED: "Say which part is not accepted and why.",
    Outcome.REJECTED: "Give the reasons. A rejected recommendation has no timescale.",
}


class ResponseForm(forms.Form):
    """The respondent's answer to one recommendation (the scrutiny response pro forma)."""

    outcome = forms.ChoiceField(
        label="Is the recommendation accepted?",
        choices=[("", "Not given"), *Outcome.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select accepted, partially accepted or rejected."},
    )
    proposed_action = text_field("Proposed action", 10000, rows=5, help_text="If different to that recommended.")
    indicative_timescale = text_field(
        "Indicative timescale",
        200,
        help_text="For example, Autumn 2024. Leave blank if the recommendation is rejected.",
    )
    reasons = text_field(
        "Reasons", 10000, rows=5, help_text="Required if the recommendation is rejected or only partially accepted."
    )
    lead_cabinet_members = text_field(
        "Lead Cabinet members",
        2000,
        rows=3,
        help_text="One a line, for example: Cllr Kate Gregory, Cabinet Member for SEND Improvement.",
    )
    given_on_day, given_on_month, given_on_year = date_boxes()
    is_published = forms.BooleanField(
        label="The response has been published",
        required=False,
        help_text="For example, in the agenda of the meeting that received it.",
    )

    DATE_INPUTS = {"given_on": ("Date of the response", "For example, 23 4 2024")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["given_on"] = DateParts.read(self, "given_on", "The date of the response")
        return cleaned

    @staticmethod
    def outcome_options() -> list[dict[str, str]]:
        return [{"value": value, "label": label, "hint": OUTCOME_HINTS[value]} for value, label in Outcome.choices]


class UpdateForm(forms.Form):
    """A report of progress on a recommendation, optionally naming the PAP actions carrying it."""

    reported_on_day, reported_on_month, reported_on_year = date_boxes()
    progress = text_field(
        "Progress",
        10000,
        rows=6,
        help_text="What has been done since the response or the last update, and what is next.",
    )
    implemented = forms.BooleanField(
        label="The recommendation has now been implemented",
        required=False,
        help_text="Tick only when the whole recommendation has been carried out.",
    )
    actions = forms.TypedMultipleChoiceField(
        label="Priority Action Plan actions",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. The plan's actions that carry this work; each action's page will list this recommendation.",
    )

    DATE_INPUTS = {"reported_on": ("Date of the update", "For example, 30 9 2024")}
    ARGUMENTS = {"actions": "action_ids"}

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (str(action.pk), f"{action.published_ref}: {action.description[:120]}")
            for action in Action.objects.filter(
                plan__partnership_id=recommendation.report.partnership_id, plan__is_current=True
            ).order_by("position", "ref")
        ]
        field = cast(forms.MultipleChoiceField, self.fields["actions"])
        field.choices = choices
        field.error_messages["invalid_choice"] = "Choose actions from your partnership's plan."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["reported_on"] = DateParts.read(self, "reported_on", "The date of the update")
        return cleaned


class CloseForm(forms.Form):
    reason = text_field(
        "Why is the recommendation being closed?",
        2000,
        rows=3,
        help_text="For example: implemented and the committee has stopped following it.",
    )


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Report) -> str:
        return f"{obj.committee}: {obj.title}"


OVERDUE_CHOICES = [("", "Any"), ("yes", "Response overdue"), ("no", "Not overdue")]


class TrackerFilterForm(forms.Form):
    """The tracker's filters, submitted by GET so a view can be bookmarked. Every choice is
    limited to what the reader may see."""

    committee = forms.ModelChoiceField(queryset=Board.objects.none(), required=False, empty_label="Any")
    report = ReportChoiceField(queryset=Report.objects.none(), required=False, empty_label="Any")
    status = forms.ChoiceField(choices=[("", "Any"), *Status.choices], required=False)
    respondent = forms.ChoiceField(choices=[("", "Any"), *Respondent.choices], required=False)
    overdue = forms.ChoiceField(choices=OVERDUE_CHOICES, required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reports = Report.objects.visible_to(user).select_related("committee")
        committees = Board.objects.filter(kind__in=SCRUTINY_BODY_KINDS)
        ids = access.partnership_ids_for(user)
        if ids is not None:
            committees = committees.filter(partnership_id__in=ids)
        committee_field = cast(forms.ModelChoiceField, self.fields["committee"])
        committee_field.queryset = committees
        report_field = cast(ReportChoiceField, self.fields["report"])
        report_field.queryset = reports
        for name in ("committee", "report"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            # Read each list once: the template's loop would otherwise COUNT then SELECT.
            field.choices = [choice for choice in field.choices]  # type: ignore[misc,union-attr]


# The regime radios' first choice: the committee's own rule (services.committee_rule).
COMMITTEE_RULE = "committee"
REGIME_CHOICES: list[tuple[str, str]] = [(COMMITTEE_RULE, "The committee's usual rule"), *ResponseRegime.choices]


class ReportForm(forms.Form):
    """A scrutiny report as an administrator enters it: the committee, title and dates, and the
    recommendations pasted as a numbered list. The check page shows them split before any is saved."""

    title = forms.CharField(
        label="Title of the report", max_length=TITLE_LIMIT, error_messages={"required": "Enter the report's title."}
    )
    meeting_date_day, meeting_date_month, meeting_date_year = date_boxes()
    received_on_day, received_on_month, received_on_year = date_boxes()
    regime = forms.ChoiceField(
        label="The law that asks for the response",
        choices=REGIME_CHOICES,
        initial=COMMITTEE_RULE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the law under which the response is required.",
            "invalid_choice": "Choose the law under which the response is required.",
        },
    )
    recommendations = forms.CharField(
        label="The recommendations",
        max_length=PASTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste them as published, each starting with its number (1. or 1) or (1) or R1), or as bullets. "
        "Lines that carry on a recommendation are joined to it. You can check them before anything is saved.",
        error_messages={"required": "Paste the report's recommendations, each starting with its number."},
    )

    DATE_INPUTS = {
        "meeting_date": ("Date the committee agreed the report", "For example, 21 9 2023"),
        "received_on": (
            "Date the response was requested",
            "The statutory clock starts from this date. For example, 17 10 2023",
        ),
    }
    # The form's fields are services.read_report's and enter_report's arguments.
    ARGUMENTS = {"committee": "committee_id", "recommendations": "pasted"}
    REGIME_HINTS = {
        COMMITTEE_RULE: "As the committee's earlier reports; for a new committee, 28 days if it is a health "
        "scrutiny committee, else two months.",
        ResponseRegime.HEALTH_SCRUTINY: "Health and Social Care Act 2012; Health Scrutiny Regulations 2013.",
        ResponseRegime.OVERVIEW_AND_SCRUTINY: "Local Government Act 2000, section 9FE.",
        ResponseRegime.NONE: "No response date is tracked.",
    }

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = Board.objects.filter(partnership_id=partnership_id, kind__in=SCRUTINY_BODY_KINDS).order_by("name")
        self.fields["committee"] = forms.TypedChoiceField(
            label="Committee",
            choices=[("", "Choose the committee"), *[(b.pk, b.full_name) for b in committees]],
            coerce=int,
            empty_value=None,
            error_messages={
                "required": "Choose the scrutiny committee that made the report.",
                "invalid_choice": "Choose the scrutiny committee that made the report.",
            },
        )
        self.order_fields(["committee"])

    def regime_options(self) -> list[dict[str, str]]:
        return [{"value": value, "label": label, "hint": self.REGIME_HINTS[value]} for value, label in REGIME_CHOICES]

    def clean_regime(self) -> str | None:
        """None for the committee's usual rule, which the service works out."""
        regime: str = self.cleaned_data["regime"]
        return None if regime == COMMITTEE_RULE else regime

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["meeting_date"] = DateParts.read(self, "meeting_date", "The date the committee agreed the report")
        cleaned["received_on"] = DateParts.read(self, "received_on", "The date the response was requested")
        return cleaned
