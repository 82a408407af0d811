"""The partner API's list of actions, read with one SQL statement written for it.

`GET /api/v1/actions/` is what partners' systems poll, so it is built for speed: one statement
brings a page of actions with their owners, lead officers, themes and workstreams, and their figures
against the signed-off baseline (subqueries over each action's history), and the rows go to the
renderer as plain dicts, with no model instances and no serializer. The ORM is still used for
everything that varies (who may see what, and the django-filter filters), and its SQL is then
embedded here. tests/api/test_actions_api.py holds this list and ActionSerializer (the detail) to
one shape, to the character.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterator
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.exceptions import NotFound

from actions.baseline import days_slipped
from actions.models import Action, ParentCarerView, Plan, Theme, Workstream
from send_tracker.accounts.models import Organisation, User
from send_tracker.numbers import LARGEST


def _names(through_model: type[models.Model], target_model: type[Theme | Workstream], target_column: str) -> str:
    """SQL for the names of an action's themes or workstreams, in name order."""
    q = connection.ops.quote_name
    through, target = q(through_model._meta.db_table), q(target_model._meta.db_table)
    names = (
        f"SELECT {target}.{q('name')} FROM {through} INNER JOIN {target} "
        f"ON {through}.{q(target_column)} = {target}.{q('id')} "
        f"WHERE {through}.{q('action_id')} = {q('a')}.{q('id')}"
    )
    if connection.vendor == "postgresql":
        return f"ARRAY({names} ORDER BY {target}.{q('name')})"
    # SQLite's json_group_array keeps no promised order; the names are sorted once read.
    return f"(SELECT json_group_array({q('name')}) FROM ({names}))"


def _baseline_columns() -> tuple[list[str], list[Any]]:
    """SQL for an action's baseline target date and how many times its target date changed after
    sign-off, as actions.baseline works them out: the newest history row of the end of the sign-off
    day (Europe/London), and every later row whose date differs from the row before it (the row
    an action was added with is no change). No sign-off: no baseline and no revisions."""
    q = connection.ops.quote_name
    history = q(Action.history.model._meta.db_table)
    h, r = q("h"), q("r")
    zone = settings.TIME_ZONE
    day, day_params = connection.ops.datetime_cast_date_sql(f"{h}.{q('history_date')}", (), zone)
    later_day, later_params = connection.ops.datetime_cast_date_sql(f"{r}.{q('d')}", (), zone)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    approved = f"{q('p')}.{q('approved_date')}"
    baseline = (
        f"(SELECT {h}.{q('due_date')} FROM {history} {h} WHERE {h}.{q('id')} = {q('a')}.{q('id')} "
        f"AND {day} <= {approved} ORDER BY {h}.{q('history_date')} DESC, {h}.{q('history_id')} DESC LIMIT 1)"
    )
    order = f"ORDER BY {h}.{q('history_date')}, {h}.{q('history_id')}"
    rows = (
        f"SELECT {h}.{q('history_date')} AS {q('d')}, {h}.{q('due_date')} AS {q('due')}, "
        f"LAG({h}.{q('due_date')}) OVER ({order}) AS {q('prev')}, ROW_NUMBER() OVER ({order}) AS {q('n')} "
        f"FROM {history} {h} WHERE {h}.{q('id')} = {q('a')}.{q('id')}"
    )
    revisions = (
        f"(SELECT COUNT(*) FROM ({rows}) {r} WHERE {r}.{q('n')} > 1 AND {later_day} > {approved} "
        f"AND {r}.{q('due')} {differs} {r}.{q('prev')})"
    )
    return [baseline, revisions], [*day_params, *later_params]


@functools.cache
def _select(vendor: str) -> tuple[str, tuple[Any, ...]]:
    q = connection.ops.quote_name
    action, plan, organisation, person = (q(model._meta.db_table) for model in (Action, Plan, Organisation, User))
    a, p, o, u, v = q("a"), q("p"), q("o"), q("u"), q("v")
    views = q(ParentCarerView._meta.db_table)
    full_name = f"TRIM({u}.{q('first_name')} || ' ' || {u}.{q('last_name')})"
    lead_officer = (
        f"CASE WHEN {u}.{q('id')} IS NOT NULL THEN COALESCE(NULLIF({full_name}, ''), {u}.{q('username')}) "
        f"ELSE NULLIF({a}.{q('lead_officer_name')}, '') END"
    )
    baseline, params = _baseline_columns()
    columns = ", ".join(
        [
            *(f"{a}.{q(name)}" for name in ("id", "published_ref", "description", "due_date", "due_date_text", "brag")),
            f"{o}.{q('name')}",
            f"{a}.{q('version')}",
            f"{a}.{q('updated_at')}",
            _names(Action.themes.through, Theme, "theme_id"),
            _names(Action.workstreams.through, Workstream, "workstream_id"),
            lead_officer,
            f"{a}.{q('success_measure')}",
            f"{a}.{q('status')}",
            *baseline,
            *(f"{v}.{q(name)}" for name in FORUM_VIEW_COLUMNS),
        ]
    )
    sql = (
        f"SELECT {columns} FROM {action} {a} INNER JOIN {plan} {p} ON {a}.{q('plan_id')} = {p}.{q('id')} "
        f"LEFT OUTER JOIN {organisation} {o} ON {a}.{q('owner_id')} = {o}.{q('id')} "
        f"LEFT OUTER JOIN {person} {u} ON {a}.{q('lead_officer_id')} = {u}.{q('id')}"
        # The forum's view now: the action's latest.
        f" LEFT OUTER JOIN {views} {v} ON {v}.{q('id')} = "
        f"(SELECT MAX({q('w')}.{q('id')}) FROM {views} {q('w')} WHERE {q('w')}.{q('action_id')} = {a}.{q('id')})"
    )
    return sql, tuple(params)


class ActionRows:
    """Actions as the API lists them, read by one statement.

    Shaped like the little of a queryset that DRF's CursorPagination uses (order_by on id, a
    filter on id, a slice), so that pages, cursors and links are DRF's own. `partnership_ids` is
    who may read (None: every partnership); `matching`, if given, is the ORM queryset that
    django-filter narrowed, embedded as a subquery.
    """

    def __init__(
        self,
        partnership_ids: list[int] | None,
        matching: QuerySet[Action] | None = None,
        *,
        descending: bool = False,
        after: int | None = None,
        before: int | None = None,
    ) -> None:
        self.partnership_ids = partnership_ids
        self.matching = matching
        self.descending = descending
        self.after = after
        self.before = before

    def _copy(self, **changes: Any) -> Self:
        state = {"descending": self.descending, "after": self.after, "before": self.before, **changes}
        return type(self)(self.partnership_ids, self.matching, **state)

    def order_by(self, *fields: str) -> Self:
        if fields not in (("id",), ("-id",)):
            raise ValueError(f"The action list is ordered by id only, not {fields}.")
        return self._copy(descending=fields == ("-id",))

    def filter(self, **lookups: Any) -> Self:
        (lookup, value), *others = lookups.items()
        if others or lookup not in ("id__gt", "id__lt"):
            raise ValueError(f"The action list filters on its position only, not {lookups}.")
        try:
            position = int(value)
        except (TypeError, ValueError):
            position = None
        if position is None or abs(position) > LARGEST:  # a cursor no id column could hold
            raise NotFound("Invalid cursor")
        return self._copy(**{"after" if lookup == "id__gt" else "before": position})

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        offset = page.start or 0
        return self._read(limit=page.stop - offset, offset=offset)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._read())

    def _read(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        if self.partnership_ids == [] or (limit is not None and limit <= 0):
            return []
        q = connection.ops.quote_name
        conditions: list[str] = []
        params: list[Any] = []
        if self.partnership_ids is not None:
            conditions.append(f"{q('p')}.{q('partnership_id')} IN ({', '.join(['%s'] * len(self.partnership_ids))})")
            params.extend(self.partnership_ids)
        if self.matching is not None:
            try:
                subquery, subquery_params = self.matching.values("id").order_by().query.sql_with_params()
            except EmptyResultSet:  # the ORM can tell the filters match nothing
                return []
            conditions.append(f"{q('a')}.{q('id')} IN ({subquery})")
            params.extend(subquery_params)
        for position, operator in ((self.after, ">"), (self.before, "<")):
            if position is not None:
                conditions.append(f"{q('a')}.{q('id')} {operator} %s")
                params.append(position)
        sql, select_params = _select(connection.vendor)
        params = [*select_params, *params]
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += f" ORDER BY {q('a')}.{q('id')} {'DESC' if self.descending else 'ASC'}"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params.extend([limit, offset])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        zone = timezone.get_current_timezone()
        return [_listed(row, zone) for row in rows]


_UTC = datetime.UTC


def _listed(row: tuple[Any, ...], zone: datetime.tzinfo) -> dict[str, Any]:
    (id_, ref, objective, due_date, due_date_text, brag, owner, version, updated_at, themes, workstreams) = row[:11]
    lead_officer, success_measure, status, baseline_due_date, due_date_revisions = row[11:16]
    position, commentary, on_rating, given_at, reply = row[16:]
    due_date, baseline_due_date = _day(due_date), _day(baseline_due_date)
    return {
        "id": id_,
        "ref": ref,
        "objective": objective,
        "themes": _name_list(themes),
        "workstreams": _name_list(workstreams),
        "due_date": _date(due_date),
        "due_date_text": due_date_text,
        "brag": brag,
        "owner": owner,
        "version": version,
        "updated_at": iso_moment(updated_at, zone),
        "lead_officer": lead_officer,
        "success_measure": success_measure,
        "status": status,
        "baseline_due_date": _date(baseline_due_date),
        "due_date_revisions": due_date_revisions,
        "days_slipped": days_slipped(baseline_due_date, due_date),
        "parent_carer_view": forum_view_fields(
            position,
            commentary,
            on_rating,
            on_rating == brag,
            given_at,
            reply,
            zone,
        )
        if position
        else None,
    }


# The forum's view's columns the list reads, in the order forum_view_fields takes them.
FORUM_VIEW_COLUMNS = ("position", "commentary", "on_rating", "given_at", "reply")


def forum_view_fields(
    position: str,
    commentary: str,
    on_rating: str,
    on_current_rating: bool,
    given_at: datetime.datetime | str,
    reply: str,
    zone: datetime.tzinfo,
) -> dict[str, Any]:
    """The action's `parent_carer_view`, alike in the list and the detail (ActionSerializer)."""
    return {
        "position": position,
        "commentary": commentary,
        "on_rating": on_rating,
        "on_current_rating": on_current_rating,
        "given_at": iso_moment(given_at, zone),
        "reply": reply or None,
    }


def _day(value: datetime.date | str | None) -> datetime.date | None:
    """A date column as a date (SQLite gives text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _name_list(value: list[str] | str) -> list[str]:
    return value if isinstance(value, list) else sorted(json.loads(value))


def _date(value: datetime.date | str | None) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def iso_moment(moment: datetime.datetime | str | None, zone: datetime.tzinfo) -> str | None:
    """DRF's rendering of a DateTimeField (ISO 8601 in the current time zone `zone`, 'Z' for UTC),
    so the list and the detail agree to the character, without building a field for every row.
    The database's moments are UTC (SQLite's come back without a zone)."""
    if not moment:
        return None
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_UTC)
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
