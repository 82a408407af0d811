"""Permission-checked fetches for indicators. Views, exports and any API fetch through these.

An indicator of another partnership answers 404, so its id reveals nothing; one the reader may see
but not change answers 403. The DfE's published figures are public and need no check beyond
signing in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser
from send_tracker.accounts.models import Partnership

from .models import Indicator, IndicatorValue


def indicator_for_reading(user: AnyUser, indicator_id: int) -> Indicator:
    return get_object_or_404(Indicator.objects.visible_to(user).select_related("partnership", "owner"), pk=indicator_id)


def indicator_for_change(user: AnyUser, indicator_id: int) -> Indicator:
    return access.for_change(user, indicator_for_reading(user, indicator_id), access.owners_only("indicator"))


def value_for_exception_note(user: AnyUser, value_id: int) -> IndicatorValue:
    """A figure whose exception note the user gives: its indicator's owner's officers, or an
    administrator. 404 outside the user's partnership, 403 for a reader."""
    value = get_object_or_404(
        IndicatorValue.objects.visible_to(user).select_related(
            "indicator__partnership", "indicator__owner", "target", "exception_note"
        ),
        pk=value_id,
    )
    access.for_change(user, value.indicator, access.owners_only("indicator", verb="explain its figures"))
    return value


def indicator_for_editing(user: AnyUser, indicator_id: int) -> Indicator:
    """An indicator whose details (name, definition, unit, owner...) the user changes: administrators'."""
    indicator = indicator_for_reading(user, indicator_id)
    message = "Only an administrator can change an indicator's details."
    return access.for_administrators(user, indicator, indicator.partnership_id, message)


def indicators_for_bulk_upload(user: AnyUser) -> tuple[Partnership, list[Indicator]]:
    """The person's own partnership and the indicators of it whose figures they may upload: an
    administrator's, or an officer's of the organisations that own some. PermissionDenied otherwise."""
    partnership = access.partnership_of(user)
    if partnership is None:
        raise PermissionDenied("Only people of a partnership can upload its figures.")
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(partnership=partnership).select_related("owner").order_by("name")
        if indicator.can_be_changed_by(user)
    ]
    if not indicators and not access.administers(user):
        raise PermissionDenied(
            "Only an administrator, or an officer of an organisation that owns an indicator, can upload figures."
        )
    return partnership, indicators
