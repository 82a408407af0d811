from django.contrib import admin
from django.http import HttpRequest

from send_tracker.accounts.admin_scope import PartnershipScopedHistoryAdmin, ReferenceDataAdmin

from .models import EhcpTimeliness, ExceptionNote, Indicator, IndicatorValue, Target


@admin.register(Indicator)
class IndicatorAdmin(PartnershipScopedHistoryAdmin):
    """Administrators define indicators here; officers enter values and targets on the site."""

    list_display = ["name", "partnership", "owner", "unit", "polarity", "frequency", "dfe_measure"]
    list_filter = ["partnership", "owner", "frequency", "dfe_measure"]
    search_fields = ["name", "definition"]
    filter_horizontal = ["priority_areas", "actions"]


class ReadOnlyAdmin(PartnershipScopedHistoryAdmin):
    """Values and targets are written only through kpis.services, which validates, rates and
    records who and why; the admin shows them and their history."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "first_period_start", "last_period_end", "value", "tolerance", "is_demo"]
    list_filter = ["indicator__partnership", "is_demo"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "period_start", "value", "rating", "source", "is_demo", "entered_by_label"]
    list_filter = ["indicator__partnership", "indicator", "rating", "source", "is_demo"]


@admin.register(ExceptionNote)
class ExceptionNoteAdmin(ReadOnlyAdmin):
    """An owner's note is given and revised through kpis.services, which withdraws the ask; deleting
    it here would leave the missed figure with no note and no ask, so the admin only reads it."""

    list_display = ["value", "recovery_date", "given_by_label", "given_at"]
    list_filter = ["value__indicator__partnership"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(EhcpTimeliness)
class EhcpTimelinessAdmin(ReferenceDataAdmin):
    """The DfE's figures change only by importing a release (manage.py import_dfe_timeliness)."""

    list_display = ["area_name", "level", "year", "pc_within_20_weeks_ex", "pc_within_20_weeks", "source_release"]
    list_filter = ["level", "year"]
    search_fields = ["area_name", "area_code", "old_la_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
