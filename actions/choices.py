from django.db import models


class PlanKind(models.TextChoices):
    PRIORITY_ACTION_PLAN = "pap", "Priority Action Plan"
    WRITTEN_STATEMENT_OF_ACTION = "wsoa", "Written Statement of Action"


class Brag(models.TextChoices):
    """The BRAG scale the DfE instructs. "Not yet rated" is the absence of a rating, not Grey."""

    BLUE = "blue", "Blue"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    GREY = "grey", "Grey"


# The DfE's definitions, shown wherever a rating is chosen or explained.
BRAG_DEFINITIONS: dict[str, str] = {
    Brag.GREY: "Actions not yet begun",
    Brag.RED: "Actions delayed and impact not being delivered",
    Brag.AMBER: "Actions on track and expected impact on track",
    Brag.GREEN: "Action completed and early evidence of impact",
    Brag.BLUE: "Change embedded, sustainable, ongoing evidence of impact",
}

# The order a board reads them in: worst news first, then progress.
BRAG_DISPLAY_ORDER: list[str] = [Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE, Brag.GREY]

# Ratings that claim impact, and what the evidence must show for each.
EVIDENCE_REQUIRED: dict[str, str] = {
    Brag.GREEN: "evidence of impact",
    Brag.BLUE: "evidence that the change is embedded and sustained",
}

NOT_YET_RATED = "Not yet rated"


class DueDateKind(models.TextChoices):
    """How the published target date reads: a real date, or one of the plan's placeholders."""

    DATE = "date", "Dated"
    TBC = "tbc", "To be confirmed"
    ONGOING = "ongoing", "Ongoing"
    NONE = "none", "No date given"


class ActionStatus(models.TextChoices):
    """An action is never deleted: one that is no longer pursued is retired, with a reason."""

    OPEN = "open", "Open"
    RETIRED = "retired", "Retired"


class RetirementReason(models.TextChoices):
    SUPERSEDED = "superseded", "Superseded by another action"
    MERGED = "merged", "Merged into another action"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"


class PlanColumn(models.TextChoices):
    """What a column of a plan's spreadsheet holds, for its import and export."""

    REF = "ref", "Ref"
    PRIORITY_AREA = "priority_area", "Priority area"
    DESCRIPTION = "description", "Action"
    OWNER = "owner", "Lead organisation"
    LEAD_OFFICER = "lead_officer", "Lead officer"
    DUE_DATE = "due_date", "Target date"
    BRAG = "brag", "BRAG"
    COMMENTARY = "commentary", "Progress update"
    SUCCESS_MEASURE = "success_measure", "Success measure"


class ForumPosition(models.TextChoices):
    """The parent carer forum's view of an action's rating: its right of reply to the owner's rating."""

    AGREE = "agree", "Agree"
    PARTLY_AGREE = "partly_agree", "Partly agree"
    DISAGREE = "disagree", "Disagree"


# How a page says the forum's position: "The parent carer forum disagrees with this rating".
FORUM_POSITION_VERBS: dict[str, str] = {
    ForumPosition.AGREE: "agrees",
    ForumPosition.PARTLY_AGREE: "partly agrees",
    ForumPosition.DISAGREE: "disagrees",
}
