"""The partner API's list of actions, read with one SQL statement written for it.

`GET /api/v1/actions/` is what partners' systems poll, so it is built for speed: one statement
brings a page of actions with their owners, themes and workstreams, and the rows go to the
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

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.exceptions import NotFound

from actions.models import Action, Plan, Theme, Workstream
from send_tracker.accounts.models import Organisation
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


@functools.cache
def _select(vendor: str) -> str:
    q = connection.ops.quote_name
    action, plan, organisation = (q(model._meta.db_table) for model in (Action, Plan, Organisation))
    a, p, o = q("a"), q("p"), q("o")
    columns = ", ".join(
        [
            *(f"{a}.{q(name)}" for name in ("id", "published_ref", "description", "due_date", "due_date_text", "brag")),
            f"{o}.{q('name')}",
            f"{a}.{q('version')}",
            f"{a}.{q('updated_at')}",
            _names(Action.themes.through, Theme, "theme_id"),
            _names(Action.workstreams.through, Workstream, "workstream_id"),
        ]
    )
    return (
        f"SELECT {columns} FROM {action} {a} INNER JOIN {plan} {p} ON {a}.{q('plan_id')} = {p}.{q('id')} "
        f"LEFT OUTER JOIN {organisation} {o} ON {a}.{q('owner_id')} = {o}.{q('id')}"
    )


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
        sql = _select(connection.vendor)
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
    (id_, ref, objective, due_date, due_date_text, brag, owner, version, updated_at, themes, workstreams) = row
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
    }


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
