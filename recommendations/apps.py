from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Scrutiny recommendations"

    def ready(self) -> None:
        # The alerts import no app: each app hands them its deadline sources and what may be followed.
        from send_tracker.alerts.candidates import register_sources
        from send_tracker.alerts.following import register_followable

        from .alerts import ALERT_SOURCES, REMINDER_SOURCES
        from .models import Recommendation, Report

        register_sources(ALERT_SOURCES, REMINDER_SOURCES)
        register_followable(Recommendation, Report)
