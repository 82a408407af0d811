from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from send_tracker.accounts import access
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.accounts.tenancy import PartnershipScopedQuerySet
from send_tracker.history import ChangeActor

from .choices import (
    BRAG_DEFINITIONS,
    FORUM_POSITION_VERBS,
    NOT_YET_RATED,
    ActionStatus,
    Brag,
    DueDateKind,
    ForumPosition,
    PlanKind,
    RetirementReason,
)

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser


class PlanQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class Plan(models.Model):
    """An improvement plan agreed after an inspection: a Priority Action Plan (2023 framework) or
    a Written Statement of Action (2018). It belongs to one local area partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=10, choices=PlanKind.choices, default=PlanKind.PRIORITY_ACTION_PLAN)
    title = models.CharField(max_length=200)
    inspection_report_date = models.DateField(
        null=True, blank=True, help_text="When the inspection report was published."
    )
    approved_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the plan was signed off: the day Ofsted and the CQC confirmed it met the criteria. Its baseline is the plan as it stood at the end of that day.",
    )
    is_current = models.BooleanField(default=True, help_text="The plan the partnership is working to now.")
    is_public = models.BooleanField(
        default=False,
        help_text="Show the plan, its ratings and target dates on the public transparency page.",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["partnership", "-is_current", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="plan_unique_title_in_partnership")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:plan", args=[self.pk])


class PriorityAreaQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__partnership"


class PriorityArea(models.Model):
    """One of the plan's areas for priority action (PAP 1 to 5), as the inspection report set them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priority_areas")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, help_text="A short name, e.g. 'Voice and views'.")
    description = models.TextField(blank=True, help_text="The area for priority action as the report words it.")
    # Optimistic locking, as on Action: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = PriorityAreaQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_area_unique_number")]

    def __str__(self) -> str:
        return f"PAP {self.number}: {self.title}"


class Objective(models.Model):
    """A lettered objective under a priority area (`1`, `2A`, `2B`, ...), with the outcome it seeks."""

    priority_area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=10)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    # Optimistic locking, as on Action: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["priority_area__number", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["priority_area", "code"], name="objective_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class PlanLabel(models.Model):
    """A name the plan tags its actions with (`name`), unique in its `plan`: a theme or a workstream."""

    name: str

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="%(class)s_unique_name")]

    def __str__(self) -> str:
        return self.name


class Theme(PlanLabel):
    """A cross-cutting theme of the transformation programme (e.g. 'Right Plan')."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)


class Workstream(PlanLabel):
    """A project or workstream of the programme that delivers actions (e.g. 'EHCP Improvement')."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="workstreams")
    name = models.CharField(max_length=120)


class AreaForImprovement(models.Model):
    """One of the inspection's Areas for Improvement (AfI 1 to 4), which the plan also addresses."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas_for_improvement")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="afi_unique_number")]

    def __str__(self) -> str:
        return f"AfI {self.number}"


class RoadmapMilestone(models.Model):
    """A milestone of the quarterly transformation roadmap (January 2024 to April 2025)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    quarter_start = models.DateField(help_text="The first day of the roadmap's quarter.")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "quarter_start", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter_start", "text"], name="milestone_unique_text_in_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.quarter_label}: {self.text[:60]}"

    @property
    def quarter_label(self) -> str:
        return self.quarter_start.strftime("%B %Y")


def count_in_each_area(actions: models.QuerySet[Action]) -> Coalesce:
    """For a query of priority areas (`plan.priority_areas.annotate(n=...)`): how many of `actions`
    each area holds, as a subquery, so that a page counts them in the query it already makes (the
    dashboard's actions slipped since sign-off, and those the forum disagrees with)."""
    counted = (
        actions.filter(objective__priority_area=OuterRef("pk"))
        .order_by()
        .values("objective__priority_area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def overdue_condition(today: datetime.date, path: str = "") -> Q:
    """Overdue: past the due date and not yet completed with evidence (Green) or embedded (Blue).
    A retired action is never overdue. `path` reaches the action from another model, e.g.
    "objectives__actions__"."""
    return (
        Q(**{f"{path}due_date__lt": today})
        & ~Q(**{f"{path}brag__in": [Brag.GREEN, Brag.BLUE]})
        & Q(**{f"{path}status": ActionStatus.OPEN})
    )


class ActionQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__partnership"

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.filter(overdue_condition(today))

    def open(self) -> ActionQuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def not_overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.exclude(pk__in=self.overdue(today).values("pk"))

    def with_listing_related(self) -> ActionQuerySet:
        return self.select_related("objective__priority_area", "owner", "plan").prefetch_related(
            "themes", "workstreams"
        )


class Action(models.Model):
    """An action of the plan, with its published reference (`3A1`), target date and BRAG rating.

    The published wording (ref, themes, projects, date) is kept exactly as printed beside its clean
    form, so the tracker can always show what the partnership committed to in public.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    ref = models.CharField(
        max_length=20, help_text="The reference the tracker uses, written without punctuation, e.g. 2B1."
    )
    published_ref = models.CharField(max_length=20, help_text="The reference as published, e.g. 2B:1.")
    description = models.TextField(help_text="What the action will achieve, as published.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    themes_text = models.CharField(max_length=200, blank=True, help_text="The theme as published.")
    workstreams = models.ManyToManyField(Workstream, blank=True, related_name="actions")
    workstreams_text = models.CharField(max_length=200, blank=True, help_text="The project(s) as published.")
    areas_for_improvement = models.ManyToManyField(
        AreaForImprovement,
        blank=True,
        related_name="actions",
        help_text="The inspection's Areas for Improvement this action also addresses.",
    )
    comment = models.TextField(blank=True, help_text="The progress comment as published in the plan.")
    due_date = models.DateField(null=True, blank=True, db_index=True)
    due_date_kind = models.CharField(max_length=10, choices=DueDateKind.choices, default=DueDateKind.NONE)
    due_date_text = models.CharField(max_length=40, blank=True, help_text="The target date as published.")
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_actions"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions"
    )
    lead_officer_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The lead officer as the plan names them, when they have no account here.",
    )
    success_measure = models.TextField(blank=True, help_text="How the partnership will know the action worked.")
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True)
    retired_reason = models.CharField(max_length=20, choices=RetirementReason.choices, blank=True)
    retired_note = models.TextField(blank=True, help_text="Why the action was retired, in the words of who retired it.")
    retired_on = models.DateField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text="The action this one was merged into or superseded by.",
    )
    brag = models.CharField(max_length=10, choices=Brag.choices, null=True, blank=True, db_index=True)
    brag_commentary = models.TextField(blank=True)
    brag_commentary_is_public = models.BooleanField(
        default=False, help_text="The latest commentary may be shown on the public transparency page."
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: a save names the version it was based on, and is refused if another
    # save came first. See actions.services.record_rating_update.
    version = models.PositiveIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at"])

    class Meta:
        ordering = ["plan", "position", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="action_unique_ref_in_plan"),
            models.CheckConstraint(
                condition=Q(brag__isnull=True) | Q(brag__in=[c.value for c in Brag]), name="action_brag_valid"
            ),
        ]
        indexes = [models.Index(fields=["plan", "brag"]), models.Index(fields=["owner", "due_date"])]

    def __str__(self) -> str:
        return f"{self.published_ref} {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    def clean(self) -> None:
        if self.objective_id and self.plan_id and self.objective.priority_area.plan_id != self.plan_id:
            raise ValidationError({"objective": "The objective belongs to another plan."})
        if self.owner is not None and self.plan_id and self.owner.partnership_id != self.plan.partnership_id:
            raise ValidationError({"owner": "The owner must be an organisation of this partnership."})

    @property
    def priority_area(self) -> PriorityArea:
        return self.objective.priority_area

    @property
    def brag_label(self) -> str:
        return Brag(self.brag).label if self.brag else NOT_YET_RATED

    @property
    def brag_definition(self) -> str:
        return BRAG_DEFINITIONS[self.brag] if self.brag else "This action has not been rated yet."

    def is_overdue(self, today: datetime.date) -> bool:
        return bool(
            self.due_date
            and self.due_date < today
            and self.brag not in (Brag.GREEN, Brag.BLUE)
            and self.status == ActionStatus.OPEN
        )

    @property
    def is_retired(self) -> bool:
        return self.status == ActionStatus.RETIRED

    def can_be_edited_by(self, user: AnyUser) -> bool:
        """Whether the user may change what the plan says of the action (administrators)."""
        return access.may_change_in_partnership(user, self.plan.partnership_id)

    def can_be_changed_by(self, user: AnyUser) -> bool:
        return access.may_change_owned_by(user, self.plan.partnership_id, self.owner_id)


def evidence_upload_to(instance: RatingUpdate, filename: str) -> str:
    # The stored name carries no user input beyond the extension, so it cannot traverse paths or
    # collide; the original name is kept in evidence_filename for display.
    import uuid
    from pathlib import Path

    suffix = Path(filename).suffix.lower()[:10]
    return f"evidence/{instance.action.plan.partnership_id}/{uuid.uuid4().hex}{suffix}"


class RatingUpdate(models.Model):
    """One BRAG rating update recorded by an officer: the rating, why, and the evidence for it.

    It carries the action's version number after the update, so the action's timeline can put each
    historical row beside the evidence that came with it.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rating_updates")
    version = models.PositiveIntegerField()
    brag = models.CharField(max_length=10, choices=Brag.choices)
    previous_brag = models.CharField(max_length=10, choices=Brag.choices, null=True, blank=True)
    commentary = models.TextField()
    commentary_is_public = models.BooleanField(default=False)
    evidence_text = models.TextField(blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=300)
    evidence_filename = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True, help_text="Who made it, kept if the user goes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-version"]
        constraints = [models.UniqueConstraint(fields=["action", "version"], name="rating_update_unique_version")]

    def __str__(self) -> str:
        return f"{self.action.published_ref} v{self.version}: {self.get_brag_display()}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_text or self.evidence_link or self.evidence_file)


class ParentCarerViewQuerySet(PartnershipScopedQuerySet):
    partnership_path = "action__plan__partnership"


class ParentCarerView(models.Model):
    """The parent carer forum's view of an action's rating: whether it agrees, partly agrees or
    disagrees, why, and the evidence; and the owning organisation's reply.

    A view is given on the rating the action had then (`on_rating`, rated at `on_rated_at`); when
    the owner rates the action again the view still stands, shown as given on the earlier rating,
    until the forum renews it with a new view. Views are never edited or deleted: each renewal is a
    new row, the action's latest row is its view now, and history keeps every view and reply.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="parent_carer_views")
    position = models.CharField(max_length=20, choices=ForumPosition.choices)
    commentary = models.TextField(blank=True, help_text="Why the forum takes this view; required unless it agrees.")
    evidence_text = models.TextField(blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    is_public = models.BooleanField(
        default=False, help_text="The forum's view may be shown on the public transparency page."
    )
    on_rating = models.CharField(max_length=10, choices=Brag.choices)
    on_rated_at = models.DateTimeField(help_text="When the rating the view was given on was recorded.")
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_by_label = models.CharField(max_length=200, blank=True, help_text="Who gave it, kept if the user goes.")
    reply = models.TextField(blank=True, help_text="The owning organisation's reply to the forum's view.")
    reply_is_public = models.BooleanField(default=False)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_by_label = models.CharField(max_length=200, blank=True)

    objects = ParentCarerViewQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["action", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__in=[c.value for c in ForumPosition]), name="parent_carer_view_position_valid"
            ),
            models.CheckConstraint(
                condition=Q(position=ForumPosition.AGREE) | ~Q(commentary=""),
                name="parent_carer_view_commentary_unless_agreeing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.published_ref}: the forum's view ({self.get_position_display()})"

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.action_id]) + "#parent-carer-view"

    @property
    def position_verb(self) -> str:
        return FORUM_POSITION_VERBS[self.position]

    @property
    def on_rating_label(self) -> str:
        return Brag(self.on_rating).label

    def is_on_current_rating(self, action: Action) -> bool:
        """Whether the view is of the action's rating now: the rating has not changed since (an owner
        confirming it unchanged leaves the view standing)."""
        return action.brag == self.on_rating

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_text or self.evidence_link)
