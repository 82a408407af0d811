"""`manage.py demo_accounts`: one demo sign-in per role for the Oxfordshire example (DEBUG only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from send_tracker.sample_data.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, PartnershipNotLoaded, create_demo_accounts


class Command(BaseCommand):
    help = (
        "Create the demo accounts (officer, icb.officer, councillor, partner, forum, admin) for the Oxfordshire example, "
        "only with DEBUG on. Run load_oxfordshire first. Safe to run again. --print lists the sign-ins and "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="Only print one line per account, 'USERNAME / PASSWORD  (ROLE, ORGANISATION)'; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_only"]:
            # Read by scripts/run.py and shown as is: nothing else may be printed.
            for account in DEMO_ACCOUNTS:
                self.stdout.write(account.login_line())
            return
        # A published password must never open a production site.
        if not settings.DEBUG:
            raise CommandError("demo accounts are only created with DEBUG on")
        try:
            result = create_demo_accounts()
        except PartnershipNotLoaded as error:
            raise CommandError(str(error)) from None
        usernames = ", ".join(account.username for account in DEMO_ACCOUNTS)
        self.stdout.write(
            f"Demo accounts ready: {usernames}, password {DEMO_PASSWORD} "
            f"(created {result.created}, updated {result.updated}, unchanged {result.unchanged})"
        )
