from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "send_tracker.accounts"
    label = "accounts"
    verbose_name = "Partnerships, organisations and people"
