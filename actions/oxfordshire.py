"""The real Oxfordshire case: the partnership, its partners, its boards and its published plan.

Oxfordshire's local area SEND inspection report was published on 15 September 2023; Ofsted and
the CQC confirmed the partnership's Priority Action Plan on 12 December 2023 (seed 002). This
module is that case as reference data, loaded by `manage.py load_oxfordshire`.

The plan is read from the project's own copy of the council papers in send_tracker/seed_data/ (a
user's clone has no ../shared/) and loaded through the same importer as `import_pap`.

Loading is idempotent: rows are found by their natural keys (the partnership's slug, an
organisation's or board's name within the partnership, the plan's title) and only what is missing
is added. What an administrator has since changed (a board's short name, an action's owner) is
left as it is, so `make run` can load the case every time it starts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from governance.choices import BoardKind
from governance.models import Board
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.history import stamp

from .choices import PlanKind
from .importer import ImportResult, import_plan, parse_plan_table
from .models import Action, Plan

SEED_DATA = Path(settings.BASE_DIR) / "send_tracker" / "seed_data"
# Seed 002: the report to the Education and Young People Overview and Scrutiny Committee of
# 20 May 2024, whose appendix B is the PAP table and appendix C the transformation roadmap.
PAP_SEED = SEED_DATA / "002_e8971e952dc943cd.txt"


@dataclass(frozen=True)
class PartnerSpec:
    """A member of the local area partnership, as the tracker names it."""

    name: str
    short_name: str
    kind: OrganisationKind


@dataclass(frozen=True)
class BoardSpec:
    """A board or committee that oversees SEND improvement in Oxfordshire."""

    name: str
    short_name: str
    kind: BoardKind
    description: str
    independently_chaired: bool = False
    is_active: bool = True


PARTNERSHIP_SLUG = "oxfordshire"
PARTNERSHIP_NAME = "Oxfordshire Local Area Partnership"
PARTNERSHIP_DETAILS = {
    "name": PARTNERSHIP_NAME,
    "area_name": "Oxfordshire",
    "area_code": "E10000025",  # the ONS code of Oxfordshire County Council
    "region": "South East",
}

COUNCIL = "Oxfordshire County Council"
ICB = "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"
OXFORD_HEALTH = "Oxford Health NHS Foundation Trust"
OUH = "Oxford University Hospitals NHS Foundation Trust"
PARENT_CARER_FORUM = "Oxfordshire Parent Carer Forum"

# The five members of the LAP, as listed in seed 002 (paragraph 6).
PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(COUNCIL, "OCC", OrganisationKind.COUNCIL),
    PartnerSpec(ICB, "BOB ICB", OrganisationKind.ICB),
    PartnerSpec(OXFORD_HEALTH, "Oxford Health", OrganisationKind.NHS_TRUST),
    PartnerSpec(OUH, "OUH", OrganisationKind.NHS_TRUST),
    PartnerSpec(PARENT_CARER_FORUM, "PCF", OrganisationKind.PARENT_CARER_FORUM),
)

BOARDS: tuple[BoardSpec, ...] = (
    BoardSpec(
        "Oxfordshire SEND Strategic Improvement and Assurance Board",
        "SIAB",
        BoardKind.IMPROVEMENT_BOARD,
        "The independently chaired board at the top of the SEND transformation programme's governance, with "
        "wide representation from the partnership and the political spectrum.",
        independently_chaired=True,
    ),
    BoardSpec(
        "Partnership Delivery Group",
        "PDG",
        BoardKind.DELIVERY_GROUP,
        "Links the delivery of change on the ground to the Improvement and Assurance Board.",
    ),
    BoardSpec(
        "SEND Programme Board",
        "",
        BoardKind.PROGRAMME_BOARD,
        "Oversaw the Written Statement of Action after the 2017 inspection; replaced by the SIAB.",
        is_active=False,
    ),
    BoardSpec(
        "Health and Wellbeing Board",
        "",
        BoardKind.HEALTH_AND_WELLBEING,
        "The council's statutory board with the NHS for the health and wellbeing of the county.",
    ),
    BoardSpec(
        "Cabinet",
        "",
        BoardKind.CABINET,
        "The council's executive: receives scrutiny's recommendations and answers them.",
    ),
    BoardSpec(
        "Joint Health Overview and Scrutiny Committee",
        "HOSC",
        BoardKind.SCRUTINY_COMMITTEE,
        "Scrutinises health services; its requests for a response are due within 28 days.",
    ),
    BoardSpec(
        "People Overview and Scrutiny Committee",
        "",
        BoardKind.SCRUTINY_COMMITTEE,
        "Scrutinised SEND with HOSC in 2023, before the Education and Young People committee took it on.",
    ),
    BoardSpec(
        "Education and Young People Overview and Scrutiny Committee",
        "EYP",
        BoardKind.SCRUTINY_COMMITTEE,
        "From 2024 the committee that receives progress reports on the Priority Action Plan.",
    ),
    BoardSpec(
        "SEND Task and Finish Group",
        "",
        BoardKind.TASK_AND_FINISH,
        "Six councillors reviewing SEND services for the People Overview and Scrutiny Committee, from 2023.",
    ),
)

PLAN_TITLE = "Oxfordshire SEND Priority Action Plan"
PLAN_DETAILS = {
    "kind": PlanKind.PRIORITY_ACTION_PLAN,
    "inspection_report_date": datetime.date(2023, 9, 15),
    "approved_date": datetime.date(2023, 12, 12),
    "is_current": True,
    # The PAP is published on the council's and the ICB's websites (seed 002, paragraph 4).
    "is_public": True,
}

# Owners of the actions. The published table names none, so these are the demo's assignments, by
# the nature of each action: the council leads by default; the ICB the joint commissioning
# arrangements (4B1) and the mental health pathway and protocols (4C1, 4C2); Oxford Health the
# multi-agency approach to placement or family breakdown (4C3); the Parent Carer Forum the
# co-production definition its steering group reaffirmed in January 2024 (1.2).
DEFAULT_OWNER = COUNCIL
OWNERS_BY_REF: dict[str, str] = {
    "4B1": ICB,
    "4C1": ICB,
    "4C2": ICB,
    "4C3": OXFORD_HEALTH,
    "1.2": PARENT_CARER_FORUM,
}
OWNER_REASON = "Owner assigned for the demo (the published plan names none)"


@dataclass(frozen=True)
class OxfordshireLoad:
    """What `load_oxfordshire` found or made, for the command's closing line."""

    partnership: Partnership
    organisations: dict[str, Organisation]
    boards: list[Board]
    plan: Plan
    plan_import: ImportResult
    owners_assigned: int

    def summary(self) -> str:
        return (
            f"Oxfordshire loaded: 1 partnership, {len(self.organisations)} organisations, {len(self.boards)} boards, "
            f"{self.plan.actions.count()} actions"
        )


def load_partnership() -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(slug=PARTNERSHIP_SLUG, defaults=PARTNERSHIP_DETAILS)
    return partnership


def load_partners(partnership: Partnership) -> dict[str, Organisation]:
    """The LAP's member organisations, by name."""
    organisations: dict[str, Organisation] = {}
    for spec in PARTNERS:
        organisations[spec.name], _ = Organisation.objects.get_or_create(
            partnership=partnership, name=spec.name, defaults={"short_name": spec.short_name, "kind": spec.kind}
        )
    return organisations


def load_boards(partnership: Partnership) -> list[Board]:
    boards: list[Board] = []
    for spec in BOARDS:
        board, _ = Board.objects.get_or_create(
            partnership=partnership,
            name=spec.name,
            defaults={
                "short_name": spec.short_name,
                "kind": spec.kind,
                "description": spec.description,
                "independently_chaired": spec.independently_chaired,
                "is_active": spec.is_active,
            },
        )
        boards.append(board)
    return boards


def load_plan(partnership: Partnership) -> tuple[Plan, ImportResult]:
    """The published Priority Action Plan, through the same importer as `import_pap`."""
    plan, _ = Plan.objects.get_or_create(partnership=partnership, title=PLAN_TITLE, defaults=PLAN_DETAILS)
    parsed = parse_plan_table(PAP_SEED.read_text(encoding="utf-8"))
    return plan, import_plan(plan=plan, parsed=parsed)


def assign_owners(plan: Plan, organisations: dict[str, Organisation]) -> int:
    """Gives each action without an owner its demo owner (see OWNERS_BY_REF); returns how many.

    Only actions with no owner are touched, so an administrator's later reassignment survives a
    re-run.
    """
    assigned = 0
    for action in Action.objects.filter(plan=plan, owner__isnull=True).order_by("position"):
        action.owner = organisations[OWNERS_BY_REF.get(action.ref, DEFAULT_OWNER)]
        # A new version, like every change to an action, so a form or ETag opened before is stale.
        action.version += 1
        stamp(action, by=None, reason=OWNER_REASON)
        action.save()
        assigned += 1
    return assigned


def load_oxfordshire() -> OxfordshireLoad:
    """Loads the whole Oxfordshire case in one transaction: all of it, or none of it."""
    with transaction.atomic():
        partnership = load_partnership()
        organisations = load_partners(partnership)
        boards = load_boards(partnership)
        plan, plan_import = load_plan(partnership)
        owners_assigned = assign_owners(plan, organisations)
    return OxfordshireLoad(
        partnership=partnership,
        organisations=organisations,
        boards=boards,
        plan=plan,
        plan_import=plan_import,
        owners_assigned=owners_assigned,
    )
