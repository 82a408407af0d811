"""The partner API's view of recommendations and responses.

The serializers read plain rows (`QuerySet.values()`), not model instances: a page of 500 costs
one query and no model construction. Each field's `source` is the row's column.
"""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recommendations.choices import DeadlineRule, Outcome, Respondent, Status
from recommendations.models import days_late

# The response's timeliness, the same in a recommendation and in a response.
DUE_ON_RECEIPT_HELP = (
    "The statutory due date as it stood when the response was recorded, kept whatever changes later; "
    "null when no statutory period ran."
)
DAYS_LATE_HELP = (
    "Days after due_on_receipt that the response is dated: 0 when on time; null when either date is missing."
)
RECEIVED_ON_TIME_HELP = "true when dated on or before due_on_receipt; null when either date is missing."


def _on_time(given_on: datetime.date | None, due_on_receipt: datetime.date | None) -> bool | None:
    late = days_late(given_on, due_on_receipt)
    return None if late is None else late == 0


class ResponseSummarySerializer(serializers.Serializer):
    """The respondent's answer as it appears inside a recommendation; null while there is none."""

    outcome = serializers.ChoiceField(choices=Outcome.choices, source="response__outcome")
    proposed_action = serializers.CharField(source="response__proposed_action")
    indicative_timescale = serializers.CharField(source="response__indicative_timescale")
    given_on = serializers.DateField(source="response__given_on", allow_null=True)
    due_on_receipt = serializers.DateField(
        source="response__due_on_receipt",
        allow_null=True,
        help_text=DUE_ON_RECEIPT_HELP,
    )
    days_late = serializers.SerializerMethodField(help_text=DAYS_LATE_HELP)
    received_on_time = serializers.SerializerMethodField(help_text=RECEIVED_ON_TIME_HELP)

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0))
    def get_days_late(self, row: dict[str, Any]) -> int | None:
        return days_late(row["response__given_on"], row["response__due_on_receipt"])

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_received_on_time(self, row: dict[str, Any]) -> bool | None:
        return _on_time(row["response__given_on"], row["response__due_on_receipt"])

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any] | None:  # type: ignore[override]
        if instance["response__outcome"] is None:
            return None
        return super().to_representation(instance)


class RecommendationSerializer(serializers.Serializer):
    """A scrutiny recommendation as partners see it. These field names are a fixed contract: add,
    never rename.

    `response_due` and `deadline_rule` are the statutory clock of the recommendation's report while
    a response is required, kept after it is answered so that the date of the answer can be compared
    with it; null when no response is required or no statutory period runs.
    """

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="The number as published, e.g. '3' or '1b'.")
    text = serializers.CharField()
    report = serializers.CharField(source="report__title", help_text="The title of the report that made it.")
    committee = serializers.CharField(
        source="report__committee__name", help_text="The scrutiny committee that made the report."
    )
    respondent = serializers.ChoiceField(choices=Respondent.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    response_due = serializers.DateField(allow_null=True)
    deadline_rule = serializers.ChoiceField(choices=DeadlineRule.choices, allow_null=True)
    response = ResponseSummarySerializer(source="*", allow_null=True)


RECOMMENDATION_COLUMNS = (
    "id",
    "number",
    "text",
    "report__title",
    "report__committee__name",
    "respondent",
    "status",
    "response_due",
    "deadline_rule",
    "response__outcome",
    "response__proposed_action",
    "response__indicative_timescale",
    "response__given_on",
    "response__due_on_receipt",
)


class ResponseSerializer(serializers.Serializer):
    """The respondent's answer to one recommendation (the scrutiny response pro forma)."""

    id = serializers.IntegerField()
    recommendation = serializers.IntegerField(source="recommendation_id")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    proposed_action = serializers.CharField()
    indicative_timescale = serializers.CharField()
    reasons = serializers.CharField(help_text="Why it is rejected, or which part is not accepted and why.")
    lead_cabinet_members = serializers.SerializerMethodField(help_text="One name a line, as recorded.")
    given_on = serializers.DateField(allow_null=True)
    due_on_receipt = serializers.DateField(
        allow_null=True,
        help_text=DUE_ON_RECEIPT_HELP,
    )
    days_late = serializers.SerializerMethodField(help_text=DAYS_LATE_HELP)
    received_on_time = serializers.SerializerMethodField(help_text=RECEIVED_ON_TIME_HELP)
    is_published = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_lead_cabinet_members(self, row: dict[str, Any]) -> list[str]:
        return [line.strip() for line in row["lead_cabinet_members"].splitlines() if line.strip()]

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0))
    def get_days_late(self, row: dict[str, Any]) -> int | None:
        return days_late(row["given_on"], row["due_on_receipt"])

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_received_on_time(self, row: dict[str, Any]) -> bool | None:
        return _on_time(row["given_on"], row["due_on_receipt"])


RESPONSE_COLUMNS = (
    "id",
    "recommendation_id",
    "outcome",
    "proposed_action",
    "indicative_timescale",
    "reasons",
    "lead_cabinet_members",
    "given_on",
    "due_on_receipt",
    "is_published",
    "recorded_at",
    "updated_at",
)
