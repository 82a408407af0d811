"""The one table layer (send_tracker/tables.py, templates/includes/table.html): every table in its
named scrolling region, with its caption, column headings and, when it has no rows, a row saying so."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError


def draw(source: str, **context: Any) -> str:
    return Template("{% load govuk_tables %}" + source).render(Context(context))


def test_a_table_is_named_by_its_caption_and_heads_each_column():
    html = draw(
        '{% table "Board" "Members"|numeric series|numeric:"heading" %}Boards of {{ area }}{% rows %}'
        "{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}{% endtable %}",
        area="Tom's <area>",
        series=[SimpleNamespace(heading="England"), SimpleNamespace(heading="South East")],
        rows=["Cabinet"],
    )
    assert 'role="region" aria-label="Boards of Tom&#x27;s &lt;area&gt;"' in html
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Boards of Tom&#x27;s &lt;area&gt;</caption>'
        in html
    )
    assert '<th scope="col" class="govuk-table__header">Board</th>' in html
    for heading in ("Members", "England", "South East"):
        assert f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{heading}</th>' in html
    assert "<td>Cabinet</td>" in html and "colspan" not in html


def test_a_table_with_no_rows_says_so_across_every_column():
    html = draw(
        '{% table "Ref" totals|numeric:"label" empty="Nothing matches." %}Actions{% rows %}'
        "{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}{% endtable %}",
        totals=[{"label": "Red"}, {"label": "Amber"}],
        rows=[],
    )
    assert '<td class="govuk-table__cell" colspan="3">Nothing matches.</td>' in html


def test_the_options_and_a_region_named_apart_from_the_caption():
    html = draw(
        '{% table "Ref" class="app-table--actions" id="plan" size="m" hidden=True grouped=True %}'
        "{{ count }} actions{% label %}Actions{% rows %}<tbody><tr><td>1</td></tr></tbody>{% endtable %}",
        count=3,
    )
    assert 'aria-label="Actions"' in html
    assert '<table class="govuk-table app-table--actions" id="plan">' in html
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">3 actions</caption>'
        in html
    )
    assert '<tbody class="govuk-table__body">' not in html and "<tbody><tr><td>1</td></tr></tbody>" in html


@pytest.mark.parametrize(
    "source",
    [
        '{% table "Ref" colour="red" %}Actions{% rows %}{% endtable %}',
        '{% table size="m" "Ref" %}Actions{% rows %}{% endtable %}',
    ],
)
def test_a_misspelt_option_or_a_heading_after_the_options_is_refused(source: str):
    with pytest.raises(TemplateSyntaxError):
        draw(source)
