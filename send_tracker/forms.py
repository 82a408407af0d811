"""Form pieces every app uses. The GOV.UK date input (templates/includes/date_input.html) is three
boxes, day, month and year, read into one date with a message that names what is missing. Each box
takes what people type: "3" or "03" for a day or a month, "2025" or "25" for a year."""

from __future__ import annotations

import datetime

from django import forms


def date_part(part: str) -> forms.CharField:
    """One box of the GOV.UK date input (day, month or year)."""
    return forms.CharField(label=part.capitalize(), required=False, max_length=4 if part == "year" else 2)


class DateParts:
    """The GOV.UK date input: a date entered as day, month and year, read into one date."""

    @staticmethod
    def read(form: forms.Form, name: str, what: str) -> datetime.date | None:
        data = form.cleaned_data
        parts = {part: str(data.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")}
        if not any(parts.values()):
            return None
        missing = [part for part, value in parts.items() if not value]
        if missing:
            form.add_error(f"{name}_{missing[0]}", f"{what} must include a {' and '.join(missing)}.")
            return None
        if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) not in (2, 4):
            form.add_error(f"{name}_day", f"{what} must be a real date, like 23 4 2024.")
            return None
        # People write "25" for 2025, as on paper; the tracker's dates are all this century.
        year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)
        try:
            return datetime.date(year, int(parts["month"]), int(parts["day"]))
        except ValueError:
            form.add_error(f"{name}_day", f"{what} must be a real date, like 23 4 2024.")
            return None
