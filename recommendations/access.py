"""Permission-checked fetches for scrutiny reports and recommendations.

Out of the reader's partnership: 404, so an id reveals nothing. Visible but not theirs to change
(scrutiny members, partners, officers of another organisation): 403.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser

from .models import Recommendation, Report


def report_for_reading(user: AnyUser, report_id: int) -> Report:
    return get_object_or_404(Report.objects.visible_to(user).select_related("committee", "partnership"), pk=report_id)


def recommendation_for_reading(user: AnyUser, recommendation_id: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.visible_to(user).select_related(
            "report__committee", "report__partnership", "respondent_organisation", "closed_by"
        ),
        pk=recommendation_id,
    )


def recommendation_for_change(user: AnyUser, recommendation_id: int) -> Recommendation:
    return access.for_change(
        user, recommendation_for_reading(user, recommendation_id), access.owners_only("recommendation", owns="answers")
    )
