"""Template tags for recommendations: status and outcome always named in text, and every
deadline shown with its rule and legal basis."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..choices import OUTCOME_TAG_CLASSES, STATUS_TAG_CLASSES, Outcome, Status
from ..deadlines import Deadline
from ..models import Response

register = template.Library()


@register.simple_tag
def status_tag(value: str) -> SafeString:
    label = Status(value).label if value in Status.values else "Unknown"
    return format_html('<strong class="{}">{}</strong>', STATUS_TAG_CLASSES.get(value, "govuk-tag"), label)


@register.simple_tag
def outcome_tag(value: str) -> SafeString:
    label = Outcome(value).label if value in Outcome.values else "Not given"
    return format_html('<strong class="{}">{}</strong>', OUTCOME_TAG_CLASSES.get(value, "govuk-tag"), label)


@register.simple_tag
def timeliness_tag(response: Response | None) -> SafeString | str:
    """'Received on time' or 'Received N days late', against the due date kept when it was recorded."""
    late = response.days_late if response is not None else None
    if late is None:
        return ""
    colour = "govuk-tag--green" if late == 0 else "govuk-tag--red"
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, response.timeliness)  # type: ignore[union-attr]


@register.inclusion_tag("recommendations/_deadline.html")
def deadline(
    value: Deadline | None, today: datetime.date | None = None, compact: bool = False, law: bool = True
) -> dict[str, Any]:
    """A due date with days left or overdue, its rule and its legal basis (`law=False`: the rule's
    name only, where the page says each rule's law once, as the dashboard does)."""
    today = today or timezone.localdate()
    return {
        "deadline": value,
        "rule": value.rule if value else None,
        "describe": value.describe(today) if value else "",
        "overdue": value.is_overdue(today) if value else False,
        "compact": compact,
        "law": law,
    }
