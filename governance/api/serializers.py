"""The partner API's view of board meetings and the risk register.

The serializers read plain rows (`QuerySet.values()`), not model instances: a page of 500 costs
one query and no model construction. Each field's `source` is the row's column.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from governance.choices import MeetingStatus, RiskLevel, RiskStatus, RiskTrend, risk_level


class MeetingSerializer(serializers.Serializer):
    """A meeting of a board or committee of the partnership."""

    id = serializers.IntegerField()
    board = serializers.CharField(source="board__name", help_text="The board or committee that meets.")
    date = serializers.DateField()
    title = serializers.CharField(help_text="Blank unless the meeting has a theme.")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    papers_deadline = serializers.DateField(allow_null=True, help_text="The last day for papers to reach the clerk.")
    location = serializers.CharField()
    is_demo = serializers.BooleanField(help_text="Demo: invented to show how the tracker works, not a real meeting.")


MEETING_COLUMNS = ("id", "board__name", "date", "title", "status", "papers_deadline", "location", "is_demo")


class RiskLevelField(serializers.Field):
    """A risk's band on the register's 5 by 5 matrix, read from a score (likelihood times impact)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, score: int) -> str:
        return risk_level(score).value


class RiskLevelFieldScheme(OpenApiSerializerFieldExtension):
    """One RiskLevelEnum component for both levels; two ChoiceFields would make two enums."""

    target_class = "governance.api.serializers.RiskLevelField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        component = ResolvedComponent(
            name="RiskLevelEnum",
            type=ResolvedComponent.SCHEMA,
            object="RiskLevelEnum",
            schema={
                "type": "string",
                "enum": RiskLevel.values,
                "description": "The register's band: low 1-4, medium 5-9, high 10-15, very_high 16-25.",
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class RiskSerializer(serializers.Serializer):
    """A risk on the partnership's SEND risk register, scored 1 to 5 for likelihood and impact
    before and after mitigation; a score is their product and its level the register's band."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    cause = serializers.CharField()
    consequence = serializers.CharField()
    owner = serializers.CharField(source="owner__name", allow_null=True, help_text="The owning organisation.")
    owner_role = serializers.CharField(help_text="The post that answers for it.")
    likelihood_before = serializers.IntegerField(min_value=1, max_value=5)
    impact_before = serializers.IntegerField(min_value=1, max_value=5)
    score_before = serializers.IntegerField(min_value=1, max_value=25)
    level_before = RiskLevelField(source="score_before")
    likelihood_after = serializers.IntegerField(min_value=1, max_value=5)
    impact_after = serializers.IntegerField(min_value=1, max_value=5)
    score_after = serializers.IntegerField(min_value=1, max_value=25)
    level_after = RiskLevelField(source="score_after")
    mitigations = serializers.CharField()
    trend = serializers.ChoiceField(choices=RiskTrend.choices)
    status = serializers.ChoiceField(choices=RiskStatus.choices)
    next_review_date = serializers.DateField(allow_null=True)
    review_board = serializers.CharField(source="review_board__name", allow_null=True)
    is_demo_scores = serializers.BooleanField(help_text="Demo scores: invented to show how the tracker works.")
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


RISK_COLUMNS = (
    "id",
    "reference",
    "title",
    "cause",
    "consequence",
    "owner__name",
    "owner_role",
    "likelihood_before",
    "impact_before",
    "score_before",
    "likelihood_after",
    "impact_after",
    "score_after",
    "mitigations",
    "trend",
    "status",
    "next_review_date",
    "review_board__name",
    "is_demo_scores",
    "version",
    "updated_at",
)
