from __future__ import annotations

from rest_framework import serializers

from kpis.models import EhcpTimeliness, Indicator, IndicatorValue


class IndicatorSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name", allow_null=True, default=None)

    class Meta:
        model = Indicator
        fields = ["id", "name", "definition", "unit", "polarity", "frequency", "source", "owner", "dfe_measure"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "rating",
            "note",
            "is_demo",
            "entered_at",
        ]


class EhcpTimelinessSerializer(serializers.ModelSerializer):
    """The DfE's published figures. These field names are a fixed contract: add, never rename.

    A figure the DfE published as x or z is null.
    """

    class Meta:
        model = EhcpTimeliness
        fields = ["area_code", "area_name", "level", "year", *EhcpTimeliness.FIGURE_FIELDS]
