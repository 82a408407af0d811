from django.db import models


class DeadlineRule(models.TextChoices):
    """The statutory and inspection clocks the tracker counts. How each counts is in
    recommendations.deadlines.RULES, with its legal basis."""

    HEALTH_SCRUTINY_28_DAYS = "health_scrutiny_28_days", "28 days of the request (health scrutiny)"
    OVERVIEW_SCRUTINY_TWO_MONTHS = (
        "overview_scrutiny_two_months",
        "Two months beginning with receipt (overview and scrutiny)",
    )
    EHCP_20_WEEKS = "ehcp_20_weeks", "20 weeks of the request for assessment (EHC plan)"
    PAP_30_WORKING_DAYS = "pap_30_working_days", "30 working days of the inspection report (Priority Action Plan)"


class ResponseRegime(models.TextChoices):
    """The law under which a scrutiny report asks for a response, and so the clock that runs.

    The two statutory regimes share their values with DeadlineRule, so a report's regime is also
    the name of the rule that computes its response due date.
    """

    HEALTH_SCRUTINY = DeadlineRule.HEALTH_SCRUTINY_28_DAYS.value, "Health scrutiny: a response within 28 days"
    OVERVIEW_AND_SCRUTINY = (
        DeadlineRule.OVERVIEW_SCRUTINY_TWO_MONTHS.value,
        "Overview and scrutiny: a response within two months",
    )
    NONE = "none", "No statutory response period"


class Respondent(models.TextChoices):
    """Who must answer a recommendation."""

    CABINET = "cabinet", "Cabinet"
    NHS_BODY = "nhs_body", "An NHS body"
    PARTNERSHIP = "partnership", "The local area partnership"


class Outcome(models.TextChoices):
    """The respondent's answer to a recommendation, as the response pro forma words it."""

    ACCEPTED = "accepted", "Accepted"
    PARTIALLY_ACCEPTED = "partially_accepted", "Partially accepted"
    REJECTED = "rejected", "Rejected"


class Status(models.TextChoices):
    """Where a recommendation stands. Never typed in: it follows from the response, the
    implementation updates, the response due date and whether it has been closed
    (recommendations.models.derive_status)."""

    AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
    RESPONSE_OVERDUE = "response_overdue", "Response overdue"
    RESPONDED = "responded", "Responded"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    CLOSED = "closed", "Closed"
    # The last recommendation of the HOSC report to Cabinet (17 October 2023) is "for information,
    # no response required".
    NO_RESPONSE_REQUIRED = "no_response_required", "No response required"


# GOV.UK tag colours; the status is always named in text as well.
STATUS_TAG_CLASSES: dict[str, str] = {
    Status.AWAITING_RESPONSE: "govuk-tag govuk-tag--yellow",
    Status.RESPONSE_OVERDUE: "govuk-tag govuk-tag--red",
    Status.RESPONDED: "govuk-tag govuk-tag--blue",
    Status.IN_PROGRESS: "govuk-tag govuk-tag--light-blue",
    Status.IMPLEMENTED: "govuk-tag govuk-tag--green",
    Status.CLOSED: "govuk-tag govuk-tag--grey",
    Status.NO_RESPONSE_REQUIRED: "govuk-tag govuk-tag--grey",
}

OUTCOME_TAG_CLASSES: dict[str, str] = {
    Outcome.ACCEPTED: "govuk-tag govuk-tag--green",
    Outcome.PARTIALLY_ACCEPTED: "govuk-tag govuk-tag--yellow",
    Outcome.REJECTED: "govuk-tag govuk-tag--red",
}
