"""The partner API's recommendations and responses: read only, scoped to the caller's partnership.

Status is derived in SQL (RecommendationQuerySet.with_status) on the day of the request in
Europe/London, the same rule the tracker pages use, so the API and the pages never disagree.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone
from rest_framework import viewsets

from governance.models import Board
from recommendations.choices import Outcome, Status
from recommendations.models import Recommendation, Response
from send_tracker.api.filters import WholeNumberFilter
from send_tracker.numbers import whole_number

from .serializers import RECOMMENDATION_COLUMNS, RESPONSE_COLUMNS, RecommendationSerializer, ResponseSerializer


class RecommendationFilterSet(django_filters.FilterSet):
    committee = django_filters.CharFilter(
        method="filter_committee",
        help_text=(
            "The committee's id, name or short name. A recommendation made jointly with other committees "
            "is listed under each of them."
        ),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, help_text="Where the recommendation stands.")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="true: owed a response whose statutory period has ended; false: the rest."
    )

    class Meta:
        model = Recommendation
        fields = ["committee", "status", "overdue"]

    def filter_committee(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if (number := whole_number(value)) is not None:
            matches = Q(pk=number)
        else:
            matches = Q(name__iexact=value) | Q(short_name__iexact=value)
        boards = Board.objects.filter(matches)
        # Exists rather than a join through joint_with, so that no recommendation is listed twice.
        joint = Recommendation.joint_with.through.objects.filter(recommendation=OuterRef("pk"), board__in=boards)
        return queryset.filter(Q(report__committee__in=boards) | Exists(joint))

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = Q(status=Status.RESPONSE_OVERDUE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    """Scrutiny committees' recommendations, where each stands, and the respondent's answer.

    `status` is worked out on the day of the request (Europe/London); `response` is null until the
    respondent answers.
    """

    lookup_value_regex = r"\d+"

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        owed = Q(response_required=True, report__response_due_date__isnull=False)
        return (
            Recommendation.objects.visible_to(self.request.user)
            .with_status(timezone.localdate())
            .annotate(
                response_due=Case(When(owed, then=F("report__response_due_date"))),
                deadline_rule=Case(When(owed, then=F("report__response_due_rule"))),
            )
            .values(*RECOMMENDATION_COLUMNS)
            .order_by("id")
        )


class ResponseFilterSet(django_filters.FilterSet):
    # A plain number, not a choice among all recommendations: that would tell an outsider which ids exist.
    recommendation = WholeNumberFilter(field_name="recommendation_id", help_text="The recommendation's id.")
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    given_since = django_filters.DateFilter(field_name="given_on", lookup_expr="gte", help_text="YYYY-MM-DD.")

    class Meta:
        model = Response
        fields = ["recommendation", "outcome", "given_since"]


class ResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """The respondents' answers to recommendations: accepted, partially accepted or rejected."""

    lookup_value_regex = r"\d+"

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        # Scoped through the recommendation's own rule, so the two can never disagree.
        visible = Recommendation.objects.visible_to(self.request.user).values("pk")
        return Response.objects.filter(recommendation__in=visible).values(*RESPONSE_COLUMNS).order_by("id")
