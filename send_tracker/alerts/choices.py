from django.db import models


class AlertKind(models.TextChoices):
    """What an alert is about. Each kind is raised by one source in an app's alerts.py, and each
    person chooses per kind whether it is emailed at once, in a daily digest, or not at all."""

    ACTION_DUE_14 = "action_due_14", "Plan action due within 14 days"
    ACTION_DUE_7 = "action_due_7", "Plan action due within 7 days"
    ACTION_OVERDUE = "action_overdue", "Plan action overdue"
    RESPONSE_DUE_7 = "response_due_7", "Scrutiny response due within 7 days"
    RESPONSE_DUE_1 = "response_due_1", "Scrutiny response due today or tomorrow"
    RESPONSE_OVERDUE = "response_overdue", "Scrutiny response overdue"
    PAPERS_DEADLINE = "papers_deadline", "Meeting papers deadline within 7 days"
    ARISING_DUE = "arising_due", "Board action arising due within 7 days"
    ARISING_OVERDUE = "arising_overdue", "Board action arising overdue"
    KPI_MISSED = "kpi_missed", "KPI figure missed its target"
    RISK_REVIEW_OVERDUE = "risk_review_overdue", "Risk review overdue"
    ROUND_OPEN = "round_open", "Update round open: actions due an update"
    ROUND_CLOSING = "round_closing", "Update round closes within two working days"
    FIGURE_DUE = "figure_due", "KPI figure due"
    EXCEPTION_NOTE_DUE = "exception_note_due", "KPI exception note asked for"
    FORUM_VIEW = "forum_view", "Parent carer forum's view of a rating"


class Delivery(models.TextChoices):
    """Where an alert's email stands. The in-app list shows every alert whatever this says."""

    PENDING = "pending", "Waiting to be emailed"
    SENDING = "sending", "Being emailed"
    SENT = "sent", "Emailed"
    FAILED = "failed", "Email failed"
    EXPIRED = "expired", "Too old to email"
    DIGEST = "digest", "Waiting for the daily digest"
    OFF = "off", "Not emailed"


# A claim on these is finished: nothing will send them again.
FINISHED_DELIVERIES = (Delivery.SENT, Delivery.FAILED, Delivery.EXPIRED, Delivery.OFF)


class DeliveryMode(models.TextChoices):
    """How a person wants one kind of alert: emailed straight away (the default), gathered into one
    email a day, or only listed in the tracker."""

    IMMEDIATE = "immediate", "Email me straight away"
    DIGEST = "digest", "Include it in one email a day"
    OFF = "off", "Do not email me: show it in the tracker only"
