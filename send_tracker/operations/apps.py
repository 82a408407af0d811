from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "send_tracker.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks
