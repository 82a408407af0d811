"""Filters shared by the API's resources."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from rest_framework.exceptions import ValidationError

# The largest value any integer column holds (a 64-bit signed integer, as in SQLite and PostgreSQL).
LARGEST = 2**63 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number that a database column can hold. Anything else (1.5, 1e81, -1e81) is a 400
    that names the limits, never an overflow in the database and a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -LARGEST)
        kwargs.setdefault("max_value", LARGEST)
        super().__init__(*args, **kwargs)


class MomentFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC. Python accepts offsets up to a day; PostgreSQL only up to
    sixteen hours, so the moment is moved to UTC first. One that cannot be (before year 1 in UTC)
    is a 400."""

    def filter(self, qs: Any, value: Any) -> Any:
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                raise ValidationError({self.field_name: "That moment is out of range."}) from None
        return super().filter(qs, value)
