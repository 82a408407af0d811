"""Tables: every table of figures or rows on a page, in the GOV.UK Design System's markup, drawn by
one template, templates/includes/table.html (`{% load govuk_tables %}`).

A table sits in a scrolling region of its own, so that a wide table scrolls sideways at 320 CSS
pixels while the page does not; the region is focusable and named, as WCAG 2.2 asks of anything
that scrolls. The region's name is the caption's text unless the table says otherwise.

    {% table "Ref" "Risk" "Members"|numeric series|numeric:"heading" size="m" empty="No risks match." %}
      {{ rows|length }} risk{{ rows|length|pluralize }}
    {% label %}The risk register
    {% rows %}
      {% for row in rows %}<tr class="govuk-table__row">...</tr>{% endfor %}
    {% endtable %}

Column headings come first, each a text or a list of texts; `|numeric` right-aligns a column of
figures (on a list, every column of it, read from each item's `attribute` when given). Then the
options: size, the caption's ("s" by default, or "m"); hidden=True keeps the caption for screen
readers only; class adds a class to the table (app-table--actions); id gives the table an id;
empty is said in one row across every column when there are no rows; grouped=True when the rows
bring their own <tbody> elements, one for each group. Between the tag and `{% rows %}` is the
caption; `{% label %}`, optional, gives the region another name than the caption's."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, kwarg_re
from django.template.loader import get_template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


@dataclass(frozen=True)
class Column:
    """A column's heading, and whether it holds figures (right-aligned, as GOV.UK numeric columns)."""

    heading: str
    numeric: bool = False


@register.filter
def numeric(value: Any, attribute: str = "") -> Column | list[Column]:
    """`"Members"|numeric`: a column of figures; `series|numeric:"heading"`, one for each item."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return Column(str(value), numeric=True)
    return [Column(str(_read(item, attribute)), numeric=True) for item in value]


def _read(item: Any, attribute: str) -> Any:
    if not attribute:
        return item
    return item[attribute] if isinstance(item, dict) else getattr(item, attribute)


def _columns(values: Iterable[Any]) -> list[Column]:
    columns: list[Column] = []
    for value in values:
        items = [value] if isinstance(value, (str, Column)) or not isinstance(value, Iterable) else value
        columns.extend(item if isinstance(item, Column) else Column(str(item)) for item in items)
    return columns


def _text(rendered: str) -> str:
    """Rendered markup as the words a screen reader says, for an attribute to escape again."""
    return " ".join(html.unescape(strip_tags(rendered)).split())


class TableNode(template.Node):
    def __init__(
        self,
        columns: list[FilterExpression],
        options: dict[str, FilterExpression],
        caption: NodeList,
        label: NodeList | None,
        rows: NodeList,
    ) -> None:
        self.columns, self.options = columns, options
        self.caption, self.label, self.rows = caption, label, rows

    def render(self, context: template.Context) -> str:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        caption = mark_safe(self.caption.render(context).strip())  # noqa: S308 -- rendered, escaped
        rows = self.rows.render(context)
        return get_template("includes/table.html").render(
            {
                "columns": _columns(column.resolve(context) for column in self.columns),
                "caption": caption,
                "label": _text(self.label.render(context) if self.label is not None else caption),
                "rows": rows if rows.strip() else "",
                "size": options.get("size") or "s",
                **{name: options.get(name) for name in ("hidden", "class", "id", "empty", "grouped")},
            }
        )


@register.tag(name="table")
def table_tag(parser: Parser, token: Token) -> TableNode:
    """`{% table "Heading" ... option=value %}caption{% label %}name{% rows %}rows{% endtable %}`:
    see this module's docstring."""
    bits = token.split_contents()[1:]
    columns, options = [], {}
    for bit in bits:
        match = kwarg_re.match(bit)
        if match and match.group(1):
            options[match.group(1)] = parser.compile_filter(match.group(2))
        elif options:
            raise template.TemplateSyntaxError(f"table: the heading {bit} comes after the options")
        else:
            columns.append(parser.compile_filter(bit))
    unknown = set(options) - {"size", "hidden", "class", "id", "empty", "grouped"}
    if unknown:
        raise template.TemplateSyntaxError(f"table: no option {', '.join(sorted(unknown))}")
    caption = parser.parse(("label", "rows"))
    label = None
    if parser.next_token().contents == "label":
        label = parser.parse(("rows",))
        parser.delete_first_token()
    rows = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(columns, options, caption, label, rows)
