from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    """The sample case (Oxfordshire's papers and the demo built on them) as data, and its loader."""

    name = "send_tracker.sample_data"
    label = "sample_data"
    verbose_name = "Sample data"

    def ready(self) -> None:
        from send_tracker.accounts import second_factor

        from .demo import DEMO_ACCOUNTS

        # With DEBUG on, the demo accounts sign in with their password alone, so that a newcomer can
        # try every role at once (SECOND_FACTOR_DEMO_EXEMPT turns this off).
        second_factor.exempt_demo_accounts({account.username for account in DEMO_ACCOUNTS})
