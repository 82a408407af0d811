"""Alerts: what the deadline sweep tells people, whom it tells, and how each is emailed.

An Alert is stored state, never a delayed task: the sweep (send_tracker.alerts.sweep) writes one
row per person per deadline, the unique key makes a second write of the same alert impossible, and
delivery (send_tracker.alerts.delivery) claims rows before it emails them.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from send_tracker.accounts import access

from . import unread
from .choices import AlertKind, Delivery, DeliveryMode

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser


class AlertQuerySet(models.QuerySet["Alert"]):
    def for_user(self, user: AnyUser | None) -> AlertQuerySet:
        """A person's own alerts: nobody, not even an administrator, reads another's; an API key
        and an anonymous visitor have none."""
        someone = access.person(user)
        if someone is None:
            return self.none()
        return self.filter(recipient_id=someone.pk)

    def unread(self) -> AlertQuerySet:
        return self.filter(read_at__isnull=True)

    # The unread counts kept in the cache (send_tracker.alerts.unread) hear of a change to who has
    # an alert or whether it is read from signals; these writes send none, so they tell it here.
    def update(self, **kwargs: Any) -> int:
        if {"read_at", "recipient", "recipient_id"} & kwargs.keys():
            new = kwargs.get("recipient_id", getattr(kwargs.get("recipient"), "pk", None))
            # An expression (bulk_update's CASE) names no one here; bulk_update tells them itself.
            new = new if isinstance(new, int) else None
            unread.changed([*self.order_by().values_list("recipient_id", flat=True).distinct(), new])
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[Alert], *args: Any, **kwargs: Any) -> list[Alert]:
        made = super().bulk_create(objs, *args, **kwargs)
        unread.changed(alert.recipient_id for alert in made)
        return made

    def bulk_update(self, objs: Iterable[Alert], fields: Iterable[str], *args: Any, **kwargs: Any) -> int:
        objs, fields = list(objs), list(fields)
        if {"read_at", "recipient", "recipient_id"} & set(fields):
            stored = self.model._base_manager.filter(pk__in=[alert.pk for alert in objs])
            unread.changed([*stored.values_list("recipient_id", flat=True), *(alert.recipient_id for alert in objs)])
        return super().bulk_update(objs, fields, *args, **kwargs)

    def in_reading_order(self) -> AlertQuerySet:
        """Unread first, then the newest; the due date breaks ties so the list reads like a diary."""
        return self.order_by(models.F("read_at").asc(nulls_first=True), "-created_at", "due_date", "pk")


class Alert(models.Model):
    """A message to one person that something they answer for, lead or follow has a deadline
    coming or passed: a plan action due in 14 days, a scrutiny response overdue under the 28-day
    rule, a board's papers deadline, a KPI figure that missed its target, a risk not reviewed.

    It is shown in the person's alerts list in the tracker and, as they choose for its kind,
    emailed at once or in a daily digest. One alert exists per item, kind, due date and person,
    whatever runs twice; moving the due date raises a new one.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    # No index of its own (the unique key starts with it) and no database constraint: content types
    # are never deleted while their app is installed, and checking the constraint locks the same
    # django_content_type row once per inserted alert, a large part of a big sweep's commit.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    due_date = models.DateField(help_text="The deadline the alert is about, as a date in the UK.")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, help_text="The item's page in the tracker, as a path.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Which sweep wrote the row, for an operator tracing a run; when two sweeps race, each row
    # carries the id of the one whose insert won.
    sweep_id = models.UUIDField(null=True, blank=True, editable=False)

    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "due_date", "recipient"], name="alert_unique_key"
            ),
            models.CheckConstraint(condition=Q(delivery__in=[c.value for c in Delivery]), name="alert_delivery_valid"),
        ]
        indexes = [
            # The delivery claim: WHERE delivery = 'pending' AND next_attempt_at <= now.
            models.Index(fields=["delivery", "next_attempt_at"], name="alert_delivery_claim"),
            # The unread count in the navigation on every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="alert_unread_by_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (to {self.recipient_id})"

    @property
    def kind_label(self) -> str:
        return AlertKind(self.kind).label

    @property
    def delivery_label(self) -> str:
        return Delivery(self.delivery).label

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def days_left(self, today: datetime.date) -> int:
        return (self.due_date - today).days


class FollowQuerySet(models.QuerySet["Follow"]):
    def of(self, subject: models.Model) -> FollowQuerySet:
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class Follow(models.Model):
    """A person asking to be told about an item they neither own nor lead: a councillor following a
    recommendation, an officer following another partner's action, a board's secretary following
    the board (and so its meetings, actions arising and the reports made to it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "subject_type", "subject_id"], name="follow_unique_per_user")
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="follow_by_subject")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.subject_type_id}:{self.subject_id}"


class AlertPreference(models.Model):
    """How one person wants one kind of alert: emailed straight away, in a daily digest, or only
    listed in the tracker. No row means straight away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preferences")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    mode = models.CharField(max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="alert_preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.mode}"


def new_sweep_id() -> uuid.UUID:
    return uuid.uuid4()


class Reminder(models.Model):
    """The weekly reminder to one person of everything overdue that they are told of and that is
    still open: plan actions, scrutiny responses, actions arising and risk reviews, in one email,
    however long each has been overdue. One row per person per week (the Monday that starts the
    ISO week), so a task run twice, or two at once, sends it once; next week's names only what is
    still open then."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    week = models.DateField(help_text="The Monday of the week the reminder is for.")
    # What the email names, as it stood when the reminder was written: kind, title, link, due date.
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-week", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="reminder_once_a_week"),
            models.CheckConstraint(
                condition=Q(delivery__in=[c.value for c in Delivery]), name="reminder_delivery_valid"
            ),
        ]
        indexes = [models.Index(fields=["week", "delivery"], name="reminder_claim")]

    def __str__(self) -> str:
        return f"Reminder for the week of {self.week} (to {self.recipient_id})"
