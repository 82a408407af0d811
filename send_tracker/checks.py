"""Checks every service makes of the text it is given, with the messages a person reads."""

from __future__ import annotations


def checked_text(errors: dict[str, str], field: str, value: str, limit: int, missing: str = "") -> str:
    """`value` trimmed; an error on `field` when it is missing (if `missing` says how) or longer than
    `limit`."""
    value = (value or "").strip()
    if not value and missing:
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = f"Keep it to {limit} characters or fewer (it has {len(value)})."
    return value
