from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action, Plan
from kpis.models import Indicator
from send_tracker.accounts import access
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.accounts.tenancy import PartnershipScopedQuerySet
from send_tracker.history import ChangeActor

from .choices import (
    IMPACT_WORDS,
    LIKELIHOOD_WORDS,
    AgendaPurpose,
    BoardKind,
    EventKind,
    MeetingStatus,
    MemberRole,
    RiskLevel,
    RiskStatus,
    RiskTrend,
    risk_level,
)

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
# An update round opens at most about two months of working days before its meeting.
ROUND_DAYS_LIMIT = 40


def long_date(day: datetime.date) -> str:
    """'9 November 2023', as committee papers write dates (strftime's %-d is not portable)."""
    return f"{day.day} {day:%B %Y}"


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in Europe/London (the project's time zone).

    A meeting reads the plan "as it stood" at the end of its day, so a rating recorded on the
    morning of the meeting is in the pack. Compare with `history_date < end_of_day(day)`.
    """
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


class BoardQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class Board(models.Model):
    """A board or committee that oversees SEND improvement: the improvement and assurance board,
    the partnership delivery group, the cabinet, a scrutiny committee."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    independently_chaired = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True, help_text="Untick for a board that no longer meets.")
    description = models.TextField(blank=True)
    meets = models.CharField(max_length=120, blank=True, help_text="How often it meets, e.g. 'Monthly'.")
    # The board that holds a plan to account runs its update rounds: before each of its meetings
    # the actions' owners re-rate or confirm them (governance.rounds). One board per plan.
    oversees = models.OneToOneField(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overseeing_board",
        verbose_name="plan it oversees",
        help_text="The improvement plan whose actions are updated before each of this board's meetings.",
    )
    update_round_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(ROUND_DAYS_LIMIT)],
        verbose_name="update round opens (working days before each meeting)",
        help_text="How many working days before each meeting the owners are asked to update their actions.",
    )
    history = HistoricalRecords(bases=[ChangeActor])

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="board_unique_name_in_partnership")]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:board", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def clean(self) -> None:
        if self.oversees is not None and self.partnership_id and self.oversees.partnership_id != self.partnership_id:
            raise ValidationError({"oversees": "The plan must belong to this board's partnership."})

    def member_organisation_ids(self) -> set[int]:
        return set(
            self.members.filter(is_active=True, organisation__isnull=False).values_list("organisation_id", flat=True)
        )

    def can_be_changed_by(self, user: AnyUser) -> bool:
        """Administrators, and officers of an organisation with a seat on the board, keep its
        meetings: the secretariat is usually one partner's staff, but any member's officers may
        record what their board decided."""
        if access.may_change_in_partnership(user, self.partnership_id):
            return True
        principal = access.signed_in(user)
        organisation_id = principal.organisation_id if principal is not None else None
        return (
            organisation_id is not None
            and access.may_change_owned_by(user, self.partnership_id, organisation_id)
            and organisation_id in self.member_organisation_ids()
        )


class BoardMember(models.Model):
    """A person with a seat on a board or committee: who they are, the partner organisation they
    come from (or the outside body, for an independent chair or a DfE adviser), and their role on
    it: chair, vice-chair, member or observer."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200, help_text="The person, or the post where the papers name only the post.")
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="board_seats"
    )
    represents = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a member from outside the partnership: the body they come from, e.g. 'Independent'.",
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    is_active = models.BooleanField(default=True, help_text="Untick when the person leaves the board.")
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["board", "name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="board_member_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.board})"

    def clean(self) -> None:
        if (
            self.organisation is not None
            and self.board_id
            and self.organisation.partnership_id != self.board.partnership_id
        ):
            raise ValidationError({"organisation": "The organisation must be a partner of this board's partnership."})

    @property
    def organisation_name(self) -> str:
        if self.organisation is not None:
            return self.organisation.name
        return self.represents or "Not recorded"


class MeetingQuerySet(PartnershipScopedQuerySet):
    partnership_path = "board__partnership"

    def going_ahead(self) -> MeetingQuerySet:
        return self.exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])

    def upcoming(self, today: datetime.date) -> MeetingQuerySet:
        return self.going_ahead().filter(date__gte=today).order_by("date")


class Meeting(models.Model):
    """A meeting of a board or committee: its date, the deadline for papers, whether it went ahead,
    its agenda, decisions and actions arising. The plan and the risk register it considered are
    read from their history "as they stood" at the end of the meeting day."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(db_index=True)
    title = models.CharField(
        max_length=200, blank=True, help_text="Optional, e.g. 'Focused session: post-16 provision'."
    )
    papers_deadline = models.DateField(null=True, blank=True, help_text="The last day for papers to reach the clerk.")
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    location = models.CharField(max_length=200, blank=True)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The plan the meeting reviews. Blank: the partnership's current plan.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Invented to show how the tracker works, not a real meeting; shown as 'Demo'."
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where a real meeting is recorded.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["board", "-date"]
        constraints = [models.UniqueConstraint(fields=["board", "date"], name="meeting_unique_date_per_board")]

    def __str__(self) -> str:
        return f"{self.board} meeting, {long_date(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])

    def clean(self) -> None:
        if self.papers_deadline and self.date and self.papers_deadline > self.date:
            raise ValidationError({"papers_deadline": "The papers deadline must be on or before the meeting date."})
        if self.plan is not None and self.board_id and self.plan.partnership_id != self.board.partnership_id:
            raise ValidationError({"plan": "The plan must belong to this board's partnership."})

    @property
    def as_at(self) -> datetime.datetime:
        return end_of_day(self.date)

    @property
    def date_label(self) -> str:
        return long_date(self.date)

    def reviewed_plan(self) -> Plan | None:
        if self.plan_id:
            return self.plan
        return (
            Plan.objects.filter(partnership_id=self.board.partnership_id)
            .order_by("-is_current", "-approved_date", "pk")
            .first()
        )

    def previous_meeting(self) -> Meeting | None:
        """The board's last meeting before this one that went ahead: what "changed since" compares with."""
        return (
            Meeting.objects.filter(board_id=self.board_id, date__lt=self.date).going_ahead().order_by("-date").first()
        )

    def next_meeting(self) -> Meeting | None:
        return Meeting.objects.filter(board_id=self.board_id, date__gt=self.date).going_ahead().order_by("date").first()

    def can_be_changed_by(self, user: AnyUser) -> bool:
        return self.board.can_be_changed_by(user)


class RiskQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def open(self) -> RiskQuerySet:
        return self.filter(status=RiskStatus.OPEN)

    def review_overdue(self, today: datetime.date) -> RiskQuerySet:
        return self.open().filter(next_review_date__lt=today)


class RiskScores:
    """A risk's scores, likelihood times impact, before and after mitigation, and their levels: the
    same for a risk on the register, a re-score of it, and a risk as it stood at a meeting."""

    likelihood_before: int
    impact_before: int
    likelihood_after: int
    impact_after: int

    @property
    def score_before(self) -> int:
        return self.likelihood_before * self.impact_before

    @property
    def score_after(self) -> int:
        return self.likelihood_after * self.impact_after

    @property
    def level_before(self) -> RiskLevel:
        return risk_level(self.score_before)

    @property
    def level_after(self) -> RiskLevel:
        return risk_level(self.score_after)


class Risk(RiskScores, models.Model):
    """A risk on the partnership's SEND risk register: what might go wrong, its cause and what it
    would mean for children and families; the partner that owns it; how likely and how serious it is
    (1 to 5 each) before and after the mitigations; which way it is moving; and when the board
    next reviews it. Every change is kept, so a board pack shows the register as it stood."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="risks")
    reference = models.CharField(max_length=20, help_text="The register's number, e.g. R3.")
    title = models.CharField(max_length=300, help_text="The risk, in the register's words.")
    cause = models.TextField(blank=True)
    consequence = models.TextField(blank=True)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_risks")
    owner_role = models.CharField(max_length=200, blank=True, help_text="The post that answers for it.")
    likelihood_before = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact_before = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    likelihood_after = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact_after = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    mitigations = models.TextField(blank=True)
    trend = models.CharField(max_length=10, choices=RiskTrend.choices, default=RiskTrend.NEW)
    next_review_date = models.DateField(null=True, blank=True, db_index=True)
    review_board = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks", help_text="Who reviews it."
    )
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks")
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True, help_text="The day the risk was closed.")
    closed_reason = models.TextField(blank=True, help_text="Why the risk was closed, kept whole.")
    is_demo_scores = models.BooleanField(
        default=False, help_text="The scores were invented to show how the tracker works; shown as 'Demo scores'."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the risk was first recorded.")
    # Optimistic locking, as for actions: a re-score names the version it was based on.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["partnership", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="risk_unique_reference"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"risk_{name}_1_to_5"
                )
                for name in ("likelihood_before", "impact_before", "likelihood_after", "impact_after")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("governance:risk", args=[self.pk])

    def clean(self) -> None:
        if self.owner is not None and self.partnership_id and self.owner.partnership_id != self.partnership_id:
            raise ValidationError({"owner": "The owner must be an organisation of this partnership."})

    @property
    def owner_label(self) -> str:
        names = [part for part in (self.owner_role, self.owner.name if self.owner else "") if part]
        return ", ".join(names) or "Not assigned"

    @property
    def is_closed(self) -> bool:
        return self.status == RiskStatus.CLOSED

    def is_review_overdue(self, today: datetime.date) -> bool:
        return bool(self.status == RiskStatus.OPEN and self.next_review_date and self.next_review_date < today)

    def can_be_changed_by(self, user: AnyUser) -> bool:
        return access.may_change_owned_by(user, self.partnership_id, self.owner_id)


def describe_scores(likelihood: int, impact: int) -> str:
    """'Likelihood 4 (Likely) × impact 5 (Severe) = 20, Very high': the words say what the numbers mean."""
    score = likelihood * impact
    return (
        f"Likelihood {likelihood} ({LIKELIHOOD_WORDS[likelihood]}) × impact {impact} ({IMPACT_WORDS[impact]}) "
        f"= {score}, {risk_level(score).label}"
    )


class RiskReview(RiskScores, models.Model):
    """One review of a risk, usually at a board meeting: the scores agreed, the direction of travel
    and why. The register shows the latest scores; this keeps every review beside them."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_reviews")
    reviewed_on = models.DateField()
    likelihood_before = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact_before = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    likelihood_after = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact_after = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    previous_score_after = models.PositiveSmallIntegerField(null=True, blank=True)
    trend = models.CharField(max_length=10, choices=RiskTrend.choices)
    comment = models.TextField()
    reviewed_by_label = models.CharField(max_length=200, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.risk.reference} reviewed {long_date(self.reviewed_on)}"


class AgendaItemQuerySet(PartnershipScopedQuerySet):
    partnership_path = "meeting__board__partnership"


class AgendaItem(models.Model):
    """An item on a meeting's agenda: a report or a discussion, what the board is asked to do with
    it (decide, take assurance, discuss, note), who presents it, and the plan action, risk or KPI it
    concerns."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=AgendaPurpose.choices, default=AgendaPurpose.DISCUSSION)
    presenter = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items")
    risk = models.ForeignKey(Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    history = HistoricalRecords(bases=[ChangeActor])

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number")]

    def __str__(self) -> str:
        return f"Item {self.number}: {self.title}"

    def clean(self) -> None:
        if not self.meeting_id:
            return
        partnership_id = self.meeting.board.partnership_id
        errors: dict[str, str] = {}
        if self.action is not None and self.action.plan.partnership_id != partnership_id:
            errors["action"] = "Choose an action of this partnership's plan."
        if self.risk is not None and self.risk.partnership_id != partnership_id:
            errors["risk"] = "Choose a risk of this partnership's register."
        if self.indicator is not None and self.indicator.partnership_id != partnership_id:
            errors["indicator"] = "Choose one of this partnership's indicators."
        if errors:
            raise ValidationError(errors)


class Decision(models.Model):
    """What a board decided, agreed or noted at a meeting, in the words of the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    recorded_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at"])

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number")]

    def __str__(self) -> str:
        return f"Decision {self.number}: {self.text[:60]}"

    def clean(self) -> None:
        if self.agenda_item is not None and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": "Choose an item on this meeting's agenda."})


class ActionArisingQuerySet(PartnershipScopedQuerySet):
    partnership_path = "meeting__board__partnership"

    def open(self) -> ActionArisingQuerySet:
        return self.filter(done_on__isnull=True)


class ActionArising(models.Model):
    """A task a board gives someone at a meeting ("actions arising"): what, who, by when, and
    whether it is done. It is not an action of the improvement plan, though it is often about one;
    the next meeting checks it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions_arising")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_arising"
    )
    description = models.TextField()
    owner_name = models.CharField(max_length=200, help_text="The person or post who will do it.")
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="actions_arising"
    )
    due_date = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    created_by_label = models.CharField(max_length=200, blank=True)
    completed_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at"])

    objects = ActionArisingQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name_plural = "actions arising"

    def __str__(self) -> str:
        return f"{self.description[:60]} ({self.owner_name})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.meeting_id:
            partnership_id = self.meeting.board.partnership_id
            if self.owner_organisation is not None and self.owner_organisation.partnership_id != partnership_id:
                errors["owner_organisation"] = "Choose an organisation of this partnership."
            if self.agenda_item is not None and self.agenda_item.meeting_id != self.meeting_id:
                errors["agenda_item"] = "Choose an item on this meeting's agenda."
        if self.done_on and self.meeting_id and self.done_on < self.meeting.date:
            errors["done_on"] = "The date it was done cannot be before the meeting that set it."
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return bool(self.due_date and not self.is_done and self.due_date < today)


class InspectionEventQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class InspectionEvent(models.Model):
    """A dated step in the inspection and improvement cycle: an Ofsted/CQC Area SEND inspection and
    its report, the Written Statement of Action or Priority Action Plan that answered it, the DfE's
    Improvement Notice, a stocktake or deep dive, a monitoring inspection. It records what was found
    or decided and what follows; an expected event's date is an estimate until it happens."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="inspection_events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True, help_text="For an event over several days: the last day.")
    is_expected = models.BooleanField(default=False, help_text="Not happened yet: the date is expected, not confirmed.")
    bodies = models.CharField(max_length=200, blank=True, help_text="Who carries it out, e.g. 'Ofsted and CQC'.")
    outcome = models.TextField(blank=True, help_text="What it found or decided.")
    follow_up = models.TextField(blank=True, help_text="What it requires next, and by when.")
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspection_events")
    source = models.CharField(max_length=300, blank=True, help_text="Where it is recorded.")
    history = HistoricalRecords(bases=[ChangeActor])

    objects = InspectionEventQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "title"], name="inspection_event_unique_title")]

    def __str__(self) -> str:
        return f"{self.title} ({long_date(self.date)})"

    def clean(self) -> None:
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": "The last day cannot be before the first."})

    def is_expected_on(self, today: datetime.date) -> bool:
        """Still to come. An expected event whose date has passed is read as having happened: the
        flag records that its date was an estimate, not that it is still awaited."""
        return self.is_expected and self.date >= today

    def date_label_on(self, today: datetime.date) -> str:
        """'9 November 2023', '25 to 29 September 2017', 'Expected about March 2025' while it is to
        come, 'About June 2024' once an estimated date has passed."""
        if self.is_expected:
            return f"Expected about {self.date:%B %Y}" if self.is_expected_on(today) else f"About {self.date:%B %Y}"
        if self.end_date and self.end_date != self.date:
            if (self.date.year, self.date.month) == (self.end_date.year, self.end_date.month):
                return f"{self.date.day} to {long_date(self.end_date)}"
            return f"{long_date(self.date)} to {long_date(self.end_date)}"
        return long_date(self.date)
