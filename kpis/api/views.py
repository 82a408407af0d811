from __future__ import annotations

import django_filters
from rest_framework import viewsets

from kpis.choices import GeographicLevel
from kpis.models import EhcpTimeliness, Indicator, IndicatorValue
from send_tracker.api.filters import WholeNumberFilter
from send_tracker.api.viewsets import VisibleRowsViewSet

from .serializers import EhcpTimelinessSerializer, IndicatorSerializer, IndicatorValueSerializer


class IndicatorViewSet(VisibleRowsViewSet):
    """The partnership's key performance indicators."""

    model = Indicator
    related = ("owner",)
    serializer_class = IndicatorSerializer


class IndicatorValueFilterSet(django_filters.FilterSet):
    period_from = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "rating", "period_from", "period_to"]


class IndicatorValueViewSet(VisibleRowsViewSet):
    """Each indicator's values by period, rated against the target in force."""

    model = IndicatorValue
    related = ("exception_note",)
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet


class EhcpTimelinessFilterSet(django_filters.FilterSet):
    area_code = django_filters.CharFilter(field_name="area_code", lookup_expr="iexact")
    area_name = django_filters.CharFilter(field_name="area_name", lookup_expr="iexact")
    level = django_filters.ChoiceFilter(choices=GeographicLevel.choices)
    year = WholeNumberFilter()

    class Meta:
        model = EhcpTimeliness
        fields = ["area_code", "area_name", "level", "year"]


class EhcpTimelinessViewSet(viewsets.ReadOnlyModelViewSet):
    """The DfE's published 20-week timeliness of new EHC plans: England, regions and every authority.

    Public reference data: every caller reads all of it.
    """

    lookup_value_regex = r"\d+"

    serializer_class = EhcpTimelinessSerializer
    filterset_class = EhcpTimelinessFilterSet
    queryset = EhcpTimeliness.objects.all()
