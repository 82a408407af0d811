"""The public page's 'At a glance' chart: the plan's open actions by rating, the bars' counts the
same as its table's, retired actions and another partnership's left out."""

from __future__ import annotations

from django.test import Client

from actions.choices import ActionStatus
from tests.chart_reading import having, page_tree, svgs, table_rows, words


def test_the_summary_chart_counts_the_open_actions_by_rating_as_its_table_does(plan, make_action, elsewhere_world):
    plan.is_public = True
    plan.save()
    for ref, brag in (("3A1", "red"), ("3A2", "amber"), ("3A3", "amber"), ("3A4", None), ("3A5", "green")):
        make_action(ref, brag=brag)
    make_action("3A6", brag="blue", status=ActionStatus.RETIRED)

    tree = page_tree(Client().get(f"/public/{plan.partnership.slug}/").content.decode())
    chart = [svg for svg in svgs(tree) if having(svg, "app-chart__bar")][0]
    drawn = {bar.get("data-category"): int(bar.get("data-value")) for bar in having(chart, "app-chart__bar")}
    table = having(tree, "app-table--public-summary", "table")[0]
    keys = {"Red": "red", "Amber": "amber", "Green": "green", "Blue": "blue", "Grey": "grey", "Not yet rated": "none"}
    tabled = {keys[name]: int(cells[0]) for name, cells in table_rows(table)}

    assert drawn == tabled == {"red": 1, "amber": 2, "green": 1, "blue": 0, "grey": 0, "none": 1}
    assert "5 open actions" in words(tree)
    assert "1 Red, 2 Amber, 1 Green, 0 Blue, 0 Grey, 1 Not yet rated" in words(
        chart.xpath('./*[local-name()="desc"]')[0]
    )
