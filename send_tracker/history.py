"""Who changed a row, as whom, and why: said once, here, for every write that leaves history.

Every historical model records its changes through django-simple-history with `ChangeActor` as a
base, so each history row carries the user (`history_user`, a person or nobody), the reason
(`history_change_reason`, unbounded text: a commentary is kept whole) and the actor in words
(`history_actor`), which outlive the account and name an API key's organisation, which is not a
user. Writes call `stamp` before they save; nothing else sets simple-history's attributes.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from send_tracker.accounts.principals import ApiKeyPrincipal

if TYPE_CHECKING:
    from send_tracker.accounts.models import User
    from send_tracker.accounts.principals import AnyUser

# Nobody signed in: a data load, a management command or a scheduled task.
SYSTEM_ACTOR = "System (data load)"
ACTOR_MAX = 200


class ChangeActor(models.Model):
    """Added to every history row: who made the change, in words that outlive the account.

    A change through the partner API has no signed-in user, so the key's organisation is named
    here; for a person it is their name and organisation; for a load or command, `SYSTEM_ACTOR`.
    """

    history_actor = models.CharField(max_length=ACTOR_MAX, blank=True)

    class Meta:
        abstract = True

    @property
    def actor(self) -> str:
        """Who made the change, for a timeline; rows written before the label was kept name their user."""
        return self.history_actor or actor_label(getattr(self, "history_user", None))

    @property
    def why(self) -> str:
        """Why the change was made, whole ("" when no reason was given)."""
        return str(getattr(self, "history_change_reason", None) or "")


class StaleVersionError(Exception):
    """Someone else saved `row` after this editor read it at `based_on_version`; nothing was written.
    Each app's writer raises its own kind, with a message that names the row."""

    def __init__(self, row: Any, based_on_version: int, what: str, *, versions: bool = True) -> None:
        """`what` happened, and (with `versions`) from which version the editor started and which it is now."""
        self.row = row
        self.based_on_version = based_on_version
        if versions:
            what += f" (you started from version {based_on_version}, it is now version {row.version})"
        super().__init__(f"{what}.")

    @property
    def changes_since(self) -> list[object]:
        """The row's history after the version the editor read, oldest first."""
        return list(
            self.row.history.filter(version__gt=self.based_on_version)
            .select_related("history_user__organisation")
            .order_by("history_date")
        )


def person(by: AnyUser | None) -> User | None:
    """The signed-in person behind a change, or None (an API key, a load, a command)."""
    # The user model is the only AbstractBaseUser; naming it would import the models this
    # module is a base of.
    return by if isinstance(by, AbstractBaseUser) and by.is_authenticated else None


def actor_label(by: AnyUser | None) -> str:
    """Who made a change, in the words kept with it.

    A person: 'Olivia Officer (OCC)', their organisation by its short name. An API key:
    "API key 'Reporting' (BOB ICB)", named by its organisation. Nobody: `SYSTEM_ACTOR`.
    """
    if isinstance(by, ApiKeyPrincipal):
        return f"API key '{by.api_key.name}' ({by.api_key.organisation})"[:ACTOR_MAX]
    someone = person(by)
    if someone is None:
        return SYSTEM_ACTOR
    organisation = someone.organisation
    name = someone.display_name
    return (f"{name} ({organisation})" if organisation else name)[:ACTOR_MAX]


def stamp(instance: models.Model, *, by: AnyUser | None, reason: str, when: datetime.datetime | None = None) -> str:
    """Say who is changing `instance` and why; its next save (or m2m change) records it.

    `by` is a person, an API key's principal, or None for a load or command. The reason is kept
    whole, however long. `when` dates the history row for a load that records something done on an
    earlier day (a demo rating, a risk as the papers first recorded it); otherwise it is the save's
    time. Returns the actor's label, for the models that also keep it on the row.
    """
    label = actor_label(by)
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance._history_user = person(by)  # type: ignore[attr-defined]
    instance._history_actor = label  # type: ignore[attr-defined]
    if when is not None:
        instance._history_date = when  # type: ignore[attr-defined]
    return label


def reason_is(reason: str) -> Q:
    """History rows recorded with this reason."""
    return Q(history_change_reason=reason)


def with_a_reason() -> Q:
    """History rows that say why: every change stamped here (a sign-in once wrote rows without)."""
    return Q(history_change_reason__isnull=False)


def history_row(history_model: type[models.Model], *, by: AnyUser | None, reason: str, **fields: Any) -> models.Model:
    """A history row built by hand, for bulk writes that bypass save() (`make_scale_data`), stamped
    as `stamp` would have stamped it. `fields` are the row's own columns and `history_date`,
    `history_type`."""
    return history_model(history_user=person(by), history_change_reason=reason, history_actor=actor_label(by), **fields)


@receiver(pre_create_historical_record)
def _name_the_actor(sender: type, instance: models.Model, history_instance: Any, **kwargs: Any) -> None:
    # A save nobody stamped (the admin, with simple-history's request middleware) is named from
    # the user simple-history found.
    if isinstance(history_instance, ChangeActor):
        history_instance.history_actor = getattr(instance, "_history_actor", "") or actor_label(
            getattr(history_instance, "history_user", None)
        )
