"""`manage.py load_oxfordshire`: the real Oxfordshire case, from the project's own seed data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from actions.oxfordshire import load_oxfordshire


class Command(BaseCommand):
    help = (
        "Load the real Oxfordshire case: the partnership, its five partners, its boards and committees, the "
        "published Priority Action Plan with demo owners, the indicators and the DfE's figures, the inspection "
        "cycle, the risk register, demo meetings, and the scrutiny reports with their recommendations and "
        "responses. Safe to run again: only what is missing is added."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Each app loads its own part, all in one transaction, so a failure in any leaves the
        # database as it was. Governance first: it names the boards the recommendations cite.
        from governance.oxfordshire import load_oxfordshire_governance
        from kpis.oxfordshire import load_oxfordshire_kpis
        from recommendations.oxfordshire import load_oxfordshire_recommendations

        with transaction.atomic():
            loaded = load_oxfordshire()
            indicators = load_oxfordshire_kpis(loaded.partnership)
            governance = load_oxfordshire_governance(loaded.partnership)
            recommendations = load_oxfordshire_recommendations(loaded.partnership)
        self.stdout.write(f"{loaded.plan.title}: {loaded.plan_import.summary()}")
        if loaded.owners_assigned:
            self.stdout.write(f"Owners assigned for the demo: {loaded.owners_assigned} actions")
        self.stdout.write(indicators)
        self.stdout.write(governance)
        self.stdout.write(recommendations)
        self.stdout.write(loaded.summary())
