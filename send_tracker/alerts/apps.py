from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "send_tracker.alerts"
    label = "alerts"
    verbose_name = "Alerts"
