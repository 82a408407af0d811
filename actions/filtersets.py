from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from send_tracker.api.filters import MomentFilter, WholeNumberFilter
from send_tracker.numbers import whole_number

from .choices import Brag
from .models import Action, overdue_condition


class ActionFilterSet(django_filters.FilterSet):
    """The partner API's action filters. `brag=none` selects actions not yet rated."""

    ref = django_filters.CharFilter(method="filter_ref", help_text="The ref as published (2B:1) or canonical (2B1).")
    brag = django_filters.ChoiceFilter(
        choices=[*Brag.choices, ("none", "Not yet rated")], method="filter_brag", help_text="A rating, or 'none'."
    )
    priority_area = WholeNumberFilter(field_name="objective__priority_area__number", help_text="1 to 5.")
    owner = django_filters.CharFilter(
        method="filter_owner", help_text="The owner organisation's id, name or short name."
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="true or false.")
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Action
        fields = ["ref", "brag", "priority_area", "owner", "overdue", "updated_since"]

    def filter_ref(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        cleaned = value.replace(":", "").replace(" ", "")
        return queryset.filter(Q(ref__iexact=cleaned) | Q(published_ref__iexact=value.strip()))

    def filter_brag(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return queryset.filter(brag__isnull=True) if value == "none" else queryset.filter(brag=value)

    def filter_owner(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        if (number := whole_number(value)) is not None:
            return queryset.filter(owner_id=number)
        return queryset.filter(Q(owner__name__iexact=value) | Q(owner__short_name__iexact=value))

    def filter_overdue(self, queryset: QuerySet[Action], name: str, value: bool | None) -> QuerySet[Action]:
        if value is None:
            return queryset
        today = timezone.localdate()
        overdue = overdue_condition(today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
