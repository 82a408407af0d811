from __future__ import annotations

from typing import Any

from rest_framework import serializers

from actions.choices import Brag
from actions.models import Action, Plan, PriorityArea


class PlanSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.name")

    class Meta:
        model = Plan
        fields = ["id", "title", "kind", "partnership", "inspection_report_date", "approved_date", "is_current"]


class PriorityAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriorityArea
        fields = ["id", "plan", "number", "title", "description"]


class ActionSerializer(serializers.ModelSerializer):
    """The action as partners see it. These field names are a fixed contract: add, never rename."""

    ref = serializers.CharField(source="published_ref")
    objective = serializers.CharField(source="description")
    themes = serializers.SerializerMethodField()
    workstreams = serializers.SerializerMethodField()
    brag = serializers.ChoiceField(choices=Brag.choices, allow_null=True)
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "ref",
            "objective",
            "themes",
            "workstreams",
            "due_date",
            "due_date_text",
            "brag",
            "owner",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_themes(self, action: Action) -> list[str]:
        names = getattr(action, "theme_names", None)
        return names if names is not None else [theme.name for theme in action.themes.all()]

    def get_workstreams(self, action: Action) -> list[str]:
        names = getattr(action, "workstream_names", None)
        return names if names is not None else [w.name for w in action.workstreams.all()]

    def get_owner(self, action: Action) -> str | None:
        return action.owner.name if action.owner else None


# Every field of an action but its rating is the server's to set.
SERVER_OWNED = set(ActionSerializer.Meta.fields) - {"brag"}


class ActionRatingSerializer(serializers.Serializer):
    """A partner's rating update: the same rules as the browser's form (actions.services)."""

    brag = serializers.ChoiceField(choices=Brag.choices)
    commentary = serializers.CharField(max_length=5000, allow_blank=False, trim_whitespace=True)
    evidence = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        owned = sorted(unknown & SERVER_OWNED)
        if owned:
            raise serializers.ValidationError(
                {name: ["This field is set by the server and cannot be changed."] for name in owned}
            )
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
        return attrs


class ActionHistorySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    brag = serializers.CharField(allow_null=True)
    commentary = serializers.CharField(source="brag_commentary")
    due_date = serializers.DateField(allow_null=True)
    changed_at = serializers.DateTimeField(source="history_date")
    change = serializers.SerializerMethodField()
    changed_by = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    def get_change(self, record: Any) -> str:
        return {"+": "created", "~": "changed", "-": "deleted"}.get(record.history_type, record.history_type)

    def get_changed_by(self, record: Any) -> str:
        return str(record.actor)

    def get_reason(self, record: Any) -> str | None:
        return record.why or None
