from __future__ import annotations

from rest_framework import serializers

from kpis.models import EhcpTimeliness, ExceptionNote, Indicator, IndicatorValue


class IndicatorSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name", allow_null=True, default=None)

    class Meta:
        model = Indicator
        fields = ["id", "name", "definition", "unit", "polarity", "frequency", "source", "owner", "dfe_measure"]


class ExceptionNoteSerializer(serializers.ModelSerializer):
    """The owner's account of a figure that missed its target beyond tolerance."""

    why_missed = serializers.CharField(source="reason")
    what_is_being_done = serializers.CharField(source="action")
    back_on_target_by = serializers.DateField(source="recovery_date")
    given_by = serializers.CharField(source="given_by_label")

    class Meta:
        model = ExceptionNote
        fields = ["why_missed", "what_is_being_done", "back_on_target_by", "given_by", "given_at"]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    # null while none has been given (and for a figure that did not miss its target).
    exception_note = ExceptionNoteSerializer(source="note_for_exception", read_only=True, allow_null=True)

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
            "exception_note",
        ]


class EhcpTimelinessSerializer(serializers.ModelSerializer):
    """The DfE's published figures. These field names are a fixed contract: add, never rename.

    A figure the DfE published as x or z is null.
    """

    class Meta:
        model = EhcpTimeliness
        fields = ["area_code", "area_name", "level", "year", *EhcpTimeliness.FIGURE_FIELDS]
