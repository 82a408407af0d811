from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.db.models import CharField, QuerySet, Value
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from actions import access
from actions.filtersets import ActionFilterSet
from actions.models import Action, Plan, PriorityArea
from actions.services import Evidence, StaleEditError, record_rating_update
from send_tracker.api.pagination import StableCursorPagination

from .serializers import (
    ActionHistorySerializer,
    ActionRatingSerializer,
    ActionSerializer,
    PlanSerializer,
    PriorityAreaSerializer,
)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = "Send If-Match with the ETag from GET on this action, so that no one else's update is lost."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "The action has changed since you read it. GET it again, check the change, then retry."


def etag_for(action: Action) -> str:
    return f'"action-{action.pk}-v{action.version}"'


def version_from_if_match(header: str | None, action_id: int) -> int:
    if not header or header.strip() == "*":
        raise PreconditionRequired()
    match = re.fullmatch(rf'(?:W/)?"action-{action_id}-v(\d+)"', header.strip())
    if not match:
        raise PreconditionFailed("If-Match does not match this action's ETag.")
    return int(match.group(1))


class HistoryPagination(StableCursorPagination):
    ordering = "-history_id"


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The partnership's plans: the Priority Action Plan and any earlier Written Statement of Action."""

    lookup_value_regex = r"\d+"

    serializer_class = PlanSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        return Plan.objects.visible_to(self.request.user).select_related("partnership")


class PriorityAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's areas for priority action (PAP 1 to 5)."""

    lookup_value_regex = r"\d+"

    serializer_class = PriorityAreaSerializer
    filterset_fields = ["plan", "number"]

    def get_queryset(self) -> QuerySet[PriorityArea]:
        return PriorityArea.objects.visible_to(self.request.user)


def names_for(action_ids: list[int]) -> dict[tuple[int, str], list[str]]:
    """Themes and workstreams for a page of actions in one query, not one per kind."""
    through_themes = Action.themes.through.objects.filter(action_id__in=action_ids).annotate(
        kind=Value("theme", output_field=CharField())
    )
    through_workstreams = Action.workstreams.through.objects.filter(action_id__in=action_ids).annotate(
        kind=Value("workstream", output_field=CharField())
    )
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    rows = through_themes.values_list("action_id", "kind", "theme__name").union(  # type: ignore[misc]
        through_workstreams.values_list("action_id", "kind", "workstream__name"),  # type: ignore[misc]
        all=True,
    )
    for action_id, kind, name in sorted(rows, key=lambda row: row[2]):
        names[(action_id, kind)].append(name)
    return names


# The list reads plain rows rather than model instances: the same fields as ActionSerializer,
# at a fraction of the cost for a 500-row page. test_actions_api pins the two to one shape.
LIST_COLUMNS = (
    "id",
    "published_ref",
    "description",
    "due_date",
    "due_date_text",
    "brag",
    "owner__name",
    "version",
    "updated_at",
)


def list_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = names_for([row["id"] for row in rows])
    return [
        {
            "id": row["id"],
            "ref": row["published_ref"],
            "objective": row["description"],
            "themes": names[(row["id"], "theme")],
            "workstreams": names[(row["id"], "workstream")],
            "due_date": row["due_date"].isoformat() if row["due_date"] else None,
            "due_date_text": row["due_date_text"],
            "brag": row["brag"],
            "owner": row["owner__name"],
            "version": row["version"],
            "updated_at": _iso(row["updated_at"]),
        }
        for row in rows
    ]


_DATETIME = serializers.DateTimeField()


def _iso(moment: Any) -> str:
    # DRF's own format for a DateTimeField, so the list and the detail agree to the character.
    return _DATETIME.to_representation(moment)


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The plan's actions with their BRAG ratings. PATCH updates a rating, under If-Match."""

    lookup_value_regex = r"\d+"

    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.visible_to(self.request.user).select_related("owner")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset()).values(*LIST_COLUMNS)
        page = self.paginate_queryset(queryset)
        rows = list_rows(list(page if page is not None else queryset.order_by("id")))
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.get_object()
        response = Response(self.get_serializer(action).data)
        response["ETag"] = etag_for(action)
        return response

    @extend_schema(
        request=ActionRatingSerializer,
        responses={
            200: ActionSerializer,
            400: OpenApiResponse(description="Invalid rating, commentary or evidence"),
            403: OpenApiResponse(description="The key's organisation does not own the action, or it is read only"),
            412: OpenApiResponse(description="The ETag is stale"),
            428: OpenApiResponse(description="If-Match is missing"),
        },
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = access.action_for_change(request.user, int(kwargs["pk"]))
        based_on = version_from_if_match(request.headers.get("If-Match"), action.pk)
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
        rating = ActionRatingSerializer(data=request.data)
        rating.is_valid(raise_exception=True)
        if based_on != action.version:
            raise PreconditionFailed()
        try:
            record_rating_update(
                action_id=action.pk,
                user=request.user,
                brag=rating.validated_data["brag"],
                commentary=rating.validated_data["commentary"],
                based_on_version=based_on,
                evidence=Evidence(text=rating.validated_data.get("evidence", "")),
            )
        except StaleEditError as exc:
            raise PreconditionFailed() from exc
        action = Action.objects.select_related("owner").get(pk=action.pk)
        response = Response(ActionSerializer(action).data)
        response["ETag"] = etag_for(action)
        return response

    @extend_schema(responses=ActionHistorySerializer(many=True))
    @route(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        action = self.get_object()
        records = action.history.select_related("history_user").order_by("-history_date", "-history_id")
        paginator = HistoryPagination()
        page = paginator.paginate_queryset(records, request, view=self)
        serializer = ActionHistorySerializer(page if page is not None else records, many=True)
        return paginator.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)
