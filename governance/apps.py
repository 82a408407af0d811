from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        # The alerts import no app: each app hands them its deadline sources and what may be followed.
        from send_tracker.alerts.candidates import register_sources
        from send_tracker.alerts.following import register_followable

        from .alerts import ALERT_SOURCES, REMINDER_SOURCES
        from .models import Board, Meeting, Risk

        register_sources(ALERT_SOURCES, REMINDER_SOURCES)
        register_followable(Board, Meeting, Risk)
