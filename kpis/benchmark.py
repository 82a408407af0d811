"""Benchmarking on the DfE's published figures: an authority against England, its region and
chosen authorities, year by year, with its rank among all authorities.

A local authority is followed by its DfE three-digit number (old_la_code), not its ONS code: the
ONS code of an authority sometimes changes while the authority does not (Buckinghamshire appears
as E10000002 and E06000060 in the 2025 release), and a trend must not break when it does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .charts import LineChart, SeriesInput, line_chart
from .choices import DFE_MEASURE_PARTS, DfeMeasure, GeographicLevel, MissingReason
from .models import EhcpTimeliness

ENGLAND_CODE = "E92000001"
# The Task and Finish Group's terms of reference (2023) ask what the council can learn from the top-performing authority, Hertfordshire.
HERTFORDSHIRE_CODE = "E10000015"
DEFAULT_COMPARATORS = (HERTFORDSHIRE_CODE,)
MAX_COMPARATORS = 3


class Role:
    AREA = "area"
    NATIONAL = "national"
    REGIONAL = "regional"
    COMPARATOR = "comparator"


ROLE_LABELS = {
    Role.AREA: "Local authority",
    Role.NATIONAL: "England",
    Role.REGIONAL: "Region",
    Role.COMPARATOR: "Comparator",
}


@dataclass(frozen=True)
class Authority:
    """A local authority as the latest published row names it."""

    key: str
    code: str
    name: str
    old_la_code: str
    region_code: str
    region_name: str


@dataclass(frozen=True)
class Cell:
    year: int
    area_code: str
    area_name: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    missing_code: str | None
    missing_label: str | None


@dataclass(frozen=True)
class Rank:
    rank: int
    of: int
    joint: bool

    @property
    def label(self) -> str:
        return f"{'joint ' if self.joint else ''}{ordinal(self.rank)} of {self.of}"


@dataclass
class BenchSeries:
    role: str
    code: str
    name: str
    level: str
    cells: dict[int, Cell] = field(default_factory=dict)
    ranks: dict[int, Rank] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        if self.role == Role.NATIONAL:
            return self.name
        if self.role == Role.REGIONAL:
            return f"{self.name} (region)"
        if self.role == Role.COMPARATOR:
            return f"{self.name} (comparator)"
        return self.name


@dataclass
class Benchmark:
    measure: str
    area: Authority
    years: list[int]
    series: list[BenchSeries]

    @property
    def measure_label(self) -> str:
        return DfeMeasure(self.measure).label

    @property
    def area_series(self) -> BenchSeries:
        return self.series[0]

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "year": year,
                "cells": [series.cells.get(year) for series in self.series],
                "rank": self.area_series.ranks.get(year),
            }
            for year in self.years
        ]

    @property
    def ranked_series(self) -> list[BenchSeries]:
        return [series for series in self.series if series.level == GeographicLevel.LOCAL_AUTHORITY]

    def rank_rows(self) -> list[dict[str, object]]:
        ranked = self.ranked_series
        return [{"year": year, "ranks": [series.ranks.get(year) for series in ranked]} for year in self.years]

    def chart(self) -> LineChart:
        inputs = [
            SeriesInput(
                label=series.name,
                values=[series.cells[year].value if year in series.cells else None for year in self.years],
            )
            for series in self.series
        ]
        trends = []
        for series in self.series:
            known = [(year, series.cells[year].value) for year in self.years if year in series.cells]
            known = [(year, value) for year, value in known if value is not None]
            if known:
                trends.append(f"{series.name} {known[0][1]}% in {known[0][0]}, {known[-1][1]}% in {known[-1][0]}")
            else:
                trends.append(f"{series.name} no published figure")
        span = f"{self.years[0]} to {self.years[-1]}" if self.years else "no years"
        description = (
            f"Line chart of the percentage of {self.measure_label.removesuffix(' (%)').lower().replace('ehc', 'EHC')}, "
            f"{span}: {'; '.join(trends)}. Every figure is in the table below."
        )
        return line_chart(
            [str(year) for year in self.years],
            inputs,
            description=description,
            format_tick=lambda tick: f"{tick:g}%",
            cap=100.0,
        )


class UnknownAreaError(ValueError):
    def __init__(self, field_name: str, code: str) -> None:
        self.field_name = field_name
        self.code = code
        super().__init__(f"There are no published figures for an authority with the code {code}.")


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _key(old_la_code: str, area_code: str) -> str:
    return f"la:{old_la_code}" if old_la_code else f"code:{area_code}"


class Directory:
    """Every local authority in the published figures, with all its rows. One query."""

    def __init__(self, measure: str) -> None:
        numerator, denominator = DFE_MEASURE_PARTS[measure]
        self.measure = measure
        self.rows_by_key: dict[str, list[dict[str, object]]] = defaultdict(list)
        self.key_by_code: dict[str, str] = {}
        rows = (
            EhcpTimeliness.objects.local_authorities()
            .order_by("year")
            .values(
                "area_code",
                "area_name",
                "old_la_code",
                "region_code",
                "region_name",
                "year",
                "missing",
                measure,
                numerator,
                denominator,
            )
        )
        for row in rows:
            key = _key(str(row["old_la_code"]), str(row["area_code"]))
            self.rows_by_key[key].append(row)
            self.key_by_code[str(row["area_code"])] = key
        self._numerator, self._denominator = numerator, denominator

    def authority(self, key: str) -> Authority:
        latest = self.rows_by_key[key][-1]
        return Authority(
            key=key,
            code=str(latest["area_code"]),
            name=str(latest["area_name"]),
            old_la_code=str(latest["old_la_code"]),
            region_code=str(latest["region_code"]),
            region_name=str(latest["region_name"]),
        )

    def find(self, code: str) -> Authority | None:
        key = self.key_by_code.get(code.strip().upper())
        return self.authority(key) if key else None

    def authorities(self) -> list[Authority]:
        return sorted((self.authority(key) for key in self.rows_by_key), key=lambda a: a.name)

    def cells(self, key: str) -> dict[int, Cell]:
        return {int(str(row["year"])): self.cell(row) for row in self.rows_by_key.get(key, [])}

    def cell(self, row: dict[str, object]) -> Cell:
        raw = row.get("missing")
        missing: dict[str, object] = raw if isinstance(raw, dict) else {}
        raw_code = missing.get(self.measure)
        code = None if raw_code is None else str(raw_code)
        return Cell(
            year=int(str(row["year"])),
            area_code=str(row["area_code"]),
            area_name=str(row["area_name"]),
            value=row[self.measure],  # type: ignore[arg-type]
            numerator=row[self._numerator],  # type: ignore[arg-type]
            denominator=row[self._denominator],  # type: ignore[arg-type]
            missing_code=code,
            missing_label=MissingReason(code).label if code in MissingReason.values else code,
        )

    def ranks(self) -> dict[tuple[str, int], Rank]:
        """Each authority's rank each year among all authorities with a figure; 1st is the highest
        share of plans issued within 20 weeks. Ties share a rank ("joint")."""
        by_year: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
        for key, rows in self.rows_by_key.items():
            for row in rows:
                value = row[self.measure]
                if value is not None:
                    by_year[int(str(row["year"]))].append((key, value))  # type: ignore[arg-type]
        ranks: dict[tuple[str, int], Rank] = {}
        for year, entries in by_year.items():
            values = sorted((value for _, value in entries), reverse=True)
            for key, value in entries:
                better = sum(1 for other in values if other > value)
                ranks[(key, year)] = Rank(rank=better + 1, of=len(values), joint=values.count(value) > 1)
        return ranks


def build_benchmark(directory: Directory, area: Authority, comparators: list[Authority]) -> Benchmark:
    measure = directory.measure
    numerator, denominator = DFE_MEASURE_PARTS[measure]
    ranks = directory.ranks()
    series = [BenchSeries(Role.AREA, area.code, area.name, GeographicLevel.LOCAL_AUTHORITY, directory.cells(area.key))]
    # England and the region: one query for both.
    condition = Q(level=GeographicLevel.NATIONAL, area_code=ENGLAND_CODE)
    if area.region_code:
        condition |= Q(level=GeographicLevel.REGIONAL, area_code=area.region_code)
    national = BenchSeries(Role.NATIONAL, ENGLAND_CODE, "England", GeographicLevel.NATIONAL)
    regional = BenchSeries(Role.REGIONAL, area.region_code, area.region_name, GeographicLevel.REGIONAL)
    for row in EhcpTimeliness.objects.filter(condition).values(
        "level", "area_code", "area_name", "year", "missing", measure, numerator, denominator
    ):
        target = national if row["level"] == GeographicLevel.NATIONAL else regional
        target.name = str(row["area_name"])
        target.cells[int(row["year"])] = directory.cell(row)
    series.append(national)
    if area.region_code:
        series.append(regional)
    for comparator in comparators:
        series.append(
            BenchSeries(
                Role.COMPARATOR,
                comparator.code,
                comparator.name,
                GeographicLevel.LOCAL_AUTHORITY,
                directory.cells(comparator.key),
            )
        )
    authorities = {area.code: area, **{c.code: c for c in comparators}}
    for item in series:
        if item.level == GeographicLevel.LOCAL_AUTHORITY:
            key = authorities[item.code].key
            item.ranks = {year: rank for (k, year), rank in ranks.items() if k == key}
    years = sorted({year for item in series for year in item.cells})
    return Benchmark(measure=measure, area=area, years=years, series=series)
