from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "send_tracker.accounts"
    label = "accounts"
    verbose_name = "Partnerships, organisations and people"

    def ready(self) -> None:
        from allauth.mfa.signals import authentication_failed
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from send_tracker import freshness

        from . import (
            second_factor,
            signals,  # noqa: F401 - connects the receivers
        )
        from .admin_scope import partnership_path_of

        freshness.connect(lambda model: partnership_path_of(model, admin.site))
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(signals.record_sign_in, dispatch_uid="record_sign_in")
        authentication_failed.connect(second_factor.count_failed_code, dispatch_uid="second-factor-axes")
