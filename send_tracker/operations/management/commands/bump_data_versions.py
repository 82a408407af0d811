"""After a change made outside the application (a restored backup, SQL by hand): every cached page
built from the partnerships' data is built again on its next request (send_tracker.freshness)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from send_tracker import freshness


class Command(BaseCommand):
    help = "Makes every cached page built from partnership data be built again (after a restore or SQL by hand)."

    def handle(self, *args: Any, **options: Any) -> None:
        freshness.bump_everything()
        self.stdout.write("data versions replaced")
