"""The DfE timeliness importer on the real 2025 release and on files in the other two layouts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kpis.dfe_timeliness import (
    LAYOUT_2022,
    LAYOUT_2025,
    LAYOUT_2026,
    DfeFileError,
    UnknownLayoutError,
    import_timeliness,
    import_timeliness_file,
    parse,
)
from kpis.models import EhcpTimeliness
from tests.kpis.conftest import OLD_SCHEME, REAL_2025, SCHEME_2026

pytestmark = pytest.mark.django_db


def row(level: str, area_code: str, year: int) -> EhcpTimeliness:
    return EhcpTimeliness.objects.get(level=level, area_code=area_code, year=year)


def real_rows() -> list[dict[str, str]]:
    """The 2025 file read independently of the importer, to compare against."""
    return list(csv.DictReader(io.StringIO(REAL_2025.read_bytes().decode("utf-8-sig"))))


def run_command(path: Path) -> str:
    out = io.StringIO()
    call_command("import_dfe_timeliness", str(path), stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The real 2025 release


def test_the_real_file_starts_with_a_bom_that_the_importer_reads_past():
    raw = REAL_2025.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftime_period,")

    parsed = parse(raw)

    assert parsed.layout is LAYOUT_2025
    assert {r.year for r in parsed.rows} == {2019, 2020, 2021, 2022, 2023, 2024}


def test_the_real_2025_file_imports_every_area_at_every_level(dfe_2025):
    assert (dfe_2025.imported, dfe_2025.updated, dfe_2025.skipped) == (970, 0, 0)
    assert EhcpTimeliness.objects.count() == 970
    per_level = Counter(EhcpTimeliness.objects.values_list("level", flat=True))
    assert per_level == {"national": 6, "regional": 54, "local_authority": 910}

    expected = {
        (r["new_la_code"], int(r["time_period"])) for r in real_rows() if r["geographic_level"] == "Local authority"
    }
    stored = set(EhcpTimeliness.objects.local_authorities().values_list("area_code", "year"))
    assert stored == expected
    assert len({code for code, _ in stored}) == 156
    regions = set(EhcpTimeliness.objects.filter(level="regional").values_list("area_name", flat=True))
    assert "South East" in regions and len(regions) == 9


def test_codes_and_names_are_kept_for_each_level(dfe_2025):
    oxfordshire = row("local_authority", "E10000025", 2022)
    assert (oxfordshire.area_name, oxfordshire.old_la_code, oxfordshire.new_la_code) == (
        "Oxfordshire",
        "931",
        "E10000025",
    )
    assert (oxfordshire.region_code, oxfordshire.region_name) == ("E12000008", "South East")
    england = row("national", "E92000001", 2022)
    assert (england.area_name, england.old_la_code, england.region_code) == ("England", "", "")
    assert row("regional", "E12000008", 2022).area_name == "South East"


def test_the_figures_read_in_the_source(dfe_2025):
    england = row("national", "E92000001", 2022)
    assert england.pc_within_20_weeks_ex == Decimal("49.2")
    assert (england.within_20_weeks_ex, england.plans_issued_ex) == (30536, 62108)
    assert (england.pc_within_20_weeks, england.within_20_weeks, england.plans_issued) == (
        Decimal("47.7"),
        31226,
        65512,
    )
    oxfordshire = row("local_authority", "E10000025", 2022)
    assert oxfordshire.pc_within_20_weeks_ex == Decimal("4.0")  # published as "4"
    assert (oxfordshire.within_20_weeks_ex, oxfordshire.plans_issued_ex) == (27, 667)
    assert row("local_authority", "E10000015", 2019).pc_within_20_weeks_ex == Decimal("87.9")


def test_x_is_stored_as_missing_with_its_reason_never_as_zero(dfe_2025):
    norfolk = row("local_authority", "E10000020", 2022)  # every figure published as x

    for field in EhcpTimeliness.FIGURE_FIELDS[:6]:
        assert getattr(norfolk, field) is None, field
        assert norfolk.missing[field] == "x"
    assert norfolk.missing_reason("pc_within_20_weeks_ex") == "Not available (x)"
    # The 2025 release has no average-weeks columns: missing because not published, not x.
    assert norfolk.avg_weeks is None and norfolk.missing["avg_weeks"] == "not_published"


def test_a_zero_denominator_is_kept_as_zero_with_the_rate_missing(dfe_2025):
    scilly = row("local_authority", "E06000053", 2019)

    assert (scilly.plans_issued, scilly.plans_issued_ex, scilly.within_20_weeks_ex) == (0, 0, 0)
    assert scilly.pc_within_20_weeks_ex is None and scilly.missing["pc_within_20_weeks_ex"] == "x"
    assert "plans_issued" not in scilly.missing


def test_a_quoted_name_with_a_comma_is_read_whole(dfe_2025):
    hull = row("local_authority", "E06000010", 2021)

    assert hull.area_name == "Kingston upon Hull, City of"
    assert hull.old_la_code == "810"
    assert hull.pc_within_20_weeks_ex == Decimal("23.2")


def test_importing_the_same_file_again_changes_nothing(dfe_2025):
    stamp = row("national", "E92000001", 2024).imported_at

    again = import_timeliness_file(REAL_2025)

    assert (again.imported, again.updated, again.skipped, again.unchanged) == (0, 0, 0, 970)
    assert EhcpTimeliness.objects.count() == 970
    assert row("national", "E92000001", 2024).imported_at == stamp


def test_a_revised_figure_is_updated_in_place(dfe_2025):
    original = "E10000025,931,Oxfordshire,All EHC plans issued,All EHC plans issued,962,961,371,370,38.6,38.5"
    revised = "E10000025,931,Oxfordshire,All EHC plans issued,All EHC plans issued,962,961,371,372,38.6,38.7"
    raw = REAL_2025.read_bytes()
    assert raw.count(original.encode()) == 1

    result = import_timeliness(raw.replace(original.encode(), revised.encode()), "revised.csv")

    assert (result.imported, result.updated) == (0, 1)
    assert EhcpTimeliness.objects.count() == 970
    oxfordshire = row("local_authority", "E10000025", 2024)
    assert (oxfordshire.within_20_weeks_ex, oxfordshire.pc_within_20_weeks_ex) == (372, Decimal("38.7"))
    assert oxfordshire.source_release.startswith("revised.csv")


# ---------------------------------------------------------------------------------------------
# The other two layouts


def test_the_2022_and_earlier_sen2_mi_layout():
    raw = OLD_SCHEME.read_bytes()
    assert b"\r\n" in raw and b"57.900000000000" in raw
    assert parse(raw).layout is LAYOUT_2022

    result = import_timeliness_file(OLD_SCHEME)

    assert (result.imported, result.updated, result.skipped) == (11, 0, 0)
    assert row("national", "E92000001", 2022).pc_within_20_weeks_ex == Decimal("49.2")
    assert row("national", "E92000001", 2021).pc_within_20_weeks == Decimal("57.9")
    oxfordshire = row("local_authority", "E10000025", 2022)
    assert oxfordshire.pc_within_20_weeks_ex == Decimal("4.0")
    # old_la_code comes before new_la_code in this layout: each is still read from its own column.
    assert (oxfordshire.old_la_code, oxfordshire.new_la_code) == ("931", "E10000025")
    assert row("local_authority", "E06000010", 2021).area_name == "Kingston upon Hull, City of"
    scilly = row("local_authority", "E06000053", 2022)
    assert (
        scilly.plans_issued == 0 and scilly.pc_within_20_weeks is None and scilly.missing["pc_within_20_weeks"] == "x"
    )
    assert row("local_authority", "E10000020", 2022).missing["within_20_weeks_ex"] == "x"


def test_a_later_release_revises_the_old_layouts_figures_in_place():
    import_timeliness_file(OLD_SCHEME)
    assert row("local_authority", "E10000015", 2021).pc_within_20_weeks_ex == Decimal("77.5")

    result = import_timeliness_file(REAL_2025)

    # Ten of the old file's rows are in the 2025 release unchanged; Hertfordshire 2021 was revised.
    assert (result.imported, result.updated, result.unchanged) == (970 - 11, 1, 10)
    assert EhcpTimeliness.objects.count() == 970
    hertfordshire = row("local_authority", "E10000015", 2021)
    assert (hertfordshire.within_20_weeks_ex, hertfordshire.pc_within_20_weeks_ex) == (1048, Decimal("78.0"))


def test_the_2026_layout_with_average_weeks_and_other_breakdowns_skipped(dfe_2025):
    assert parse(SCHEME_2026.read_bytes()).layout is LAYOUT_2026

    result = import_timeliness_file(SCHEME_2026)

    # 2025 is new; the 2024 rows gain their average weeks; the two "Age" rows are skipped.
    assert (result.imported, result.updated, result.skipped) == (5, 4, 2)
    assert EhcpTimeliness.objects.count() == 975
    oxfordshire = row("local_authority", "E10000025", 2025)
    assert (oxfordshire.pc_within_20_weeks_ex, oxfordshire.avg_weeks, oxfordshire.avg_weeks_ex) == (
        Decimal("50.7"),
        Decimal("21.2"),
        Decimal("21.2"),
    )
    assert row("local_authority", "E10000025", 2024).avg_weeks == Decimal("23.4")
    assert "avg_weeks" not in row("local_authority", "E10000025", 2024).missing
    scilly = row("local_authority", "E06000053", 2025)
    assert scilly.avg_weeks is None and scilly.missing["avg_weeks"] == "z"
    assert scilly.missing_reason("avg_weeks") == "Not applicable (z)"
    assert row("national", "E92000001", 2025).plans_issued == 95120  # not the Age breakdown's 21040


def test_column_names_match_in_any_case_and_order():
    raw = SCHEME_2026.read_bytes().decode()
    header, rest = raw.split("\n", 1)
    names = header.split(",")
    shouting = ",".join(name.upper() for name in names)

    assert parse(f"{shouting}\n{rest}".encode()).layout is LAYOUT_2026


# ---------------------------------------------------------------------------------------------
# Refusals: nothing is written


def test_an_unknown_layout_is_refused_naming_the_expected_columns_and_nothing_is_written(dfe_2025):
    before = list(EhcpTimeliness.objects.order_by("pk").values_list("pk", "pc_within_20_weeks_ex", "imported_at"))
    raw = b"\xef\xbb\xbfyear,authority,percent_on_time\n2024,Oxfordshire,12.5\n"

    with pytest.raises(UnknownLayoutError) as refused:
        import_timeliness(raw, "mystery.csv")

    message = str(refused.value)
    assert "nothing was imported" in message
    for column in (
        "TotNoExcEHC",
        "NoExc20weekRate",
        "plans_issued_den_ex",
        "PC_plans_issued_20_weeks_ex",
        "avg_weeks_issue_plan",
    ):
        assert column in message
    after = list(EhcpTimeliness.objects.order_by("pk").values_list("pk", "pc_within_20_weeks_ex", "imported_at"))
    assert after == before


def test_a_file_missing_one_column_is_told_which(db):
    header, rest = REAL_2025.read_bytes().split(b"\r\n", 1)
    broken = header.replace(b",PC_plans_issued_20_weeks_ex", b"")

    with pytest.raises(UnknownLayoutError) as refused:
        import_timeliness(broken + b"\r\n", "broken.csv")

    assert "2025 release) but has no column PC_plans_issued_20_weeks_ex" in str(refused.value)
    assert not EhcpTimeliness.objects.exists()


def test_bad_lines_refuse_the_whole_file_naming_each_line(db):
    lines = REAL_2025.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace(b",67.3,", b",sixty,")  # line 3: North East 2019
    lines[5] = lines[5].replace(b",3634,", b",-3634,")  # line 6: East Midlands 2019, a negative count
    lines[7] = lines[7].replace(b",5404,", b",1e999,")  # line 8: East of England 2019, no column holds it
    lines[8] = lines[8].replace(b",8967,", b"," + b"9" * 30 + b",")  # line 9: London 2019
    lines[900] = lines[900].replace(b"Calendar year", b"Calendar year,extra")

    with pytest.raises(DfeFileError) as refused:
        import_timeliness(b"\r\n".join(lines), "bad.csv")

    problems = refused.value.problems
    assert any(p.startswith("line 3: pc_plans_issued_within_20_weeks is “sixty”") for p in problems)
    assert any(p.startswith("line 6: plans_issued_den is -3634") for p in problems)
    assert "line 8: plans_issued_den is 1e999, more plans than any area issues in a year" in problems
    assert f"line 9: plans_issued_den is {'9' * 30}, more plans than any area issues in a year" in problems
    assert any(p.startswith("line 901: 27 columns") for p in problems)
    assert not EhcpTimeliness.objects.exists()


def test_a_repeated_area_and_year_is_refused(db):
    lines = REAL_2025.read_bytes().split(b"\r\n")
    lines.insert(3, lines[1])

    with pytest.raises(DfeFileError) as refused:
        import_timeliness(b"\r\n".join(lines), "twice.csv")

    assert "line 4: England 2019 appears again (first on line 2)" in refused.value.problems
    assert not EhcpTimeliness.objects.exists()


# ---------------------------------------------------------------------------------------------
# The command


def test_the_command_ends_with_one_closing_line(db):
    first = run_command(REAL_2025)
    second = run_command(REAL_2025)
    newer = run_command(SCHEME_2026)

    assert first.strip().splitlines() == ["rows imported: 970, updated: 0, skipped: 0"]
    assert second.strip().splitlines()[-1] == "rows imported: 0, updated: 0, skipped: 0"
    assert newer.strip().splitlines()[-1] == "rows imported: 5, updated: 4, skipped: 2"


def test_the_command_refuses_an_unknown_layout(db, tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("a,b,c\n1,2,3\n")

    with pytest.raises(CommandError) as refused:
        run_command(path)

    assert "NoExc20weekEHC" in str(refused.value)
    assert not EhcpTimeliness.objects.exists()


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_command(tmp_path / "absent.csv")
