"""Scrutiny reports, their recommendations, the respondents' answers and progress since.

A scrutiny committee (a governance Board of kind scrutiny_committee or task_and_finish) sends a
Report with numbered Recommendations; the respondent gives a Response to each; officers add
ImplementationUpdates over the following months. A recommendation's status is never typed in: it
follows from these, the report's response due date and whether the recommendation was closed.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.models import Action
from governance.choices import BoardKind
from governance.models import Board, end_of_day
from send_tracker.accounts import access
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.accounts.tenancy import PartnershipScopedQuerySet
from send_tracker.history import ChangeActor

from . import deadlines
from .choices import Outcome, Respondent, ResponseRegime, Status

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

# A body whose reports this app tracks. Whether a body is a committee belongs with governance.
SCRUTINY_BODY_KINDS = (BoardKind.SCRUTINY_COMMITTEE, BoardKind.TASK_AND_FINISH)
NHS_ORGANISATION_KINDS = {OrganisationKind.ICB.value, OrganisationKind.NHS_TRUST.value}


class BankHoliday(models.Model):
    """A bank holiday in England and Wales that an administrator has added.

    The usual bank holidays come with the `holidays` package; a day proclaimed since its release
    (a coronation, a jubilee, a state funeral) is added here so that working-day deadlines skip it.
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %B %Y})"

    @classmethod
    def extra_dates(cls) -> frozenset[datetime.date]:
        return frozenset(cls.objects.values_list("date", flat=True))


def statutory_due_date(rule: str, start: datetime.date) -> datetime.date:
    """deadlines.due_date with the bank holidays administrators have added."""
    extra = (
        BankHoliday.extra_dates() if rule == deadlines.DeadlineRule.PAP_30_WORKING_DAYS else frozenset[datetime.date]()
    )
    return deadlines.due_date(rule, start, extra)


class ReportQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class Report(models.Model):
    """A scrutiny committee's report to the Cabinet (or to an NHS body) with recommendations,
    and the statutory clock for the response.

    The response due date is stored, not worked out on each read, so that a periodic sweep can
    find what is about to fall due with one indexed query. It is recomputed whenever the date of
    receipt or the regime changes (Report.refresh_response_due_date, called by the services and
    the admin).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="scrutiny_reports")
    committee = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="scrutiny_reports",
        limit_choices_to={"kind__in": SCRUTINY_BODY_KINDS},
        help_text="The scrutiny committee or task and finish group that made the report.",
    )
    title = models.CharField(max_length=300)
    meeting_date = models.DateField(
        null=True, blank=True, help_text="The committee meeting at which the recommendations were agreed."
    )
    date_sent = models.DateField(null=True, blank=True, help_text="When the report was sent to the addressee.")
    addressee = models.CharField(max_length=200, default="Cabinet", help_text="To whom the report is made.")
    received_on = models.DateField(
        null=True,
        blank=True,
        verbose_name="response requested or report received",
        help_text=(
            "The day the clock starts: the date of the request for a response (health scrutiny) or the date "
            "the report was received (overview and scrutiny). Usually the date of the meeting that received it."
        ),
    )
    regime = models.CharField(
        max_length=40,
        choices=ResponseRegime.choices,
        default=ResponseRegime.OVERVIEW_AND_SCRUTINY,
        help_text="The law under which a response is required.",
    )
    response_due_date = models.DateField(null=True, blank=True, db_index=True, editable=False)
    response_due_rule = models.CharField(max_length=40, blank=True, editable=False)
    notes = models.TextField(
        blank=True,
        help_text="What the committee asked beyond its numbered recommendations, e.g. updates for 12 months.",
    )
    response_to_report = models.TextField(
        blank=True, help_text="The respondent's response to the report as a whole, where one was given."
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the report was published, e.g. the Cabinet agenda and date."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-received_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "title"], name="scrutiny_report_unique_title_per_committee")
        ]

    def __str__(self) -> str:
        return f"{self.committee}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:report", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.committee_id and self.partnership_id and self.committee.partnership_id != self.partnership_id:
            errors["committee"] = "The committee must belong to the same partnership as the report."
        if self.committee_id and self.committee.kind not in SCRUTINY_BODY_KINDS:
            errors["committee"] = "Choose a scrutiny committee or a task and finish group."
        if self.date_sent and self.meeting_date and self.date_sent < self.meeting_date:
            errors["date_sent"] = "The report cannot have been sent before the meeting that agreed it."
        if errors:
            raise ValidationError(errors)

    def refresh_response_due_date(self) -> bool:
        """Set the stored due date and rule from the regime and date of receipt; True if they changed."""
        if self.regime != ResponseRegime.NONE and self.received_on is not None:
            due: datetime.date | None = statutory_due_date(self.regime, self.received_on)
            rule = self.regime
        else:
            due, rule = None, ""
        changed = (due, rule) != (self.response_due_date, self.response_due_rule)
        self.response_due_date, self.response_due_rule = due, rule
        return changed

    @property
    def response_deadline(self) -> deadlines.Deadline | None:
        if self.response_due_date is None or not self.response_due_rule:
            return None
        return deadlines.Deadline(self.response_due_date, self.response_due_rule)


def derive_status(
    *,
    closed: bool,
    response_required: bool,
    has_response: bool,
    due: datetime.date | None,
    today: datetime.date,
    has_update: bool,
    latest_update_implemented: bool,
) -> Status:
    """The status rule, once. RecommendationQuerySet.with_status is the same rule in SQL.

    A missing statutory response outweighs progress reported without one: the committee is still
    owed its answer.
    """
    if closed:
        return Status.CLOSED
    if response_required and not has_response:
        return Status.RESPONSE_OVERDUE if due is not None and today > due else Status.AWAITING_RESPONSE
    if has_update and latest_update_implemented:
        return Status.IMPLEMENTED
    if has_update:
        return Status.IN_PROGRESS
    if has_response:
        return Status.RESPONDED
    return Status.NO_RESPONSE_REQUIRED


class RecommendationQuerySet(PartnershipScopedQuerySet):
    partnership_path = "report__partnership"

    def with_status(self, today: datetime.date) -> RecommendationQuerySet:
        """Annotate `status` (a Status value) by derive_status's rule, so lists can filter on it."""
        updates = ImplementationUpdate.objects.filter(recommendation=OuterRef("pk"))
        latest_implemented = Subquery(updates.order_by("-reported_on", "-pk").values("implemented")[:1])
        return self.alias(
            _has_response=Exists(Response.objects.filter(recommendation=OuterRef("pk"))),
            _has_update=Exists(updates),
            _latest_implemented=latest_implemented,
        ).annotate(
            status=Case(
                When(closed_at__isnull=False, then=Value(Status.CLOSED.value)),
                When(
                    Q(response_required=True, _has_response=False, report__response_due_date__lt=today),
                    then=Value(Status.RESPONSE_OVERDUE.value),
                ),
                When(Q(response_required=True, _has_response=False), then=Value(Status.AWAITING_RESPONSE.value)),
                When(Q(_has_update=True, _latest_implemented=True), then=Value(Status.IMPLEMENTED.value)),
                When(_has_update=True, then=Value(Status.IN_PROGRESS.value)),
                When(_has_response=True, then=Value(Status.RESPONDED.value)),
                default=Value(Status.NO_RESPONSE_REQUIRED.value),
                output_field=models.CharField(),
            )
        )

    def overdue(self, today: datetime.date) -> RecommendationQuerySet:
        """Owed a response whose statutory period has ended."""
        return self.filter(
            closed_at__isnull=True,
            response_required=True,
            response__isnull=True,
            report__response_due_date__lt=today,
        )

    def open(self) -> RecommendationQuerySet:
        return self.filter(closed_at__isnull=True)

    def linked_to(self, action: Action) -> RecommendationQuerySet:
        """Linked to the action directly or through one of their implementation updates."""
        return self.filter(Q(actions=action) | Q(updates__actions=action)).distinct()

    def with_listing_related(self) -> RecommendationQuerySet:
        return self.select_related("report__committee", "respondent_organisation", "response")


class Recommendation(models.Model):
    """One numbered recommendation of a scrutiny report, as published, and who must answer it.

    The HOSC report to Cabinet of 17 October 2023 publishes two lists in one report (7 overarching
    recommendations made jointly with the People committee, then 6 HOSC recommendations), each
    numbered from 1: the list and the number together identify a recommendation within its report.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    list_name = models.CharField(
        max_length=200, blank=True, help_text="The list it sits in, as published, e.g. 'Overarching' or 'HOSC'."
    )
    number = models.CharField(max_length=20, help_text="The number as published, e.g. '3' or '1b'.")
    position = models.PositiveIntegerField(default=0, help_text="Order within the report.")
    text = models.TextField(help_text="The recommendation as published.")
    response_required = models.BooleanField(
        default=True, help_text="Untick for a recommendation made for information, to which no response is required."
    )
    note = models.TextField(blank=True, help_text="A published note on the recommendation, e.g. why no response.")
    respondent = models.CharField(max_length=20, choices=Respondent.choices, default=Respondent.CABINET)
    respondent_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations_to_answer",
        help_text=(
            "The partner organisation that answers. Its officers record the response. For the Cabinet, leave "
            "blank: the council's officers answer."
        ),
    )
    joint_with = models.ManyToManyField(
        Board,
        blank=True,
        related_name="joint_recommendations",
        help_text="Other committees that made this recommendation jointly; the same response goes to each.",
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="recommendations", help_text="Priority Action Plan actions that deliver it."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at", "updated_at"], m2m_fields=[actions])

    class Meta:
        ordering = ["report", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "list_name", "number"], name="recommendation_unique_number_in_list"
            )
        ]
        indexes = [models.Index(fields=["respondent", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """'HOSC recommendation 3', 'Overarching recommendation 2', 'Recommendation 1'."""
        prefix = f"{self.list_name} recommendation" if self.list_name else "Recommendation"
        return f"{prefix} {self.number}"

    @property
    def partnership_id(self) -> int:
        return self.report.partnership_id

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.text or "").strip():
            errors["text"] = "Enter the recommendation as published."
        if not (self.number or "").strip():
            errors["number"] = "Enter the recommendation's number as published."
        organisation = self.respondent_organisation if self.respondent_organisation_id else None
        if organisation is not None and self.report_id and organisation.partnership_id != self.report.partnership_id:
            errors["respondent_organisation"] = "The respondent must be an organisation of this partnership."
        elif (
            organisation is not None
            and self.respondent == Respondent.NHS_BODY
            and organisation.kind not in NHS_ORGANISATION_KINDS
        ):
            errors["respondent_organisation"] = "An NHS body's recommendation is answered by an ICB or an NHS trust."
        if errors:
            raise ValidationError(errors)

    def responsible_organisation_id(self) -> int | None:
        """The organisation whose officers answer and report progress: the one named, or for the
        Cabinet the partnership's council. None: only administrators may."""
        if self.respondent_organisation_id:
            return self.respondent_organisation_id
        if self.respondent == Respondent.CABINET:
            return (
                Organisation.objects.filter(partnership_id=self.report.partnership_id, kind=OrganisationKind.COUNCIL)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
        return None

    def responsible_organisation(self) -> Organisation | None:
        pk = self.responsible_organisation_id()
        if pk is None:
            return None
        if self.respondent_organisation_id == pk and self.respondent_organisation is not None:
            return self.respondent_organisation
        return Organisation.objects.get(pk=pk)

    def can_be_changed_by(self, user: AnyUser) -> bool:
        partnership_id = self.report.partnership_id
        if access.may_change_in_partnership(user, partnership_id):
            return True
        return access.may_change_owned_by(user, partnership_id, self.responsible_organisation_id())

    @property
    def response_or_none(self) -> Response | None:
        try:
            return self.response
        except Response.DoesNotExist:
            return None

    def was_owed_a_response_on(self, day: datetime.date) -> bool:
        """Whether it was owed a response at the end of `day` (Europe/London), for comparing with
        a past meeting: it asked for one, was recorded by then, was not closed by then, and was not
        answered by then (a response dated later, or recorded later when undated, was still owed)."""
        moment = end_of_day(day)
        if not self.response_required or self.created_at >= moment:
            return False
        if self.closed_at is not None and self.closed_at < moment:
            return False
        response = self.response_or_none
        if response is None:
            return True
        if response.given_on is not None:
            return response.given_on > day
        return response.recorded_at >= moment

    def status_on(self, today: datetime.date) -> Status:
        annotated = getattr(self, "status", None)
        if annotated is not None:
            return Status(annotated)
        latest = self.updates.order_by("-reported_on", "-pk").values_list("implemented", flat=True).first()
        return derive_status(
            closed=self.is_closed,
            response_required=self.response_required,
            has_response=self.response_or_none is not None,
            due=self.report.response_due_date,
            today=today,
            has_update=latest is not None,
            latest_update_implemented=bool(latest),
        )

    def deadline_on(self, today: datetime.date) -> deadlines.Deadline | None:
        """The response deadline, while a response is still owed; None once answered or not required."""
        if self.is_closed or not self.response_required or self.response_or_none is not None:
            return None
        return self.report.response_deadline


class Response(models.Model):
    """The respondent's answer to one recommendation: accepted, partially accepted or rejected,
    with the proposed action, an indicative timescale and the lead Cabinet members (the
    scrutiny response pro forma)."""

    recommendation = models.OneToOneField(Recommendation, on_delete=models.CASCADE, related_name="response")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    proposed_action = models.TextField(blank=True, help_text="What will be done, if different to what was recommended.")
    indicative_timescale = models.CharField(max_length=200, blank=True, help_text="Unless rejected.")
    reasons = models.TextField(
        blank=True, help_text="Why it is rejected, or which part is not accepted and why. Required unless accepted."
    )
    lead_cabinet_members = models.TextField(
        blank=True, help_text="The lead Cabinet members, one a line, e.g. 'Cllr Kate Gregory, Cabinet Member for SEND'."
    )
    given_on = models.DateField(null=True, blank=True, help_text="The date of the response, where it is dated.")
    due_on_receipt = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "The statutory due date as it stood when the response was recorded. Kept, so that a later change "
            "to the report's dates or to the rules cannot rewrite whether the response came in time."
        ),
    )
    due_rule_on_receipt = models.CharField(max_length=40, blank=True, editable=False)
    is_published = models.BooleanField(default=False, help_text="Published, e.g. in a meeting's agenda.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["recorded_at", "updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=[c.value for c in Outcome]), name="response_outcome_valid")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.reference}: {self.get_outcome_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.outcome not in Outcome.values:
            errors["outcome"] = "Select whether the recommendation is accepted, partially accepted or rejected."
        elif self.outcome == Outcome.REJECTED and not self.reasons.strip():
            errors["reasons"] = "Give the reasons for rejecting the recommendation."
        elif self.outcome == Outcome.PARTIALLY_ACCEPTED and not self.reasons.strip():
            errors["reasons"] = "Say which part is not accepted, and why."
        if self.outcome == Outcome.REJECTED and self.indicative_timescale.strip():
            errors["indicative_timescale"] = "A rejected recommendation has no timescale: leave it blank."
        if errors:
            raise ValidationError(errors)

    @property
    def lead_cabinet_member_list(self) -> list[str]:
        return [line.strip() for line in self.lead_cabinet_members.splitlines() if line.strip()]

    def keep_due_date(self, recommendation: Recommendation) -> None:
        """Record the due date the response is answering, once: when it is first recorded (or, for a
        response recorded before due dates were kept, when it is next revised)."""
        if self.due_on_receipt is not None or not recommendation.response_required:
            return
        deadline = recommendation.report.response_deadline
        if deadline is not None:
            self.due_on_receipt, self.due_rule_on_receipt = deadline.due, deadline.rule_name

    @property
    def deadline_on_receipt(self) -> deadlines.Deadline | None:
        if self.due_on_receipt is None or not self.due_rule_on_receipt:
            return None
        return deadlines.Deadline(self.due_on_receipt, self.due_rule_on_receipt)

    @property
    def days_late(self) -> int | None:
        """Days after its due date the response is dated: 0 when on time; None when no statutory
        period ran or the response is undated."""
        return days_late(self.given_on, self.due_on_receipt)

    @property
    def timeliness(self) -> str:
        """'Received on time', 'Received 1 day late'; empty when it cannot be said."""
        return timeliness(self.given_on, self.due_on_receipt)


def days_late(given_on: datetime.date | None, due: datetime.date | None) -> int | None:
    """The timeliness rule, once: the pages and the API both read it from here."""
    if given_on is None or due is None:
        return None
    return max(0, (given_on - due).days)


def timeliness(given_on: datetime.date | None, due: datetime.date | None) -> str:
    late = days_late(given_on, due)
    if late is None:
        return ""
    if late == 0:
        return "Received on time"
    return f"Received {late} day{'s' if late != 1 else ''} late"


class ImplementationUpdate(models.Model):
    """A report of progress on a recommendation, as HOSC asked for over the 12 months after its
    report; optionally linked to the Priority Action Plan actions that carry the work."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField(help_text="The date of the progress it reports.")
    progress = models.TextField()
    implemented = models.BooleanField(
        default=False, help_text="This update reports that the recommendation has been implemented."
    )
    actions = models.ManyToManyField(Action, blank=True, related_name="recommendation_updates")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True, help_text="Who added it, kept if the user goes.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at"], m2m_fields=[actions])

    class Meta:
        ordering = ["recommendation", "-reported_on", "-pk"]
        indexes = [models.Index(fields=["recommendation", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.recommendation.reference}, {self.reported_on:%d %B %Y}"

    def clean(self) -> None:
        if not (self.progress or "").strip():
            raise ValidationError({"progress": "Describe the progress made."})
