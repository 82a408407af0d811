"""Forms of the plan's sign-off and of the "Since sign-off" page. They only collect: the rules
live in actions.services.record_sign_off, and the comparison in actions.baseline."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from send_tracker.forms import DateParts, date_boxes, text_field

from .baseline import SinceSignOff
from .services import SIGN_OFF_NOTE_LIMIT


class SignOffForm(forms.Form):
    """When the plan was signed off: the day its baseline is taken."""

    approved_date_day, approved_date_month, approved_date_year = date_boxes()
    note = text_field(
        "Note (optional)",
        SIGN_OFF_NOTE_LIMIT,
        rows=3,
        help_text="What confirmed it, or why the date is being corrected. The plan's history keeps it.",
    )

    DATE_INPUTS = {
        "approved_date": (
            "Date the plan was signed off",
            "The day Ofsted and the CQC confirmed the plan met the criteria. For example, 12 12 2023",
        )
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = DateParts.read(self, "approved_date", "The sign-off date")
        if day is None and not any(self.has_error(f"approved_date_{part}") for part in ("day", "month", "year")):
            self.add_error("approved_date_day", "Enter the date the plan was signed off.")
        cleaned["approved_date"] = day
        return cleaned


def _choice(label: str, what: str) -> forms.TypedChoiceField:
    """An optional choice of one of the plan's own ids; the form gives the choices."""
    article = "an" if what[0] in "aeiou" else "a"
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": f"Choose {article} {what} from the list."},
    )


class SinceSignOffFilterForm(forms.Form):
    """The page's filters (GET): the plan now or at a meeting, a priority area, an owner. Every
    choice is the plan's own, so an id of another partnership is refused like any other."""

    meeting = _choice("Compare at", "meeting")
    priority_area = _choice("Priority area", "priority area")
    owner = _choice("Owner at sign-off or now", "owner")

    def __init__(self, *args: Any, meetings: list[tuple[int, str]], comparison: SinceSignOff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = {row.objective.priority_area for row in comparison.rows}
        self.fields["meeting"].choices = [("", "Now"), *meetings]  # type: ignore[attr-defined]
        self.fields["priority_area"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *((area.pk, f"PAP {area.number}: {area.title}") for area in sorted(areas, key=lambda a: a.number)),
        ]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *sorted(comparison.owners.items(), key=lambda item: item[1]),
        ]

    def chosen(self, name: str) -> int | None:
        """The choice made in a field, if valid: a wrong choice in one field leaves the others."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)


def meeting_label(board: str, day: datetime.date) -> str:
    return f"{board}, {day.day} {day:%B %Y}"
