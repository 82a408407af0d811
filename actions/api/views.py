from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.request import Request
from rest_framework.response import Response

from actions import access
from actions.baseline import due_date_slips
from actions.filtersets import ActionFilterSet
from actions.models import Action, Plan, PriorityArea
from actions.services import Evidence, StaleEditError, record_rating_update, revise_action
from send_tracker.accounts.access import partnership_ids_for
from send_tracker.api.filters import filters_named
from send_tracker.api.pagination import StableCursorPagination
from send_tracker.api.viewsets import VisibleRowsViewSet

from .rows import ActionRows
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


class PlanViewSet(VisibleRowsViewSet):
    """The partnership's plans: the Priority Action Plan and any earlier Written Statement of Action."""

    model = Plan
    related = ("partnership",)
    serializer_class = PlanSerializer


class PriorityAreaViewSet(VisibleRowsViewSet):
    """The plan's areas for priority action (PAP 1 to 5)."""

    model = PriorityArea
    serializer_class = PriorityAreaSerializer
    filterset_fields = ["plan", "number"]


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The plan's actions with their BRAG ratings. PATCH updates a rating or the target date (with
    a reason), under If-Match."""

    lookup_value_regex = r"\d+"

    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.visible_to(self.request.user).select_related("owner", "lead_officer", "plan")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # One statement a page (actions.api.rows); django-filter's queryset joins it only when a
        # filter is asked for, since building one costs more than the page itself.
        matching = self.filter_queryset(self.get_queryset()) if filters_named(request, self.filterset_class) else None
        rows = ActionRows(partnership_ids_for(request.user), matching)
        page: list[dict[str, Any]] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(page) if page is not None else Response(list(rows.order_by("id")))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(
        request=ActionRatingSerializer,
        responses={
            200: ActionSerializer,
            400: OpenApiResponse(
                description="Invalid rating, commentary or evidence; or a changed due_date without a reason"
            ),
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
        data = rating.validated_data
        try:
            with transaction.atomic():  # a new date and a rating are written together, or neither
                if "due_date" in data:
                    based_on = revise_action(
                        action_id=action.pk,
                        user=request.user,
                        due_date=data["due_date"],
                        based_on_version=based_on,
                        reason=data.get("reason", ""),
                    ).version
                if "brag" in data:
                    record_rating_update(
                        action_id=action.pk,
                        user=request.user,
                        brag=data["brag"],
                        commentary=data["commentary"],
                        based_on_version=based_on,
                        evidence=Evidence(text=data.get("evidence", "")),
                    )
        except StaleEditError as exc:
            raise PreconditionFailed() from exc
        return self._answer(Action.objects.select_related("owner", "lead_officer", "plan").get(pk=action.pk))

    def _answer(self, action: Action) -> Response:
        """The action with its ETag, and its figures against the plan's signed-off baseline."""
        response = Response(ActionSerializer(action, context={"slips": due_date_slips(action.plan)}).data)
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
