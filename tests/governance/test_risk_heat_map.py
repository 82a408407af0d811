"""The risk register's heat maps: open risks by likelihood and impact before and after mitigation,
each square's count the same in the SVG and in its table, and another partnership's risks left out."""

from __future__ import annotations

from governance.choices import RiskStatus
from tests.chart_reading import having, page_tree, svgs, table_rows, words


def drawn(svg) -> dict[tuple[int, int], int]:
    return {
        (int(cell.get("data-row")), int(cell.get("data-column"))): int(cell.get("data-value"))
        for cell in having(svg, "app-chart__cell")
        if cell.get("data-value") != "0"
    }


def tabled(table) -> dict[tuple[int, int], int]:
    counts = {}
    for heading, cells in table_rows(table):
        likelihood = int(heading.removeprefix("Likelihood "))
        for impact, n in enumerate(cells, start=1):
            if n != "0":
                counts[(likelihood, impact)] = int(n)
    return counts


def test_the_heat_maps_count_open_risks_before_and_after_mitigation_as_their_tables_do(
    make_risk, scrutiny_member, client_for, elsewhere_world
):
    make_risk("R1", (4, 4, 3, 4))
    make_risk("R2", (4, 4, 2, 2))
    make_risk("R3", (5, 3, 5, 3))
    make_risk("R4", (1, 1, 1, 1), status=RiskStatus.CLOSED)  # closed: on neither map

    tree = page_tree(client_for(scrutiny_member).get("/governance/risks/").content.decode())
    maps = [svg for svg in svgs(tree) if having(svg, "app-chart__cell")]
    tables = having(tree, "app-table--heat-map", "table")

    assert [drawn(svg) for svg in maps] == [tabled(table) for table in tables]
    assert drawn(maps[0]) == {(4, 4): 2, (5, 3): 1}
    assert drawn(maps[1]) == {(3, 4): 1, (2, 2): 1, (5, 3): 1}
    title = words(maps[1].xpath('./*[local-name()="title"]')[0])
    description = words(maps[1].xpath('./*[local-name()="desc"]')[0])
    assert title == "Open risks after mitigation" and "likelihood 3, impact 4: 1 risk" in description
    # Each square says its score in text, so the band is never told by colour alone.
    assert "Very high: scores 16 to 25" in words(tree)
