from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Priority Action Plan"

    def ready(self) -> None:
        # The alerts import no app: each app hands them its deadline sources and what may be followed.
        from send_tracker.alerts.candidates import register_sources
        from send_tracker.alerts.following import register_followable

        from .alerts import ALERT_SOURCES, REMINDER_SOURCES
        from .forum import ALERT_SOURCES as FORUM_SOURCES
        from .models import Action

        register_sources(ALERT_SOURCES, REMINDER_SOURCES)
        register_sources(FORUM_SOURCES)
        register_followable(Action)
