"""Demo sign-ins for the Oxfordshire example: one person for each role, with a published password.

Created by `manage.py demo_accounts`, only with DEBUG on, after `manage.py load_oxfordshire` has
loaded the partnership. The password is in the README and in this file on purpose: these accounts
exist so that someone trying the tracker can sign in as each kind of user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import Organisation, User
from send_tracker.history import stamp

from .loader import oxfordshire

DEMO_PASSWORD = "send-demo-2026!"  # noqa: S105 - the published demo password; only ever set with DEBUG on


@dataclass(frozen=True)
class DemoAccount:
    """A demo person: who they are, which partner organisation they work for, and their role."""

    username: str
    role: Role
    organisation_short_name: str  # a partner of the sample case, send_tracker/sample_data/oxfordshire/
    first_name: str
    last_name: str
    job_title: str
    is_staff: bool = False

    def login_line(self) -> str:
        """`officer / send-demo-2026!  (Officer, OCC)`, as `make run` shows it."""
        return f"{self.username} / {DEMO_PASSWORD}  ({self.role.label}, {self.organisation_short_name})"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("officer", Role.OFFICER, "OCC", "Olivia", "Officer", "SEND Improvement Officer"),
    DemoAccount("icb.officer", Role.OFFICER, "BOB ICB", "Imran", "Iqbal", "Designated Clinical Officer for SEND"),
    DemoAccount(
        "councillor",
        Role.SCRUTINY,
        "OCC",
        "Cllr Sam",
        "Scrutiny",
        "Member, Education and Young People Overview and Scrutiny Committee",
    ),
    DemoAccount("partner", Role.PARTNER, "PCF", "Pat", "Partner", "Parent carer representative"),
    # Speaks for the forum: gives its view of the other partners' ratings (actions/forum.py).
    DemoAccount("forum", Role.OFFICER, "PCF", "Farah", "Forum", "Participation Lead, Oxfordshire Parent Carer Forum"),
    DemoAccount("admin", Role.ADMINISTRATOR, "OCC", "Ada", "Administrator", "SEND Programme Manager", is_staff=True),
)


class PartnershipNotLoaded(Exception):
    """The Oxfordshire partnership or one of its organisations is not in the database yet."""


@dataclass(frozen=True)
class DemoAccountsResult:
    created: int
    updated: int
    unchanged: int


def create_demo_accounts() -> DemoAccountsResult:
    """Creates the demo accounts, or brings them back to their demo details and password.

    Saves only what differs, so a second run writes nothing. The caller checks DEBUG.
    """
    # The sample case names the partners; found by name, which outlives a changed short name.
    case = oxfordshire()
    names = {account.username: case.partner(account.organisation_short_name).name for account in DEMO_ACCOUNTS}
    organisations = {
        organisation.name: organisation for organisation in Organisation.objects.filter(partnership__slug=case.slug)
    }
    missing = sorted(set(names.values()) - set(organisations))
    if missing:
        raise PartnershipNotLoaded(
            f"the Oxfordshire partnership is not loaded (missing: {', '.join(missing)}); "
            "run `python manage.py load_oxfordshire` first"
        )
    created = updated = unchanged = 0
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            is_new = user is None
            if user is None:
                user = User(username=account.username)
            wanted = {
                "organisation_id": organisations[names[account.username]].pk,
                "role": account.role.value,
                "first_name": account.first_name,
                "last_name": account.last_name,
                "job_title": account.job_title,
                "is_staff": account.is_staff,
                "is_superuser": False,
                "is_active": True,
            }
            changed = {name: value for name, value in wanted.items() if getattr(user, name) != value}
            for name, value in changed.items():
                setattr(user, name, value)
            # Someone may have changed a demo password while trying the site; the demo one is
            # restored so the README stays true.
            password_reset = is_new or not user.check_password(DEMO_PASSWORD)
            if password_reset:
                user.set_password(DEMO_PASSWORD)
            if is_new or changed or password_reset:
                stamp(user, by=None, reason="Demo account")
                user.save()
            if is_new:
                created += 1
            elif changed or password_reset:
                updated += 1
            else:
                unchanged += 1
    return DemoAccountsResult(created=created, updated=updated, unchanged=unchanged)
