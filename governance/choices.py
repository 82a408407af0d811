from django.db import models


class BoardKind(models.TextChoices):
    IMPROVEMENT_BOARD = "improvement_board", "Improvement and assurance board"
    DELIVERY_GROUP = "delivery_group", "Delivery group"
    PROGRAMME_BOARD = "programme_board", "Programme board"
    HEALTH_AND_WELLBEING = "health_and_wellbeing", "Health and wellbeing board"
    CABINET = "cabinet", "Cabinet"
    SCRUTINY_COMMITTEE = "scrutiny_committee", "Scrutiny committee"
    TASK_AND_FINISH = "task_and_finish", "Task and finish group"


class MemberRole(models.TextChoices):
    """A person's place on a board. Observers attend and speak but are not members."""

    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


# Chairs first when a board's membership is listed, as a committee's papers do.
MEMBER_ROLE_ORDER: dict[str, int] = {
    MemberRole.CHAIR: 0,
    MemberRole.VICE_CHAIR: 1,
    MemberRole.MEMBER: 2,
    MemberRole.OBSERVER: 3,
}


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class AgendaPurpose(models.TextChoices):
    """What the board is asked to do with an item, as a cover sheet says."""

    DECISION = "decision", "For decision"
    ASSURANCE = "assurance", "For assurance"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class EventKind(models.TextChoices):
    """The steps of the inspection and improvement cycle (see DOMAIN.md, "The improvement cycle")."""

    AREA_INSPECTION = "area_inspection", "Area SEND inspection"
    INSPECTION_REPORT = "inspection_report", "Inspection report published"
    WRITTEN_STATEMENT = "written_statement", "Written Statement of Action"
    PRIORITY_ACTION_PLAN = "priority_action_plan", "Priority Action Plan"
    IMPROVEMENT_NOTICE = "improvement_notice", "Improvement Notice"
    STOCKTAKE = "stocktake", "DfE stocktake"
    DEEP_DIVE = "deep_dive", "DfE deep dive"
    MONITORING_INSPECTION = "monitoring_inspection", "Monitoring inspection"
    OTHER_INSPECTION = "other_inspection", "Other inspection"


class RiskTrend(models.TextChoices):
    """Which way a risk is moving, judged on its score after mitigation at each review."""

    NEW = "new", "New"
    RISING = "rising", "Rising"
    STEADY = "steady", "No change"
    FALLING = "falling", "Falling"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    """Bands of the 5 by 5 matrix (likelihood times impact), as most council registers draw them."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


def risk_level(score: int) -> RiskLevel:
    """1 to 4 low, 5 to 9 medium, 10 to 15 high, 16 to 25 very high."""
    if score >= 16:
        return RiskLevel.VERY_HIGH
    if score >= 10:
        return RiskLevel.HIGH
    if score >= 5:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


LIKELIHOOD_WORDS: dict[int, str] = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_WORDS: dict[int, str] = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
