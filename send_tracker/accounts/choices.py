from django.db import models


class Role(models.TextChoices):
    """What a person may do in the tracker. The rules are in send_tracker.accounts.access."""

    OFFICER = "officer", "Officer"
    SCRUTINY = "scrutiny", "Scrutiny member"
    PARTNER = "partner", "Partner"
    ADMINISTRATOR = "administrator", "Administrator"


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Local authority"
    ICB = "icb", "Integrated care board"
    NHS_TRUST = "nhs_trust", "NHS trust"
    PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
    OTHER = "other", "Other"
