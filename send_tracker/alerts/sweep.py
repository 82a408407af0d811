"""The deadline sweep: turns what is due into alert rows, once per person per deadline.

Each source (an app's, registered in send_tracker.alerts.candidates) finds its due items with one
set-based query and says, for each, which organisations' officers, which named people and which followed items decide who
is told. This module works out the people with a handful of queries for the whole source (never
one per item), drops the alerts that already exist, and inserts the rest in batches with
ON CONFLICT DO NOTHING, in one transaction per source. Rows are inserted in one fixed order, so two
sweeps running at once wait for each other on a key instead of deadlocking, and the unique key
(subject, kind, due date, recipient) means each alert is written once whichever sweep gets there.
"""

from __future__ import annotations

import datetime
import io
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import User
from send_tracker.operations.models import Heartbeat

from . import unread
from .candidates import SOURCES, Candidate, Source
from .choices import AlertKind, Delivery, DeliveryMode
from .delivery import queue_delivery
from .models import Alert, AlertPreference, Follow

logger = logging.getLogger(__name__)

HEARTBEAT = "deadline-sweep"
# Bound on the ids in one IN (...) list: PostgreSQL copes with more, SQLite's default limit is 32,766
# parameters, and smaller lists keep each statement's plan simple.
ID_CHUNK = 5_000

T = TypeVar("T")


@dataclass
class SweepResult:
    """What one sweep did: the alerts it created, in all and by source."""

    sweep_id: uuid.UUID
    today: datetime.date
    created: int = 0
    by_source: dict[str, int] = field(default_factory=dict)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class _Person:
    email: str
    partnership_id: int | None
    sees_everything: bool


def _officers_of(organisation_ids: set[int]) -> dict[int, list[int]]:
    officers: dict[int, list[int]] = defaultdict(list)
    ordered = sorted(organisation_ids)
    for part in chunks(ordered, ID_CHUNK):
        rows = User.objects.filter(organisation_id__in=part, role=Role.OFFICER, is_active=True).values_list(
            "organisation_id", "pk"
        )
        for organisation_id, user_id in rows:
            officers[organisation_id].append(user_id)
    return officers


def _followers_of(subjects: dict[type[models.Model], set[int]]) -> dict[tuple[int, int], list[int]]:
    """(content type id, object id) -> the ids of the people who follow it."""
    followers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for model, ids in subjects.items():
        content_type = ContentType.objects.get_for_model(model)
        # Follows are few beside the items; asking for all of a type's follows is one cheap query
        # where a list of every due item's id would be a long one.
        rows = Follow.objects.filter(subject_type=content_type).values_list("subject_id", "user_id")
        for subject_id, user_id in rows.iterator(chunk_size=ID_CHUNK):
            if subject_id in ids:
                followers[(content_type.pk, subject_id)].append(user_id)
    return followers


def _people(user_ids: set[int]) -> dict[int, _Person]:
    people: dict[int, _Person] = {}
    for part in chunks(sorted(user_ids), ID_CHUNK):
        rows = User.objects.filter(pk__in=part, is_active=True).values_list(
            "pk", "email", "organisation__partnership_id", "is_superuser"
        )
        for pk, email, partnership_id, is_superuser in rows:
            people[pk] = _Person(email=email or "", partnership_id=partnership_id, sees_everything=is_superuser)
    return people


def _preferences(kinds: set[str]) -> dict[tuple[int, str], str]:
    """(user id, kind) -> mode, for the people who chose something other than 'straight away'."""
    rows = AlertPreference.objects.filter(kind__in=sorted(kinds)).exclude(mode=DeliveryMode.IMMEDIATE)
    return {(user_id, kind): mode for user_id, kind, mode in rows.values_list("user_id", "kind", "mode")}


def _existing_keys(content_type_id: int, candidates: Sequence[Candidate]) -> set[tuple[int, str, datetime.date, int]]:
    """The (subject id, kind, due date, recipient) keys already written for these items.

    Dropping them before the insert keeps the every-15-minutes sweep cheap once the alerts exist;
    the unique key, not this read, is what stops a racing sweep writing a row twice.
    """
    keys: set[tuple[int, str, datetime.date, int]] = set()
    subject_ids = sorted({candidate.subject_id for candidate in candidates})
    kinds = sorted({candidate.kind for candidate in candidates})
    for part in chunks(subject_ids, ID_CHUNK):
        rows = Alert.objects.filter(subject_type_id=content_type_id, subject_id__in=part, kind__in=kinds).values_list(
            "subject_id", "kind", "due_date", "recipient_id"
        )
        keys.update(rows)
    return keys


# The columns the sweep writes, in the order of the tuples build_alerts returns. The rest of an
# alert's columns (read_at, claimed_at, sent_at) start empty.
COLUMNS = (
    "subject_type_id",
    "subject_id",
    "kind",
    "due_date",
    "recipient_id",
    "title",
    "body",
    "link",
    "created_at",
    "sweep_id",
    "delivery",
    "next_attempt_at",
    "attempts",
    "last_error",
)
AlertRow = tuple[object, ...]


@dataclass(frozen=True)
class Audience:
    """Who is told of each of a list of candidates, worked out in a handful of queries."""

    people: dict[int, _Person]
    # (user id, kind) -> mode, for those who chose other than "straight away".
    preferences: dict[tuple[int, str], str]
    content_types: dict[type[models.Model], int]
    # For each candidate, in order: the people told of it, each of whom may read the item.
    recipients: list[set[int]]


def audience(candidates: Sequence[Candidate]) -> Audience:
    """The owner organisation's officers, the named people and the followers of each candidate,
    keeping only those who may read its item: an alert names the item and links to it, so a
    follower who has moved to another partnership hears nothing."""
    organisation_ids = {pk for candidate in candidates for pk in candidate.organisations}
    subjects: dict[type[models.Model], set[int]] = defaultdict(set)
    for candidate in candidates:
        subjects[candidate.model].add(candidate.subject_id)
        for model, pk in candidate.followed:
            subjects[model].add(pk)
    officers = _officers_of(organisation_ids)
    followers = _followers_of(subjects)
    named = {pk for candidate in candidates for pk in candidate.people}
    everyone = (
        named | {pk for ids in officers.values() for pk in ids} | {pk for ids in followers.values() for pk in ids}
    )
    people = _people(everyone)
    content_types = {model: ContentType.objects.get_for_model(model).pk for model in subjects}
    recipients: list[set[int]] = []
    for candidate in candidates:
        told: set[int] = set(candidate.people)
        for organisation_id in candidate.organisations:
            told.update(officers.get(organisation_id, ()))
        told.update(followers.get((content_types[candidate.model], candidate.subject_id), ()))
        for model, pk in candidate.followed:
            told.update(followers.get((content_types[model], pk), ()))
        recipients.append(
            {
                user_id
                for user_id in told
                if (person := people.get(user_id)) is not None
                and (person.sees_everything or person.partnership_id == candidate.partnership_id)
            }
        )
    return Audience(
        people=people,
        preferences=_preferences({candidate.kind for candidate in candidates}),
        content_types=content_types,
        recipients=recipients,
    )


def build_alerts(candidates: Sequence[Candidate], sweep_id: uuid.UUID, now: datetime.datetime) -> list[AlertRow]:
    """The new alert rows for these candidates as tuples of COLUMNS, in key order, with their
    delivery state set from each person's preference for the kind.

    Plain tuples, not model instances: a sweep can write tens of thousands of rows, and building
    and compiling that many instances costs more than the insert itself.
    """
    if not candidates:
        return []
    told = audience(candidates)
    people, preferences = told.people, told.preferences

    ops = connection.ops
    created_at = ops.adapt_datetimefield_value(now)
    sweep_value = Alert._meta.get_field("sweep_id").get_db_prep_value(sweep_id, connection)
    rows: list[AlertRow] = []
    by_type: dict[int, list[tuple[Candidate, set[int]]]] = defaultdict(list)
    for candidate, recipients in zip(candidates, told.recipients, strict=True):
        by_type[told.content_types[candidate.model]].append((candidate, recipients))
    for content_type_id, group in sorted(by_type.items()):
        existing = _existing_keys(content_type_id, [candidate for candidate, _ in group])
        for candidate, recipients in group:
            due_date = ops.adapt_datefield_value(candidate.due_date)
            title, link = candidate.title[:300], candidate.link[:500]
            for user_id in recipients:
                person = people[user_id]
                if (candidate.subject_id, candidate.kind, candidate.due_date, user_id) in existing:
                    continue
                mode = preferences.get((user_id, candidate.kind), DeliveryMode.IMMEDIATE)
                if mode == DeliveryMode.OFF or not person.email:
                    delivery = Delivery.OFF
                elif mode == DeliveryMode.DIGEST:
                    delivery = Delivery.DIGEST
                else:
                    delivery = Delivery.PENDING
                rows.append(
                    (
                        content_type_id,
                        candidate.subject_id,
                        str(candidate.kind),
                        due_date,
                        user_id,
                        title,
                        candidate.body,
                        link,
                        created_at,
                        sweep_value,
                        str(delivery),
                        created_at if delivery == Delivery.PENDING else None,
                        0,
                        "",
                    )
                )
    # One order for every sweep: concurrent inserts then queue behind each other key by key.
    rows.sort(key=itemgetter(0, 1, 2, 3, 4))
    return rows


def _copy_text(value: object) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _insert_by_copy(rows: Sequence[AlertRow], table: str, columns: str, key: str) -> int:
    """PostgreSQL: COPY the rows into a scratch table, then one INSERT ... SELECT ... ON CONFLICT.

    A multi-row VALUES statement makes the server parse every literal of tens of thousands of rows;
    COPY streams them, and the one INSERT writes them in key order.
    """
    buffer = io.StringIO()
    # The rows of one item share their title, body and link objects, so each is escaped once.
    escaped: dict[str, str] = {}

    def text(value: str) -> str:
        found = escaped.get(value)
        if found is None:
            found = escaped[value] = _copy_text(value)
        return found

    # Unpacked by name (the order of COLUMNS) rather than a call per value: a big sweep writes
    # about a million values, and only the free text needs escaping.
    for (
        subject_type_id,
        subject_id,
        kind,
        due_date,
        recipient_id,
        title,
        body,
        link,
        created_at,
        sweep_id,
        delivery,
        next_attempt_at,
        attempts,
        last_error,
    ) in rows:
        buffer.write(
            f"{subject_type_id}\t{subject_id}\t{kind}\t{due_date}\t{recipient_id}\t{text(title)}\t{text(body)}\t"  # type: ignore[arg-type]
            f"{text(link)}\t{created_at}\t{sweep_id}\t{delivery}\t{_copy_text(next_attempt_at)}\t{attempts}\t"  # type: ignore[arg-type]
            f"{text(last_error)}\n"  # type: ignore[arg-type]
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS alert_sweep_rows")
        cursor.execute(
            f"CREATE TEMPORARY TABLE alert_sweep_rows ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
        )
        cursor.cursor.copy_expert(f"COPY alert_sweep_rows ({columns}) FROM STDIN", buffer)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM alert_sweep_rows "  # noqa: S608
            f"ORDER BY {key} ON CONFLICT ({key}) DO NOTHING"
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE alert_sweep_rows")
    return inserted


def _insert_by_values(rows: Sequence[AlertRow], table: str, columns: str, key: str) -> int:
    """Other databases (SQLite in development): multi-row INSERTs within its parameter limit."""
    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    inserted = 0
    with connection.cursor() as cursor:
        for batch in chunks(rows, max(1, 999 // len(COLUMNS))):
            values = ", ".join([placeholders] * len(batch))
            params: list[Any] = [value for row in batch for value in row]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({key}) DO NOTHING",  # noqa: S608
                params,
            )
            inserted += cursor.rowcount
    return inserted


def insert_alerts(rows: Sequence[AlertRow]) -> int:
    """Insert the rows, skipping any key already written (by an earlier sweep or one running now),
    in one transaction. Returns how many rows this call inserted: ON CONFLICT DO NOTHING counts
    only the rows written, so those a racing sweep wrote first are counted by that sweep."""
    quote = connection.ops.quote_name
    table = quote(Alert._meta.db_table)
    columns = ", ".join(quote(column) for column in COLUMNS)
    key = ", ".join(quote(column) for column in COLUMNS[:5])
    recipient = COLUMNS.index("recipient_id")
    with transaction.atomic():
        # Written by SQL, so no signal tells the unread counts kept in the cache: this does.
        unread.changed(row[recipient] for row in rows)
        if connection.vendor == "postgresql":
            return _insert_by_copy(rows, table, columns, key)
        return _insert_by_values(rows, table, columns, key)


def sweep_source(name: str, source: Source, today: datetime.date, sweep_id: uuid.UUID) -> int:
    """One source's alerts; returns how many rows this sweep inserted for it."""
    now = timezone.now()
    candidates = list(source(today))
    rows = build_alerts(candidates, sweep_id, now)
    if not rows:
        return 0
    return insert_alerts(rows)


def sweep(today: datetime.date | None = None, *, sources: dict[str, Source] | None = None) -> SweepResult:
    """Find everything due on `today` (Europe/London; by default the date there now) and write
    the alerts not yet written. Queues one delivery task after commit if any were created."""
    day = today or timezone.localdate()
    result = SweepResult(sweep_id=uuid.uuid4(), today=day)
    for name, source in (sources or SOURCES).items():
        created = sweep_source(name, source, day, result.sweep_id)
        result.by_source[name] = created
        result.created += created
    if result.created:
        # After commit, and from outside any transaction: the worker must see the rows it is
        # asked to send. on_commit runs at once when there is no transaction open.
        transaction.on_commit(queue_delivery)
    Heartbeat.beat(HEARTBEAT)
    logger.info("Deadline sweep for %s created %d alerts %s", day.isoformat(), result.created, result.by_source)
    return result


def alert_kind_label(kind: str) -> str:
    return AlertKind(kind).label
