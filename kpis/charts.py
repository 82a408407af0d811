"""Server-drawn line charts: inline SVG, no script, no style attributes (the CSP allows neither).

Lines differ by more than colour: each has its own dash pattern and point marker, and is named in
text at its end. The SVG is one image to assistive technology (role="img" with a summary); the
table that always follows it carries every figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


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
