"""`manage.py load_oxfordshire`: the real Oxfordshire case, from the project's own seed data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from actions.oxfordshire import load_oxfordshire


class Command(BaseCommand):
    help = (
        "Load the real Oxfordshire case: the partnership, its five partners, its boards and committees, the "
        "published Priority Action Plan with demo owners, and the indicators. Safe to run again: only what is "
        "missing is added."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The indicators belong to the kpis app; they load in the same transaction, so a failure
        # in either leaves the database as it was.
        from kpis.oxfordshire import load_oxfordshire_kpis

        with transaction.atomic():
            loaded = load_oxfordshire()
            indicators = load_oxfordshire_kpis(loaded.partnership)
        self.stdout.write(f"{loaded.plan.title}: {loaded.plan_import.summary()}")
        if loaded.owners_assigned:
            self.stdout.write(f"Owners assigned for the demo: {loaded.owners_assigned} actions")
        self.stdout.write(indicators)
        self.stdout.write(loaded.summary())
