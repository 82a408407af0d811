"""The dashboard's headline figures, each with its change since the last meeting of the plan's
board, and the chart of the plan's actions by rating at each of that board's meetings.

What each figure is now comes from the apps' dashboard sections (already read); what it was at a
meeting comes from history, read in a fixed number of queries however long the history: one for
the plan's actions (every rating, status and target date change up to the last meeting, and in the
same query every view the parent carer forum gave of their ratings, replayed here to each meeting's
end of day, as governance/as_it_stood.py reads the plan as it stood) and one for the indicators'
figures. The recommendations owed a response then are counted from the
rows the recommendations section read. With no meeting held yet there is nothing to compare with,
and nothing more is read.

Everything here is for the partnership, never the reader: it is part of the cached content.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DateField, IntegerField, Value
from django.db.models.functions import Cast
from django.urls import reverse

from actions.choices import BRAG_DISPLAY_ORDER, ActionStatus, Brag, ForumPosition
from actions.models import Action, ParentCarerView, Plan
from actions.reports import NOT_RATED
from governance.models import Meeting, end_of_day
from kpis.choices import Rating
from kpis.models import IndicatorValue
from send_tracker.charts import BarChart, Category, StackedChart, bar_chart, stacked_columns

# The meetings the ratings chart draws: the board's latest this many, and now.
CHART_MEETINGS = 8
DONE = (Brag.GREEN, Brag.BLUE)

# Each rating's fill and a pattern of its own, so that the chart reads without colour; white text
# (over 4.5:1) on the dark fills, black on the light ones. The counts are drawn on a white label.
RATING_CATEGORIES: tuple[Category, ...] = (
    Category(Brag.BLUE, "Blue", "#1d70b8", "stripes", "#ffffff", "blue with horizontal stripes"),
    Category(Brag.GREEN, "Green", "#00703c", "", "#ffffff", "solid green"),
    Category(Brag.AMBER, "Amber", "#f47738", "dots", "#0b0c0c", "amber with dots"),
    Category(Brag.RED, "Red", "#d4351c", "hatch", "#ffffff", "red with diagonal hatching"),
    Category(Brag.GREY, "Grey", "#b1b4b6", "crosshatch", "#0b0c0c", "grey with cross-hatching"),
    Category(NOT_RATED, "Not yet rated", "#ffffff", "", "#0b0c0c", "white, outlined"),
)


@dataclass(frozen=True)
class Headline:
    """A headline figure now, the same figure at the board's last meeting (None: no meeting held,
    or the figure was not kept then), and the list behind it."""

    key: str
    label: str
    value: int
    before: int | None
    url: str
    # Whether more is better ("good"), worse ("bad") or neither: said in words beside the change.
    more_is: str = "bad"

    @property
    def change(self) -> int | None:
        return None if self.before is None else self.value - self.before

    @property
    def change_text(self) -> str:
        """'3 more', '2 fewer', 'No change', or '' where there is nothing to compare with."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "No change"
        return f"{abs(change)} {'more' if change > 0 else 'fewer'}"

    @property
    def verdict(self) -> str:
        """'better' or 'worse' in words, so the change is never told by its colour alone."""
        change = self.change
        if not change or self.more_is == "neutral":
            return ""
        return "better" if (change > 0) == (self.more_is == "good") else "worse"


@dataclass
class RatingsAt:
    """The plan's actions at the end of a day: open ones by rating, overdue, and target dates later
    than at sign-off."""

    on: datetime.date
    label: str
    counts: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    slipped: int | None = None
    # Open actions whose rating then the forum's view then disagreed with (forum_disagreements).
    forum_disagreements: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class RatingsChart:
    """Actions by rating at each meeting and now: the SVG and its table, from the same counts."""

    chart: StackedChart
    columns: list[RatingsAt]
    categories: Sequence[Category]

    def table_rows(self) -> list[dict[str, Any]]:
        order = [c for c in self.categories]
        return [
            {"label": column.label, "counts": [column.counts[c.key] for c in order], "total": column.total}
            for column in self.columns
        ]


def headline_section(plan: Plan | None, today: datetime.date, context: dict[str, Any]) -> dict[str, Any]:
    """The headline row and the ratings chart, from the sections' context (which it only reads)."""
    if plan is None:
        return {}
    meetings: list[Meeting] = context.get("plan_board_meetings", [])[-CHART_MEETINGS:]
    last = meetings[-1] if meetings else None
    history = _ratings_at_meetings(plan, meetings) if meetings else []
    then = history[-1] if history else None
    now = RatingsAt(today, "Now", Counter({row["value"]: row["count"] for row in context.get("totals", [])}))
    now.overdue = context.get("total_overdue", 0)
    now.slipped = context.get("slipped_since_sign_off")
    actions = reverse("actions:list")
    ratings = [
        Headline(
            f"rating_{category.key}",
            category.label,
            now.counts[category.key],
            then.counts[category.key] if then else None,
            f"{actions}?plan={plan.pk}&rating={category.key}",
            "good" if category.key in DONE else "bad" if category.key == Brag.RED else "neutral",
        )
        for category in _display_order()
    ]
    figures = [
        Headline(
            "overdue",
            "Actions overdue",
            now.overdue,
            then.overdue if then else None,
            f"{actions}?plan={plan.pk}&overdue=yes",
        )
    ]
    if now.slipped is not None:
        figures.append(
            Headline(
                "slipped",
                "Slipped since sign-off",
                now.slipped,
                then.slipped if then else None,
                reverse("actions:since_sign_off", args=[plan.pk]) + "#moved-later",
            )
        )
    candidates = context.get("response_candidates", [])
    figures.append(
        Headline(
            "responses_due",
            "Responses due",
            len(context.get("awaiting_response", [])),
            sum(1 for r in candidates if r.was_owed_a_response_on(last.date)) if last else None,
            reverse("recommendations:tracker") + "?status=awaiting_response",
        )
    )
    kpis = context.get("kpis", [])
    figures.append(
        Headline(
            "off_target",
            "Indicators off target",
            sum(1 for row in kpis if row["latest"] is not None and row["latest"].rating == Rating.MISSED),
            _off_target_at([row["indicator"].pk for row in kpis], last.date) if last else None,
            reverse("kpis:list") + "#indicators",
        )
    )
    if "forum_disagreements" in context:
        figures.append(
            Headline(
                "forum_disagreements",
                "Forum disagreements",
                _count(context["forum_disagreements"]),
                then.forum_disagreements if then else None,
                f"{actions}?plan={plan.pk}&forum=disagree",
            )
        )
    if "figures_due" in context:
        figures.append(
            Headline(
                "figures_due",
                "KPI figures due",
                _count(context["figures_due"]),
                None,
                reverse("kpis:list") + "#indicators",
            )
        )
    return {
        "headline_ratings": ratings,
        "headline_figures": figures,
        "headline_since": last,
        "ratings_chart": _ratings_chart(history + [now]) if history else None,
    }


def _count(value: int | Iterable[Any]) -> int:
    return value if isinstance(value, int) else len(list(value))


def _display_order() -> list[Category]:
    by_key = {c.key: c for c in RATING_CATEGORIES}
    return [by_key[value] for value in [*BRAG_DISPLAY_ORDER, NOT_RATED]]


def _ratings_at_meetings(plan: Plan, meetings: list[Meeting]) -> list[RatingsAt]:
    """The plan at the end of each meeting's day, from its actions' history: one query. Each
    action's newest row before that moment, as `governance.as_it_stood.latest_rows_as_of` picks it;
    a deleted action ("-") is left out."""
    sign_off = plan.approved_date
    days = sorted({m.date for m in meetings})
    moments: list[tuple[datetime.datetime, datetime.date | None]] = [(end_of_day(day), day) for day in days]
    if sign_off is not None and sign_off <= days[-1]:
        moments.append((end_of_day(sign_off), None))  # the baseline, for "later than at sign-off"
        moments.sort(key=lambda pair: pair[0])
    # The actions' rows, and the forum's views' rows in the same query: (whose: "action" or
    # "view", the action's id, when, type, then the action's rating, status and target date, or the
    # view's position, the rating it was given on and its own id).
    no_date = Cast(Value(None), DateField())
    actions = Action.history.model.objects.filter(plan_id=plan.pk, history_date__lt=moments[-1][0]).values_list(
        Value("action"), "id", "history_date", "history_type", "brag", "status", "due_date", Value(0), "history_id"
    )
    views = ParentCarerView.history.model.objects.filter(
        action__plan_id=plan.pk, history_date__lt=moments[-1][0]
    ).values_list(
        Value("view"),
        "action_id",
        "history_date",
        "history_type",
        "position",
        "on_rating",
        no_date,
        Cast("id", IntegerField()),
        "history_id",
    )
    # Each side without the history's default order, which SQLite refuses inside a UNION.
    records = actions.order_by().union(views.order_by(), all=True).order_by("history_date", "history_id")
    labels = {m.date: f"{m.date:%-d %b %Y}" for m in meetings}
    state: dict[int, tuple[str, str | None, str, datetime.date | None]] = {}
    # Each action's newest view: its id, position and the rating it was given on ("-": deleted).
    forum: dict[int, tuple[int, str, str]] = {}
    baseline: dict[int, datetime.date | None] | None = None
    result: list[RatingsAt] = []
    pending = iter(moments)
    moment, day = next(pending)
    done = False

    def snapshot() -> None:
        nonlocal baseline
        if day is None:
            baseline = {key: row[3] for key, row in state.items() if row[0] != "-"}
        else:
            result.append(_at(day, labels[day], state, baseline, forum))

    for whose, key, when, kind, brag, status, due, view_id, _ in records:
        while not done and when >= moment:
            snapshot()
            try:
                moment, day = next(pending)
            except StopIteration:
                done = True
        if whose == "action":
            state[key] = (kind, brag, status, due)
        elif key not in forum or view_id >= forum[key][0]:
            # Later views have higher ids; a view's later rows (its reply) come after its first.
            forum[key] = (view_id, brag if kind != "-" else "-", status)
    while not done:
        snapshot()
        try:
            moment, day = next(pending)
        except StopIteration:
            done = True
    return result


def _at(
    day: datetime.date,
    label: str,
    state: dict[int, tuple[str, str | None, str, datetime.date | None]],
    baseline: dict[int, datetime.date | None] | None,
    forum: dict[int, tuple[int, str, str]],
) -> RatingsAt:
    row = RatingsAt(day, label, slipped=0 if baseline is not None else None)
    for key, (kind, brag, status, due) in state.items():
        if kind == "-":
            continue
        base = baseline.get(key) if baseline is not None else None
        if row.slipped is not None and due and base and due > base:
            row.slipped += 1
        if status == ActionStatus.RETIRED:
            continue
        row.counts[brag or NOT_RATED] += 1
        view = forum.get(key)
        if view is not None and view[1] == ForumPosition.DISAGREE and view[2] == brag:
            row.forum_disagreements += 1
        if due and due < day and brag not in DONE:
            row.overdue += 1
    return row


def _off_target_at(indicator_ids: list[int], day: datetime.date) -> int | None:
    """How many indicators' latest figure (for a period ended by `day`), as recorded by its end,
    had missed its target: one query of the figures' history."""
    if not indicator_ids:
        return 0
    moment = end_of_day(day)
    records = (
        IndicatorValue.history.model.objects.filter(indicator_id__in=indicator_ids, history_date__lt=moment)
        .order_by("history_date", "history_id")
        .values_list("id", "indicator_id", "history_type", "period_start", "period_end", "rating")
    )
    figures = {record[0]: record for record in records}
    latest: dict[int, tuple[datetime.date, str | None]] = {}
    for _, indicator_id, kind, start, end, rating in figures.values():
        if kind != "-" and end <= day and (indicator_id not in latest or start > latest[indicator_id][0]):
            latest[indicator_id] = (start, rating)
    return sum(1 for _, rating in latest.values() if rating == Rating.MISSED)


def _ratings_chart(columns: list[RatingsAt]) -> RatingsChart:
    counts = [dict(column.counts) for column in columns]
    words = "; ".join(
        f"{column.label}: "
        + ", ".join(f"{column.counts[c.key]} {c.label}" for c in _display_order() if column.counts[c.key])
        for column in columns
    )
    chart = stacked_columns(
        [column.label for column in columns],
        RATING_CATEGORIES,
        counts,
        description=f"Open actions by rating at each meeting of the board and now. {words}.",
    )
    return RatingsChart(chart, columns, _display_order())


@dataclass
class RatingsSummary:
    """The public page's summary: the plan's open actions by rating as bars, and as a table."""

    chart: BarChart
    rows: list[dict[str, Any]]
    total: int
    overdue: int


def public_summary(areas: list[dict[str, Any]]) -> RatingsSummary:
    """From the public page's actions (actions.reports.public_section), already read: no query."""
    counts: Counter[str] = Counter()
    overdue = 0
    for area in areas:
        for action in area["actions"]:
            if not action["retired"]:
                counts[action["brag"] or NOT_RATED] += 1
                overdue += bool(action["overdue"])
    order = _display_order()
    total = sum(counts.values())
    words = ", ".join(f"{counts[c.key]} {c.label}" for c in order)
    chart = bar_chart(order, dict(counts), description=f"The plan's {total} open actions by rating: {words}.")
    rows = [{"key": c.key, "label": c.label, "count": counts[c.key]} for c in order]
    return RatingsSummary(chart, rows, total, overdue)
