"""The forms of a partnership administrator's pages. They only collect: send_tracker/accounts/services.py
validates and writes, and its field names are theirs."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from send_tracker.forms import DateParts, date_boxes, text_field

from .choices import OrganisationKind, Role
from .models import Organisation, Partnership

LONG_ENOUGH = 1000
ROLE_HINTS = {
    Role.OFFICER: "Rates and updates what their organisation owns.",
    Role.SCRUTINY: "Reads everything in the partnership and changes nothing: a scrutiny councillor.",
    Role.PARTNER: "Reads the partnership's plan and figures and changes nothing.",
    Role.ADMINISTRATOR: "Changes anything in the partnership, and manages its people, organisations and API keys.",
}


def role_options() -> list[dict[str, str]]:
    return [{"value": role.value, "label": role.label, "hint": ROLE_HINTS[role]} for role in Role]


class OrganisationChoice(forms.ModelChoiceField):
    def __init__(self, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(
            queryset=Organisation.objects.filter(partnership=partnership).order_by("name"),
            empty_label="Choose an organisation",
            error_messages={
                "required": "Choose an organisation",
                "invalid_choice": "Choose one of the partnership's organisations",
            },
            **kwargs,
        )

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name

    def clean(self, value: Any) -> int | None:
        # The services take the organisation's id and check it is the partnership's themselves.
        chosen = super().clean(value)
        return chosen.pk if chosen is not None else None


class PersonForm(forms.Form):
    """A person's role and organisation."""

    ARGUMENTS = {"organisation": "organisation_id"}
    organisation = forms.Field()  # set per partnership in __init__
    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoice(partnership, label="Organisation")


class InviteForm(PersonForm):
    # Lengths are the service's to judge (LONG_ENOUGH lets anything pasted reach it), so that its
    # message, not the browser's, is shown.
    email = text_field(
        "Email address",
        LONG_ENOUGH,
        required=True,
        help_text="The invitation goes to this address, which is also their username.",
        error_messages={"required": "Enter an email address"},
    )
    first_name = text_field("First name", LONG_ENOUGH, required=True, error_messages={"required": "Enter first name"})
    last_name = text_field("Last name", LONG_ENOUGH)

    field_order = ["email", "first_name", "last_name", "organisation", "role"]


class OrganisationForm(forms.Form):
    name = text_field(
        "Name",
        LONG_ENOUGH,
        required=True,
        help_text="As the organisation names itself, e.g. Northshire County Council.",
        error_messages={"required": "Enter name"},
    )
    short_name = text_field(
        "Short name", LONG_ENOUGH, help_text="Optional. How the plan and the pages name it, e.g. NCC."
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation it is"},
    )


class ApiKeyForm(forms.Form):
    DATE_INPUTS = {"expires_on": ("Last day the key works", "For example, 31 3 2027")}
    ARGUMENTS = {"organisation": "organisation_id"}

    name = text_field(
        "What the key is for",
        LONG_ENOUGH,
        required=True,
        help_text="For example, ICB Power BI dashboard.",
        error_messages={"required": "Enter what the key is for"},
    )
    organisation = forms.Field()
    can_write = forms.BooleanField(
        label="It may also update the ratings of actions its organisation owns",
        required=False,
        help_text="Leave unticked for a key that only reads.",
    )
    expires_on_day, expires_on_month, expires_on_year = date_boxes()

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoice(
            partnership, label="Organisation", help_text="The key reads, and writes, what this organisation may."
        )
        self.order_fields(["name", "organisation", "can_write"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        expires_on: datetime.date | None = DateParts.read(self, "expires_on", "The last day the key works")
        data["expires_on"] = expires_on
        return data
