"""The product's charts, drawn on the server as inline SVG: no script, no style attributes (the
Content Security Policy allows neither), presentation attributes only. Every app's charts are laid
out here (the base imports no app): line charts (an indicator against its target and benchmarks),
stacked columns (the plan's actions by rating at each meeting), bars (the public page's summary),
a 5 by 5 heat map (risks by likelihood and impact) and a sparkline (an indicator's recent trend).

Nothing is told by colour alone: lines have their own dash pattern and point marker and are named
at their end; columns and bars carry their counts as text and each rating its own fill pattern;
heat map cells carry their count and score. The SVG is one image to assistive technology
(role="img" with a summary); the table that always goes with it carries every figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str
    width: int
    marker: str
    description: str


# GOV.UK palette colours with at least 3:1 contrast on white (WCAG 1.4.11); the first is for the
# area the page is about, so it is the boldest.
STYLES: tuple[LineStyle, ...] = (
    LineStyle("#0b0c0c", "none", 4, "circle", "solid black line, round points"),
    LineStyle("#1d70b8", "10 6", 3, "square", "blue dashed line, square points"),
    LineStyle("#d4351c", "3 5", 3, "triangle", "red dotted line, triangle points"),
    LineStyle("#00703c", "14 5 3 5", 3, "diamond", "green dash-dot line, diamond points"),
    LineStyle("#4c2c92", "6 3", 3, "bar", "purple short-dashed line, bar points"),
    LineStyle("#505a5f", "2 3 8 3", 3, "circle", "grey dot-dash line, round points"),
)
TARGET_STYLE = LineStyle("#505a5f", "8 5", 3, "bar", "grey dashed line, level across each period")

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 180, 20, 50
LABEL_GAP = 17


@dataclass
class SeriesInput:
    label: str
    values: Sequence[Decimal | None]
    style: LineStyle | None = None
    # A step series (a target) holds its level across each period and jumps, never slopes, to the
    # next: a diagonal would suggest a target that changed gradually.
    step: bool = False


@dataclass
class DrawnSeries:
    label: str
    style: LineStyle
    paths: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    label_x: float = 0.0
    label_y: float = 0.0
    has_points: bool = False


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    description: str
    series: list[DrawnSeries]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def nice_maximum(highest: float, cap: float | None) -> tuple[float, float]:
    """A round top for the axis and a round step between gridlines."""
    if highest <= 0:
        highest = 1.0
    raw_step = highest / 5
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    top = math.ceil(highest / step) * step
    if cap is not None and top >= cap * 0.8:
        return cap, cap / 5
    return top, step


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "square":
        return f"M{x - 4.5:.1f} {y - 4.5:.1f}h9v9h-9Z"
    if kind == "triangle":
        return f"M{x:.1f} {y - 6:.1f}L{x + 6:.1f} {y + 4.5:.1f}L{x - 6:.1f} {y + 4.5:.1f}Z"
    if kind == "diamond":
        return f"M{x:.1f} {y - 6:.1f}L{x + 6:.1f} {y:.1f}L{x:.1f} {y + 6:.1f}L{x - 6:.1f} {y:.1f}Z"
    if kind == "bar":
        return f"M{x - 7:.1f} {y - 2:.1f}h14v4h-14Z"
    return f"M{x - 5:.1f} {y:.1f}a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z"


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[SeriesInput],
    *,
    description: str,
    format_tick: Callable[[float], str],
    cap: float | None = None,
    label_every: int | None = None,
) -> LineChart:
    """Lay out a line chart of `series` over `x_labels`. None values leave a gap in the line."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    numbers = [float(v) for s in series for v in s.values if v is not None]
    top_value, step = nice_maximum(max(numbers, default=0.0), cap)
    count = len(x_labels)

    def x_at(index: int) -> float:
        return LEFT + plot_width / 2 if count == 1 else LEFT + index * plot_width / (count - 1)

    def y_at(value: float) -> float:
        return TOP + plot_height * (1 - value / top_value)

    every = label_every or max(1, math.ceil(count / 8))
    x_ticks = [Tick(x_at(i), label) for i, label in enumerate(x_labels) if i % every == 0]
    half_step = 0.0 if count < 2 else plot_width / (count - 1) / 2
    y_ticks = []
    tick = 0.0
    while tick <= top_value + step / 1000:
        y_ticks.append(Tick(y_at(tick), format_tick(tick)))
        tick += step
    drawn: list[DrawnSeries] = []
    for position, item in enumerate(series):
        style = item.style or STYLES[position % len(STYLES)]
        line = DrawnSeries(label=item.label, style=style)
        run: list[str] = []
        last_point: tuple[float, float] | None = None
        for index, value in enumerate(item.values):
            if value is None:
                if len(run) > 1:
                    line.paths.append("".join(run))
                run = []
                continue
            x, y = x_at(index), y_at(float(value))
            if item.step:
                start, end = max(LEFT, x - half_step), min(WIDTH - RIGHT, x + half_step)
                line.paths.append(f"M{start:.1f} {y:.1f}H{end:.1f}")
                last_point = (end, y)
                continue
            run.append(f"{'M' if not run else 'L'}{x:.1f} {y:.1f}")
            line.markers.append(_marker(style.marker, x, y))
            last_point = (x, y)
        if len(run) > 1:
            line.paths.append("".join(run))
        if last_point is not None:
            line.has_points = True
            line.label_x, line.label_y = last_point[0] + 12, last_point[1] + 5
        drawn.append(line)
    _spread_labels([line for line in drawn if line.has_points])
    return LineChart(description=description, series=drawn, x_ticks=x_ticks, y_ticks=y_ticks)


def _spread_labels(lines: list[DrawnSeries]) -> None:
    """Move the end-of-line names apart so that none overlaps another."""
    ordered = sorted(lines, key=lambda line: line.label_y)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.label_y - before.label_y < LABEL_GAP:
            after.label_y = before.label_y + LABEL_GAP
    overflow = (ordered[-1].label_y if ordered else 0) - (HEIGHT - BOTTOM + 5)
    if overflow > 0:
        for line in ordered:
            line.label_y -= overflow
        for before, after in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=False):
            if after.label_y - before.label_y < LABEL_GAP:
                before.label_y = after.label_y - LABEL_GAP


# --- Stacked columns and bars: counts by category, each category with its own fill pattern ----------


@dataclass(frozen=True)
class Category:
    """One stacked category (a rating): its name, fill, a pattern that tells it apart without
    colour (an SVG pattern id drawn by templates/charts/_patterns.html, or "" for a plain fill),
    and the colour of text drawn on it."""

    key: str
    label: str
    fill: str
    pattern: str
    ink: str
    description: str


@dataclass
class Segment:
    category: Category
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def label_y(self) -> float:
        return self.y + self.height / 2 + 5

    @property
    def shows_label(self) -> bool:
        return self.value > 0 and self.height >= 18 and self.width >= 18


@dataclass
class Column:
    label: str
    total: int
    segments: list[Segment]
    label_x: float
    total_y: float

    @property
    def label_lines(self) -> list[str]:
        """A long label ("17 Jan 2024") on two lines, so that neighbours never overlap."""
        first, _, last = self.label.rpartition(" ")
        return [first, last] if first and len(self.label) > 8 else [self.label]


@dataclass
class StackedChart:
    description: str
    columns: list[Column]
    categories: list[Category]
    y_ticks: list[Tick]
    width: int
    height: int
    left: int
    top: int
    right_edge: int
    bottom_edge: int


COLUMNS_WIDTH, COLUMNS_HEIGHT = 760, 340
COLUMNS_LEFT, COLUMNS_RIGHT, COLUMNS_TOP, COLUMNS_BOTTOM = 48, 16, 28, 52


def stacked_columns(
    labels: Sequence[str],
    categories: Sequence[Category],
    counts: Sequence[dict[str, int]],
    *,
    description: str,
) -> StackedChart:
    """A column for each label (a meeting), stacked by category from the bottom, its total above it.
    `counts[i]` holds the counts of column i by category key."""
    plot_width = COLUMNS_WIDTH - COLUMNS_LEFT - COLUMNS_RIGHT
    plot_height = COLUMNS_HEIGHT - COLUMNS_TOP - COLUMNS_BOTTOM
    totals = [sum(column.get(c.key, 0) for c in categories) for column in counts]
    top_value, step = nice_maximum(float(max(totals, default=0)), None)
    slot = plot_width / max(1, len(labels))
    bar = min(72.0, slot * 0.62)
    bottom = COLUMNS_TOP + plot_height
    columns = []
    for index, label in enumerate(labels):
        x = COLUMNS_LEFT + slot * index + (slot - bar) / 2
        y = float(bottom)
        segments = []
        for category in categories:
            value = counts[index].get(category.key, 0)
            height = plot_height * value / top_value
            y -= height
            segments.append(Segment(category, value, x, y, bar, height))
        columns.append(Column(label, totals[index], segments, x + bar / 2, y - 8))
    y_ticks = []
    tick = 0.0
    while tick <= top_value + step / 1000:
        y_ticks.append(Tick(bottom - plot_height * tick / top_value, f"{tick:g}"))
        tick += step
    return StackedChart(
        description=description,
        columns=columns,
        categories=list(categories),
        y_ticks=y_ticks,
        width=COLUMNS_WIDTH,
        height=COLUMNS_HEIGHT,
        left=COLUMNS_LEFT,
        top=COLUMNS_TOP,
        right_edge=COLUMNS_WIDTH - COLUMNS_RIGHT,
        bottom_edge=bottom,
    )


@dataclass
class Bar:
    category: Category
    value: int
    y: float
    width: float
    value_x: float


@dataclass
class BarChart:
    description: str
    bars: list[Bar]
    width: int
    height: int
    left: int
    bar_height: int


BARS_WIDTH, BARS_LEFT, BARS_ROW, BARS_BAR = 640, 150, 40, 28


def bar_chart(categories: Sequence[Category], counts: dict[str, int], *, description: str) -> BarChart:
    """A horizontal bar for each category, named on its left, its count at its end."""
    highest = max((counts.get(c.key, 0) for c in categories), default=0) or 1
    room = BARS_WIDTH - BARS_LEFT - 60
    bars = []
    for index, category in enumerate(categories):
        value = counts.get(category.key, 0)
        width = room * value / highest
        bars.append(Bar(category, value, index * BARS_ROW + 6, width, BARS_LEFT + width + 8))
    return BarChart(description, bars, BARS_WIDTH, len(bars) * BARS_ROW + 12, BARS_LEFT, BARS_BAR)


# --- A heat map: how many items fall in each cell of a 5 by 5 grid --------------------------------


@dataclass(frozen=True)
class Band:
    """A band of scores (a risk level), its fill and a word that says it without colour."""

    key: str
    label: str
    fill: str
    lowest: int
    highest: int


@dataclass
class HeatCell:
    row_value: int
    column_value: int
    count: int
    band: Band
    x: int
    y: int

    @property
    def score(self) -> int:
        return self.row_value * self.column_value


@dataclass
class HeatMap:
    title: str
    description: str
    cells: list[HeatCell]
    rows: list[int]
    columns: list[int]
    key: str = ""
    row_name: str = "Likelihood"
    cell: int = 52
    left: int = 56
    top: int = 8

    @property
    def width(self) -> int:
        return self.left + self.cell * len(self.columns) + 8

    @property
    def height(self) -> int:
        return self.top + self.cell * len(self.rows) + 52

    @property
    def grid_bottom(self) -> int:
        return self.top + self.cell * len(self.rows)

    @property
    def grid_middle_x(self) -> float:
        return self.left + self.cell * len(self.columns) / 2

    @property
    def grid_middle_y(self) -> float:
        return self.top + self.cell * len(self.rows) / 2

    def count_at(self, row_value: int, column_value: int) -> int:
        return next(c.count for c in self.cells if c.row_value == row_value and c.column_value == column_value)

    def table_rows(self) -> list[dict[str, Any]]:
        """The counts as the map draws them: the highest row first, a count for each column."""
        return [
            {"value": row, "label": f"{self.row_name} {row}", "counts": [self.count_at(row, c) for c in self.columns]}
            for row in self.rows
        ]


def heat_map(
    pairs: Sequence[tuple[int, int]],
    bands: Sequence[Band],
    *,
    title: str,
    description: str,
    key: str,
    row_name: str = "Likelihood",
    size: int = 5,
) -> HeatMap:
    """Count (row, column) pairs, such as (likelihood, impact), in a size-by-size grid: the highest
    row at the top, as risk matrices are drawn. Each cell's band comes from row times column."""
    grid = HeatMap(
        title=title,
        description=description,
        cells=[],
        rows=[],
        columns=list(range(1, size + 1)),
        key=key,
        row_name=row_name,
    )
    grid.rows = list(range(size, 0, -1))
    for row_index, row_value in enumerate(grid.rows):
        for column_index, column_value in enumerate(grid.columns):
            score = row_value * column_value
            band = next(b for b in bands if b.lowest <= score <= b.highest)
            count = sum(1 for pair in pairs if pair == (row_value, column_value))
            grid.cells.append(
                HeatCell(
                    row_value,
                    column_value,
                    count,
                    band,
                    grid.left + column_index * grid.cell,
                    grid.top + row_index * grid.cell,
                )
            )
    return grid


# --- A sparkline: a small trend line beside a figure ------------------------------------------------


@dataclass
class Sparkline:
    description: str
    path: str
    last_x: float
    last_y: float
    width: int = 120
    height: int = 32


def sparkline(values: Sequence[Decimal | float], *, description: str) -> Sparkline | None:
    """A line through `values` (oldest first) scaled to their own range; None for fewer than two."""
    if len(values) < 2:
        return None
    width, height, pad = 120, 32, 5
    numbers = [float(v) for v in values]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(numbers) - 1)
    points = [(pad + i * step, height - pad - (n - low) / span * (height - 2 * pad)) for i, n in enumerate(numbers)]
    if high == low:
        points = [(x, height / 2) for x, _ in points]
    path = "".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))
    return Sparkline(description, path, points[-1][0], points[-1][1])
