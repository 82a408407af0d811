"""The unread count beside "Alerts" in the header of every signed-in page, kept in the cache.

Counting a person's unread alerts was a query on every page they opened. The count is kept in the
cache instead, exact by the rule of send_tracker.freshness: each person has a data version, a
random value that every change to their alerts replaces once it commits (here by deleting it; the
next reader makes a new one), and a count is stored with the version read BEFORE it was counted.
A count is served only while its version is current, so one taken while a change commits is
stored under a version no reader asks for again, and the next page counts afresh. One cache round
trip on every page, where the count was one query.

What replaces a person's version (`changed`, after commit): saving or deleting an Alert (signals,
connected in the app's `ready`), the queryset's `update`, `bulk_create` and `bulk_update` (which
send no signals), and the sweep's SQL insert. A change made outside the application (SQL by hand,
a restored backup) shows within COUNT_SECONDS, how long a count is kept. When the cache does not
answer, the page counts in the database as before.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import models, transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "alerts:unread:v1:version:{id}"
COUNT_KEY = "alerts:unread:v1:count:{id}"
COUNT_SECONDS = 10 * 60


def count_for(person_id: int, count: Callable[[], int]) -> int:
    """The person's unread count: from the cache while their version is current, else `count()`
    (the query), then kept under the version read before it ran."""
    version_key, count_key = VERSION_KEY.format(id=person_id), COUNT_KEY.format(id=person_id)
    try:
        found: dict[str, Any] = cache.get_many([version_key, count_key])
        version = found.get(version_key)
        kept_version, _, kept_count = str(found.get(count_key, "")).partition(":")
        if version is not None and kept_version == version:
            return int(kept_count)
        if version is None:
            version = secrets.token_hex(8)
            # Whoever adds first wins; the loser reads the winner's version.
            if not cache.add(version_key, version, timeout=None):
                version = cache.get(version_key) or version
    except Exception:
        logger.exception("The cache did not answer; the unread count is counted in the database")
        return count()
    number = count()
    try:
        cache.set(count_key, f"{version}:{number}", COUNT_SECONDS)
    except Exception:
        logger.exception("The cache did not answer; the unread count was not kept")
    return number


def changed(person_ids: Iterable[object]) -> None:
    """Once the current transaction commits (at once outside one), the people's kept counts are
    no longer served."""
    keys = [VERSION_KEY.format(id=person_id) for person_id in set(person_ids) if person_id is not None]
    if keys:
        transaction.on_commit(lambda: _forget(keys))


def _forget(keys: list[str]) -> None:
    # A cache that does not answer must not turn a committed change into an error; what it kept
    # then shows for at most COUNT_SECONDS.
    try:
        cache.delete_many(keys)
    except Exception:
        logger.exception("Could not forget %d unread counts in the cache", len(keys))


def _stored_recipient(sender: type[models.Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Before a save that may give an alert to someone else, who had it."""
    update_fields = kwargs.get("update_fields")
    if not raw and not instance._state.adding and (update_fields is None or "recipient" in update_fields):
        instance._unread_was = next(
            iter(sender._base_manager.filter(pk=instance.pk).values_list("recipient_id", flat=True)), None
        )


def _saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    changed([instance.recipient_id, instance.__dict__.pop("_unread_was", None)])


def _deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    changed([instance.recipient_id])


def connect(alert_model: type[models.Model]) -> None:
    uid = "alerts.unread"
    models.signals.pre_save.connect(_stored_recipient, sender=alert_model, dispatch_uid=uid)
    models.signals.post_save.connect(_saved, sender=alert_model, dispatch_uid=uid)
    models.signals.post_delete.connect(_deleted, sender=alert_model, dispatch_uid=uid)
