from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "send_tracker.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from . import unread
        from .models import Alert

        unread.connect(Alert)
