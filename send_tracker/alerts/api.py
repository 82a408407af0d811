"""The partner API's alerts: the caller's own, read only.

An alert is addressed to one person, and nobody, not even an administrator, reads another's
(AlertQuerySet.for_user). An API key acts for an organisation, which is no person, so a key has no
alerts: its list is always empty and every alert is 404 to it. Reading alerts by key would mean
reading the alerts of the organisation's staff, which is reading another's. A signed-in browser
session reads the person's own alerts.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from send_tracker.accounts.models import ApiKey
from send_tracker.api.pagination import StableCursorPagination

from .choices import AlertKind
from .models import Alert

KEY_HAS_NO_ALERTS = (
    "The signed-in person's own alerts, newest first. An API key acts for an organisation, not a "
    "person, and alerts are addressed to people: with a key this list is always empty and every "
    "alert is 404."
)


class AlertSerializer(serializers.Serializer):
    """A message to the caller that something they answer for, lead or follow has a deadline
    coming or passed."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AlertKind.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField(help_text="The item's page in the tracker, as a path.")
    due_date = serializers.DateField(help_text="The deadline the alert is about, in Europe/London.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True, help_text="Null while unread.")


ALERT_COLUMNS = ("id", "kind", "title", "body", "link", "due_date", "created_at", "read_at")


class AlertFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices)
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="true or false.")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", help_text="YYYY-MM-DD, inclusive.")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", help_text="YYYY-MM-DD, inclusive.")

    class Meta:
        model = Alert
        fields = ["kind", "unread", "due_from", "due_to"]


class NewestFirstPagination(StableCursorPagination):
    ordering = "-id"


@extend_schema_view(
    list=extend_schema(description=KEY_HAS_NO_ALERTS),
    retrieve=extend_schema(description="One of the signed-in person's own alerts; 404 with an API key."),
)
class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own alerts. An API key has none (see the module's docstring)."""

    lookup_value_regex = r"\d+"

    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    pagination_class = NewestFirstPagination

    def get_queryset(self) -> QuerySet[Any]:
        if isinstance(self.request.auth, ApiKey):
            return Alert.objects.none()
        return Alert.objects.for_user(self.request.user).values(*ALERT_COLUMNS).order_by("-id")
