from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "send_tracker.accounts"
    label = "accounts"
    verbose_name = "Partnerships, organisations and people"

    def ready(self) -> None:
        from send_tracker import freshness

        from . import signals  # noqa: F401 - connects the receivers

        freshness.connect()
