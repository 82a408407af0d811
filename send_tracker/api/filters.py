"""Filters shared by the API's resources."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

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
