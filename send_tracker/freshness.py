"""How fresh a partnership's cached pages are: a data version that every change to its data replaces.

A page built from one partnership's data (the dashboard) is cached under `data_version(id)`, read
BEFORE the page is built. Every change to that partnership's rows replaces the version once the
change is committed (`bump`, through `transaction.on_commit`), so the next reader builds the page
again from the committed data and nothing cached before can be served:

- a rolled-back change replaces nothing, and no reader can find its uncommitted rows under a new
  version;
- a reader that read the version before a change and its rows after it stores newer content under
  the old version, which no reader asks for once the version is replaced.

A version is a random token, never a counter: a version lost from the cache (evicted, or Redis
restarted) comes back as a value no content was ever stored under.

What bumps: every save, delete and many-to-many change of a model of the product apps, through the
signals connected here (`connect`, from the accounts app's `ready`), the partnership found through
the model's `partnership_path` (send_tracker.accounts.admin_scope, the admin's own rule, which
`connect` is handed, so this module imports none of the models whose saves it follows). Rows
every partnership shares (the DfE's figures, bank holidays) and rows whose partnership cannot be
found bump the shared version, part of every partnership's. A write that bypasses the signals
(`QuerySet.update`, `bulk_create`, `bulk_update`, raw SQL) calls `bump` itself. Alerts, follows,
preferences and API keys appear in no cached page, so they bump nothing. A change made outside the
application (a restored backup, SQL by hand) is followed by `manage.py bump_data_versions`.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from functools import cache as memoise
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

# The apps whose rows the cached pages show. Alerts and follows are a person's own and are shown
# in the header, which is never cached.
PRODUCT_APPS = ("actions", "governance", "recommendations", "kpis", "accounts")
NOT_SHOWN = frozenset({"accounts.apikey"})
SHARED_KEY = "freshness:v1:shared"
PARTNERSHIP_KEY = "freshness:v1:partnership:{id}"

logger = logging.getLogger(__name__)


def _key(partnership_id: int | None) -> str:
    return SHARED_KEY if partnership_id is None else PARTNERSHIP_KEY.format(id=partnership_id)


def current_version(partnership_id: int) -> str | None:
    """`data_version`, or None when the cache does not answer (then nothing is to be stored)."""
    try:
        return data_version(partnership_id)
    except Exception:
        logger.exception("The cache did not answer; the page is built uncached")
        return None


def is_current(partnership_id: int, version: str) -> bool:
    """Whether content built under `version` still shows the partnership's data as it is."""
    return current_version(partnership_id) == version


def cached(key: str) -> Any | None:
    """What the cache holds under `key`; None when it holds nothing or does not answer. A cache
    that does not answer costs a page its speed, never the page."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("The cache did not answer; the page is built uncached")
        return None


def keep(key: str, value: Any, seconds: int) -> None:
    """Stores a built page's content, unless the cache does not answer."""
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.exception("The cache did not answer; the page was not stored")


def kept_for_partnership(
    key_format: str, partnership_id: int, today: datetime.date, build: Callable[[], str], seconds: int, **parts: object
) -> str:
    """What `build` makes of the partnership's data, kept under `key_format` (formatted with the code's
    and the partnership's data version, read before it is built, the partnership, the day and `parts`)
    so that any change to the partnership's rows replaces it; built each time when the cache does not
    answer."""
    version = current_version(partnership_id)  # before it is built
    if version is None:
        return build()
    key = key_format.format(
        code=code_version(), partnership=partnership_id, version=version, today=today.isoformat(), **parts
    )
    text: str | None = cached(key)
    if text is None:
        text = str(build())
        keep(key, text, seconds)
    return text


def _new_token() -> str:
    return secrets.token_hex(8)


def data_version(partnership_id: int) -> str:
    """The version of a partnership's data (and of the shared data), to key its cached pages by.
    One cache round trip when both are known."""
    keys = [SHARED_KEY, _key(partnership_id)]
    found: dict[str, Any] = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _new_token(), timeout=None)
            # Whoever added first wins; with no cache at all, a token nothing is stored under.
            found[key] = cache.get(key) or _new_token()
    return f"{found[SHARED_KEY]}.{found[keys[1]]}"


def bump(partnership_id: int | None) -> None:
    """Replaces a partnership's data version (None: the shared version) when the current
    transaction commits; at once outside one."""
    transaction.on_commit(lambda: _replace(partnership_id))


def _replace(partnership_id: int | None) -> None:
    # A cache that does not answer must not turn a committed change into an error: the change
    # stands and is logged. Content cached before it can then be served until it expires, which
    # is why cached pages keep for minutes, not hours (see the dashboard's CONTENT_CACHE_SECONDS).
    try:
        cache.set(_key(partnership_id), _new_token(), timeout=None)
    except Exception:
        logger.exception("Could not replace the data version of partnership %s in the cache", partnership_id)


def bump_many(partnership_ids: Iterable[int | None]) -> None:
    for partnership_id in set(partnership_ids):
        bump(partnership_id)


def bump_everything() -> None:
    """After a change made outside the application: every partnership's pages are built again."""
    bump(None)


@memoise
def code_version() -> str:
    """A fingerprint of the templates and the Python source, so a deployment that changes either
    never serves markup cached by the one before. Read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("templates", "send_tracker", *PRODUCT_APPS[:4]):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Which partnership a row belongs to, from the admin's rule for each model, which `connect` sets.
_partnership_path_of: Callable[[type[models.Model]], str | None] | None = None


@memoise
def _path(model: type[models.Model]) -> str | None:
    if _partnership_path_of is None:
        raise RuntimeError("send_tracker.freshness.connect() has not run: the accounts app is not ready.")
    return _partnership_path_of(model)


def partnership_of(instance: models.Model) -> int | None:
    """The partnership id of a row, following its path through relations already loaded, and with
    one query from the first that is not. None for shared rows and rows whose parents are gone."""
    path = _path(type(instance))
    if path is None:
        return None
    if path == "pk":
        return instance.pk
    *hops, last = path.split("__")
    target: Any = instance
    for n, hop in enumerate(hops):
        field = target._meta.get_field(hop)
        if not field.is_cached(target):
            parent_id = getattr(target, field.attname)
            if parent_id is None:
                return None
            rest = "__".join([*hops[n + 1 :], last])
            found = field.related_model._base_manager.filter(pk=parent_id).values_list(rest, flat=True)
            return next(iter(found), None)
        target = getattr(target, hop)
        if target is None:
            return None
    return getattr(target, target._meta.get_field(last).attname)


def _stored_partnership_of(instance: models.Model) -> int | None:
    """The partnership the row belongs to in the database, before a save moves it."""
    path = _path(type(instance))
    if path is None or path == "pk":
        return None
    return next(iter(type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True)), None)


def _bump_row(instance: models.Model) -> None:
    # None, the shared version, also for a row whose parents are already gone (a cascade): it could
    # have been shown by any partnership.
    bump(partnership_of(instance))


def _moves_partnership(instance: models.Model, update_fields: Iterable[str] | None) -> bool:
    """Whether a save may move an existing row to another partnership: its path's first field is
    being written."""
    path = _path(type(instance))
    if instance._state.adding or path is None or path == "pk":
        return False
    return update_fields is None or path.split("__")[0] in set(update_fields)


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw and _moves_partnership(instance, kwargs.get("update_fields")):
        instance._freshness_was = _stored_partnership_of(instance)  # type: ignore[attr-defined]


def _saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # signing in changes no page
    if raw:
        bump(None)  # loaddata: the row's parents may not be loaded yet
        return
    now = partnership_of(instance)
    was = instance.__dict__.pop("_freshness_was", now)
    bump_many([now, was])


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    _bump_row(instance)


def _m2m_changed(sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _bump_row(instance)


def watched_models() -> list[type[models.Model]]:
    from simple_history.models import HistoricalChanges

    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PRODUCT_APPS
        and model._meta.label_lower not in NOT_SHOWN
        and not issubclass(model, HistoricalChanges)  # written with the row it records
    ]


def connect(partnership_path_of: Callable[[type[models.Model]], str | None]) -> None:
    """Follow every watched model's saves, deletes and many-to-many changes; `partnership_path_of`
    says which partnership a model's rows belong to (`"plan__partnership"`, "pk", or None)."""
    global _partnership_path_of
    _partnership_path_of = partnership_path_of
    _path.cache_clear()
    for model in watched_models():
        uid = f"freshness:{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}.{field.name}")
