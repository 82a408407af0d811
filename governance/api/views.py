"""The partner API's board meetings and risk register: read only, scoped to the caller's partnership."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from rest_framework import viewsets

from governance.choices import MeetingStatus, RiskStatus, RiskTrend
from governance.models import Meeting, Risk
from send_tracker.numbers import whole_number

from .serializers import MEETING_COLUMNS, RISK_COLUMNS, MeetingSerializer, RiskSerializer


def _named(prefix: str, value: str) -> Q:
    """An organisation or board given by id, name or short name."""
    value = value.strip()
    if (number := whole_number(value)) is not None:
        return Q(**{f"{prefix}_id": number})
    return Q(**{f"{prefix}__name__iexact": value}) | Q(**{f"{prefix}__short_name__iexact": value})


class MeetingFilterSet(django_filters.FilterSet):
    board = django_filters.CharFilter(method="filter_board", help_text="The board's id, name or short name.")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="YYYY-MM-DD, inclusive.")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="YYYY-MM-DD, inclusive.")

    class Meta:
        model = Meeting
        fields = ["board", "status", "date_from", "date_to"]

    def filter_board(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(_named("board", value))


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings of the partnership's boards and committees: past, planned, postponed and cancelled."""

    lookup_value_regex = r"\d+"

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return Meeting.objects.visible_to(self.request.user).values(*MEETING_COLUMNS).order_by("id")


class RiskFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices)
    trend = django_filters.ChoiceFilter(choices=RiskTrend.choices)
    owner = django_filters.CharFilter(
        method="filter_owner", help_text="The owner organisation's id, name or short name."
    )
    review_overdue = django_filters.BooleanFilter(
        method="filter_review_overdue", help_text="true: open and past its next review date; false: the rest."
    )

    class Meta:
        model = Risk
        fields = ["status", "trend", "owner", "review_overdue"]

    def filter_owner(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(_named("owner", value))

    def filter_review_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = Q(pk__in=Risk.objects.review_overdue(timezone.localdate()).values("pk"))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class RiskViewSet(viewsets.ReadOnlyModelViewSet):
    """The partnership's SEND risk register, with scores before and after mitigation."""

    lookup_value_regex = r"\d+"

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return (
            Risk.objects.visible_to(self.request.user)
            .annotate(
                score_before=F("likelihood_before") * F("impact_before"),
                score_after=F("likelihood_after") * F("impact_after"),
            )
            .values(*RISK_COLUMNS)
            .order_by("id")
        )
