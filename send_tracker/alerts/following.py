"""What may be followed, and the permission-checked fetch of a followed item.

Following is reading: anyone who may read an item (a scrutiny councillor, a partner) may follow it.
An item outside the reader's partnership does not exist for them (404), as everywhere else.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from send_tracker.accounts.access import AnyUser

# "app_label.model" -> model, as each app registers its followable models from its AppConfig.ready
# (actions, recommendations and reports, boards, meetings and risks, indicators). A board's
# followers are told of its meetings' papers deadlines, its actions arising and the
# recommendations of the reports it made, so a board's lead or secretary follows the board.
FOLLOWABLE: dict[str, type[models.Model]] = {}


def subject_key(subject: models.Model | type[models.Model]) -> str:
    return f"{subject._meta.app_label}.{subject._meta.model_name}"


def register_followable(*followable: type[models.Model]) -> None:
    """Let people follow these models' rows (each must have a partnership-scoped queryset)."""
    for model in followable:
        FOLLOWABLE[subject_key(model)] = model


def followable_choices() -> list[tuple[str, str]]:
    return [(key, key) for key in FOLLOWABLE]


def followable_for_reading(user: AnyUser, key: str, pk: int) -> models.Model:
    model = FOLLOWABLE.get(key)
    if model is None:
        raise Http404("That cannot be followed.")
    queryset = model._default_manager.all()
    visible_to = getattr(queryset, "visible_to", None)
    if visible_to is None:  # Every followable model is partnership-scoped; fail closed if not.
        raise Http404("That cannot be followed.")
    subject = visible_to(user).filter(pk=pk).first()
    if subject is None:
        raise Http404("No such item.")
    return subject


def content_type_of(subject: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(subject)
