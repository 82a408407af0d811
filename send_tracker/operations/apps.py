from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "send_tracker.operations"
    label = "operations"
    verbose_name = "Operations"
