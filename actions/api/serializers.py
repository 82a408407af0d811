from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.baseline import NO_SLIP, Slip, due_date_slips
from actions.choices import ActionStatus, Brag, ForumPosition
from actions.forum import current_view
from actions.models import Action, Plan, PriorityArea

from .rows import forum_view_fields


class PlanSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.name")

    class Meta:
        model = Plan
        fields = ["id", "title", "kind", "partnership", "inspection_report_date", "approved_date", "is_current"]


class PriorityAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriorityArea
        fields = ["id", "plan", "number", "title", "description"]


class ParentCarerViewSerializer(serializers.Serializer):
    """The shape of an action's `parent_carer_view`, for the schema."""

    position = serializers.ChoiceField(choices=ForumPosition.choices)
    commentary = serializers.CharField()
    on_rating = serializers.ChoiceField(choices=Brag.choices)
    on_current_rating = serializers.BooleanField()
    given_at = serializers.DateTimeField()
    reply = serializers.CharField(allow_null=True)


class ActionSerializer(serializers.ModelSerializer):
    """The action as partners see it. These field names are a fixed contract: add, never rename."""

    ref = serializers.CharField(source="published_ref")
    objective = serializers.CharField(source="description")
    themes = serializers.SerializerMethodField()
    workstreams = serializers.SerializerMethodField()
    brag = serializers.ChoiceField(choices=Brag.choices, allow_null=True)
    owner = serializers.SerializerMethodField()
    lead_officer = serializers.SerializerMethodField(
        help_text="The lead officer: a person's name, or the name the plan gives; null when none is named."
    )
    status = serializers.ChoiceField(
        choices=ActionStatus.choices, help_text="`retired` for an action no longer pursued; it is never deleted."
    )
    baseline_due_date = serializers.SerializerMethodField(
        help_text="The target date at sign-off (the end of the plan's approved date); null before sign-off, "
        "for an action added after it, or one with no date then."
    )
    due_date_revisions = serializers.SerializerMethodField(
        help_text="How many times the target date changed after sign-off."
    )
    days_slipped = serializers.SerializerMethodField(
        help_text="The target date now minus the baseline one, in days (negative: brought forward); "
        "null when either is missing."
    )
    parent_carer_view = serializers.SerializerMethodField(
        help_text="The parent carer forum's view of the rating, or null when it has given none: its position "
        "(agree, partly_agree or disagree), commentary, the rating it was given on (on_rating) and whether that "
        "is still the action's rating (on_current_rating: false once the rating changes, until the forum "
        "renews its view), when it was given, and the owner's reply (null when none)."
    )

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
            "lead_officer",
            "success_measure",
            "status",
            "baseline_due_date",
            "due_date_revisions",
            "days_slipped",
            "parent_carer_view",
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

    def get_lead_officer(self, action: Action) -> str | None:
        if action.lead_officer is not None:
            return action.lead_officer.display_name
        return action.lead_officer_name or None

    def _slip(self, action: Action) -> Slip:
        """The action against the plan's baseline: the view hands the plan's slips in `slips`."""
        slips = self.context.get("slips")
        if slips is None:
            slips = due_date_slips(action.plan)
        return slips.get(action.pk, NO_SLIP)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_baseline_due_date(self, action: Action) -> str | None:
        baseline = self._slip(action).baseline_due_date
        return baseline.isoformat() if baseline else None

    @extend_schema_field(serializers.IntegerField())
    def get_due_date_revisions(self, action: Action) -> int:
        return self._slip(action).due_date_revisions

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_slipped(self, action: Action) -> int | None:
        return self._slip(action).days_slipped(action.due_date)

    @extend_schema_field(ParentCarerViewSerializer(allow_null=True))
    def get_parent_carer_view(self, action: Action) -> dict[str, Any] | None:
        view = current_view(action)
        if view is None:
            return None
        return forum_view_fields(
            view.position,
            view.commentary,
            view.on_rating,
            view.is_on_current_rating(action),
            view.given_at,
            view.reply,
            timezone.get_current_timezone(),
        )


# Every field of an action but its rating and target date is the server's to set.
SERVER_OWNED = set(ActionSerializer.Meta.fields) - {"brag", "due_date"}


class ActionRatingSerializer(serializers.Serializer):
    """A partner's update: a rating, a new target date, or both. The same rules as the browser's
    forms (actions.services): a rating needs a commentary; a changed target date needs a reason."""

    brag = serializers.ChoiceField(choices=Brag.choices, required=False)
    commentary = serializers.CharField(max_length=5000, required=False, allow_blank=True, trim_whitespace=True)
    evidence = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="A new target date (ISO 8601); null: to be confirmed."
    )
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        help_text="Why the target date changes: required with a changed due_date, kept whole in history.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        owned = sorted(unknown & SERVER_OWNED)
        if owned:
            raise serializers.ValidationError(
                {name: ["This field is set by the server and cannot be changed."] for name in owned}
            )
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
        if "brag" not in attrs and "due_date" not in attrs:
            raise serializers.ValidationError({"brag": ["Send a rating (brag) or a target date (due_date), or both."]})
        if "brag" in attrs and not attrs.get("commentary"):
            raise serializers.ValidationError({"commentary": ["A rating needs a commentary saying why."]})
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
