"""Partner API keys: making them and checking them. What a key acts as is
send_tracker.accounts.principals.ApiKeyPrincipal."""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import re
import secrets
from typing import Any, cast

from django.core.cache import cache
from django.db import connection, models
from django.utils import timezone

from send_tracker.accounts.models import (
    API_KEY_CACHE_SECONDS,
    ApiKey,
    Organisation,
    Partnership,
    api_key_cache_key,
)
from send_tracker.accounts.principals import AnyUser
from send_tracker.history import stamp

KEY_PREFIX = "st"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(
    *,
    organisation: Organisation,
    name: str,
    can_write: bool = False,
    expires_on: datetime.date | None = None,
    by: AnyUser | None = None,
) -> tuple[ApiKey, str]:
    """Makes a key and returns it with the only copy of its secret, to be shown once. Its history
    names `by` (None: a command or a load)."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        organisation=organisation,
        name=name,
        prefix=prefix,
        key_hash=_hash(key),
        can_write=can_write,
        expires_on=expires_on,
    )
    stamp(api_key, by=by, reason="API key made")
    api_key.save()
    return api_key, key


# How often a key's last_used_at is brought up to date: reads stay reads, bar one write an hour.
NOTE_USE_EVERY = datetime.timedelta(hours=1)
# What create_api_key puts between "st_" and the secret; anything else is no key of ours.
PREFIX_PATTERN = re.compile(r"[0-9a-f]{12}")

_KEY_MODELS: tuple[type[models.Model], ...] = (ApiKey, Organisation, Partnership)


@functools.cache
def _key_sql() -> str:
    """The key lookup, written once: it runs on every API request, and the ORM's compiler would cost
    more than the query. The conditions are ApiKeyQuerySet.usable's (a test holds the two together)."""
    q = connection.ops.quote_name
    columns = ", ".join(
        f"{q(model._meta.db_table)}.{q(field.column)}" for model in _KEY_MODELS for field in model._meta.concrete_fields
    )
    key, organisation, partnership = (q(model._meta.db_table) for model in _KEY_MODELS)
    return (
        f"SELECT {columns} FROM {key} "
        f"INNER JOIN {organisation} ON {key}.{q('organisation_id')} = {organisation}.{q('id')} "
        f"INNER JOIN {partnership} ON {organisation}.{q('partnership_id')} = {partnership}.{q('id')} "
        f"WHERE {key}.{q('prefix')} = %s AND {key}.{q('revoked_at')} IS NULL "
        f"AND ({key}.{q('expires_on')} IS NULL OR {key}.{q('expires_on')} >= %s)"
    )


def _key_from_row(row: tuple[Any, ...]) -> ApiKey:
    """The key with its organisation and partnership, as select_related would have built them."""
    instances = []
    values = iter(row)
    for model in _KEY_MODELS:
        fields = model._meta.concrete_fields
        converted = []
        for field in fields:
            value = next(values)
            column = field.get_col(model._meta.db_table)
            for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
                value = converter(value, column, connection)
            converted.append(value)
        instances.append(model.from_db(connection.alias, [field.attname for field in fields], converted))
    api_key, organisation, partnership = (
        cast(ApiKey, instances[0]),
        cast(Organisation, instances[1]),
        cast(Partnership, instances[2]),
    )
    organisation.partnership = partnership
    api_key.organisation = organisation
    return api_key


def find_usable_key(presented: str) -> ApiKey | None:
    """The live key matching what a caller presented, or None.

    A key found is kept in the cache for API_KEY_CACHE_SECONDS, so most requests ask the database
    nothing about their key. Every change to a key, or to its organisation's partnership, puts
    FORGOTTEN in its place (send_tracker.accounts.models), which a request that read the old row
    cannot overwrite, since it may only add. Expiry and revocation are checked on every use.
    """
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX or not PREFIX_PATTERN.fullmatch(parts[1]):
        return None
    prefix = parts[1]
    today = timezone.localdate()
    api_key = cache.get(api_key_cache_key(prefix))
    if not isinstance(api_key, ApiKey):
        with connection.cursor() as cursor:
            cursor.execute(_key_sql(), [prefix, today])
            row = cursor.fetchone()
        if row is None:
            return None
        found = _key_from_row(row)
        if api_key is None:  # not FORGOTTEN
            cache.add(api_key_cache_key(prefix), found, API_KEY_CACHE_SECONDS)
        api_key = found
    if not api_key.is_usable(today) or not hmac.compare_digest(api_key.key_hash, _hash(presented)):
        return None
    _note_use(api_key)
    return api_key


def _note_use(api_key: ApiKey) -> None:
    # At most once an hour per key. last_used_at plays no part in checking a key, so the cached
    # copy is left as it is.
    if api_key.last_used_at and timezone.now() - api_key.last_used_at < NOTE_USE_EVERY:
        return
    if cache.add(f"api-key-used:{api_key.prefix}", True, timeout=int(NOTE_USE_EVERY.total_seconds())):
        ApiKey.objects.filter(pk=api_key.pk).record_use(timezone.now())
