from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from send_tracker.accounts.models import Organisation, User
from send_tracker.forms import DateParts, add_service_errors, date_boxes, text_field
from send_tracker.numbers import LARGEST

from .choices import (  # noqa: F401
    BRAG_DEFINITIONS,
    BRAG_DISPLAY_ORDER,
    EVIDENCE_REQUIRED,
    ActionStatus,
    Brag,
    ForumPosition,
    PlanKind,
    RetirementReason,
)
from .models import Action, Objective, Plan, PriorityArea, Theme, Workstream
from .services import EVIDENCE_EXTENSIONS_TEXT, TEXT_LIMIT, ActionDetails, Evidence, validate_rating_update

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
# The forum's view now, of the rating the action has now (actions.forum.forum_disagreements).
FORUM_FILTER_CHOICES = [
    ("", "Any"),
    *((value, f"{label}s with the rating now") for value, label in ForumPosition.choices),
]


class ActionFilterForm(forms.Form):
    """The action list's filters. Every choice is limited to the reader's plan."""

    priority_area = forms.ModelChoiceField(queryset=PriorityArea.objects.none(), required=False, empty_label="Any")
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="Any")
    workstream = forms.ModelChoiceField(queryset=Workstream.objects.none(), required=False, empty_label="Any")
    rating = forms.ChoiceField(choices=[("", "Any"), *RATING_CHOICES, ("none", "Not yet rated")], required=False)
    overdue = forms.ChoiceField(choices=OVERDUE_CHOICES, required=False)
    owner = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="Any")
    status = forms.ChoiceField(choices=[("", "Any"), *ActionStatus.choices], required=False)
    forum = forms.ChoiceField(label="Parent carer forum's view", choices=FORUM_FILTER_CHOICES, required=False)

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


# ---------------------------------------------------------------------------------------------
# Editing the plan. The forms only collect; actions.services checks and writes.


def _choice(
    label: str, choices: list[tuple[int, str]], *, required: bool, empty: str = "None"
) -> forms.TypedChoiceField:
    """A select of the plan's own rows, by id; an id not offered is refused here."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", empty), *choices] if not required else [("", "Choose one"), *choices],
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={
            "required": f"Choose the {label.lower()}.",
            "invalid_choice": f"Choose the {label.lower()} from the list.",
        },
    )


def _checkboxes(label: str, choices: list[tuple[int, str]], hint: str = "") -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=hint,
        error_messages={"invalid_choice": f"Choose the {label.lower()} from the list."},
    )


def _short(text: str) -> str:
    """An option's label: its first words, cut at a word."""
    return Truncator(text).words(14)


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=LARGEST)


def _reason(hint: str) -> forms.CharField:
    return text_field("Reason for the change", TEXT_LIMIT, rows=4, help_text=hint)


def _people(plan: Plan) -> list[tuple[int, str]]:
    people = User.objects.filter(organisation__partnership_id=plan.partnership_id, is_active=True)
    return [
        (person.pk, f"{person.display_name} ({organisation.short_name or organisation.name})")
        for person in people.select_related("organisation").order_by("first_name", "last_name", "username")
        if (organisation := person.organisation) is not None
    ]


class _LeadOfficerFields(forms.Form):
    """The lead officer: a person with an account here, or the name the plan gives."""

    lead_officer_name = text_field(
        "Or the lead officer's name and post",
        200,
        help_text="When the lead officer has no account here, e.g. 'Head of SEND Assessment'.",
    )
    due_date_day, due_date_month, due_date_year = date_boxes()

    DATE_INPUTS = {"due_date": ("Target date", "For example, 31 3 2025")}

    FIELD_ORDER: list[str] = []

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"] = _choice("Lead officer", _people(plan), required=False, empty="Not named")
        self.fields.update(self.plan_fields(plan))
        self.order_fields(self.FIELD_ORDER)

    def plan_fields(self, plan: Plan) -> dict[str, forms.Field]:
        """The form's choices of the plan's own rows."""
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["due_date"] = DateParts.read(self, "due_date", "The target date")
        return cleaned


class ActionForm(_LeadOfficerFields):
    """An administrator's action: what the plan says of it."""

    published_ref = text_field("Reference", 20, help_text="As the plan publishes it, e.g. 3A4 or 3A:4.")
    description = text_field("What the action will do", TEXT_LIMIT, rows=4)
    success_measure = text_field(
        "Success measure", TEXT_LIMIT, rows=4, help_text="How the partnership will know the action worked. Optional."
    )
    reason = _reason("Needed when the target date changes; history keeps it with your name.")
    version = _version()

    FIELD_ORDER = [
        "objective",
        "published_ref",
        "description",
        "owner",
        "lead_officer",
        "lead_officer_name",
        "due_date_day",
        "due_date_month",
        "due_date_year",
        "success_measure",
        "themes",
        "workstreams",
        "areas_for_improvement",
        "reason",
        "version",
    ]

    def plan_fields(self, plan: Plan) -> dict[str, forms.Field]:
        objectives = Objective.objects.filter(priority_area__plan=plan).select_related("priority_area")
        owners = Organisation.objects.filter(partnership_id=plan.partnership_id)
        return {
            "objective": _choice(
                "Objective", [(o.pk, _short(f"{o.code}: {o.text}")) for o in objectives], required=True
            ),
            "owner": _choice("Owner", [(o.pk, o.name) for o in owners], required=False, empty="Not assigned"),
            "themes": _checkboxes("Themes", [(t.pk, t.name) for t in plan.themes.all()]),
            "workstreams": _checkboxes("Projects or workstreams", [(w.pk, w.name) for w in plan.workstreams.all()]),
            "areas_for_improvement": _checkboxes(
                "Areas for Improvement it addresses",
                [(a.pk, _short(f"AfI {a.number}: {a.text}")) for a in plan.areas_for_improvement.all()],
            ),
        }

    @staticmethod
    def details(data: dict[str, Any]) -> ActionDetails:
        """The action's details from the form's cleaned data."""
        return ActionDetails(
            objective_id=data.get("objective"),
            published_ref=data.get("published_ref") or "",
            description=data.get("description") or "",
            owner_id=data.get("owner"),
            lead_officer_id=data.get("lead_officer"),
            lead_officer_name=data.get("lead_officer_name") or "",
            due_date=data.get("due_date"),
            success_measure=data.get("success_measure") or "",
            theme_ids=tuple(data.get("themes") or ()),
            workstream_ids=tuple(data.get("workstreams") or ()),
            area_for_improvement_ids=tuple(data.get("areas_for_improvement") or ()),
        )

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        due = action.due_date
        return {
            "objective": action.objective_id,
            "published_ref": action.published_ref,
            "description": action.description,
            "owner": action.owner_id,
            "lead_officer": action.lead_officer_id,
            "lead_officer_name": action.lead_officer_name,
            "due_date_day": due.day if due else "",
            "due_date_month": due.month if due else "",
            "due_date_year": due.year if due else "",
            "success_measure": action.success_measure,
            "themes": [t.pk for t in action.themes.all()],
            "workstreams": [w.pk for w in action.workstreams.all()],
            "areas_for_improvement": [a.pk for a in action.areas_for_improvement.all()],
            "version": action.version,
        }


class ReviseActionForm(_LeadOfficerFields):
    """An officer's revision of their action: its target date and lead officer."""

    reason = _reason("Required when the target date changes: why it moves, and who agreed it.")
    version = _version()

    ARGUMENTS = {"lead_officer": "lead_officer_id", "version": "based_on_version"}

    FIELD_ORDER = [
        "due_date_day",
        "due_date_month",
        "due_date_year",
        "reason",
        "lead_officer",
        "lead_officer_name",
        "version",
    ]

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        due = action.due_date
        return {
            "due_date_day": due.day if due else "",
            "due_date_month": due.month if due else "",
            "due_date_year": due.year if due else "",
            "lead_officer": action.lead_officer_id,
            "lead_officer_name": action.lead_officer_name,
            "version": action.version,
        }


class RetireActionForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the action retired?",
        choices=RetirementReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the action is retired.", "invalid_choice": "Choose a reason."},
    )
    note = text_field(
        "Note", TEXT_LIMIT, rows=4, help_text="What the board agreed and when. History keeps it with your name."
    )
    version = _version()

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Action.objects.filter(plan_id=action.plan_id).open().exclude(pk=action.pk).order_by("position", "ref")
        self.fields["merged_into"] = _choice(
            "Action it went into",
            [
                (a.pk, f"{a.published_ref}: {a.description[:80]}")
                for a in others.only("pk", "published_ref", "description")
            ],
            required=False,
        )
        self.fields["merged_into"].help_text = "For an action superseded or merged: the action that takes it over."
        self.order_fields(["reason", "merged_into", "note", "version"])

    ARGUMENTS = {"merged_into": "merged_into_id", "version": "based_on_version"}


class PriorityAreaForm(forms.Form):
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="PAP 1, 2, 3 and so on.",
        error_messages={
            "required": "Enter the area's number.",
            "invalid": "Enter the area's number as a whole number, like 3.",
            "min_value": "Enter a number from 1 to 99.",
            "max_value": "Enter a number from 1 to 99.",
        },
    )
    title = text_field("Short name", 200, help_text="For example, 'Voice and views'.")
    description = text_field("The area for priority action", TEXT_LIMIT, rows=4, help_text="As the report words it.")
    version = _version()

    ARGUMENTS = {"version": "based_on_version"}

    @staticmethod
    def initial_for(area: PriorityArea) -> dict[str, Any]:
        return {"number": area.number, "title": area.title, "description": area.description, "version": area.version}


class ObjectiveForm(forms.Form):
    code = text_field("Code", 10, help_text="For example, 3A.")
    text = text_field("The outcome it seeks", TEXT_LIMIT, rows=4)
    version = _version()

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority_area"] = _choice(
            "Priority area", [(a.pk, str(a)) for a in plan.priority_areas.all()], required=True
        )
        self.order_fields(["priority_area", "code", "text", "version"])

    ARGUMENTS = {"priority_area": "priority_area_id", "version": "based_on_version"}

    @staticmethod
    def initial_for(objective: Objective) -> dict[str, Any]:
        return {
            "priority_area": objective.priority_area_id,
            "code": objective.code,
            "text": objective.text,
            "version": objective.version,
        }
