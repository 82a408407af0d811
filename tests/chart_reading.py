"""Reading the product's charts back in tests: the SVG's drawn figures and the table that goes with
it, so that a test can say they hold the same numbers. XPath, since lxml's CSS selectors need a
package the project does not install."""

from __future__ import annotations

from typing import Any

from lxml import html  # type: ignore[import-untyped]


def page_tree(page: str) -> Any:
    return html.fromstring(page)


def having(node: Any, css_class: str, tag: str = "*") -> list[Any]:
    """The elements under `node` with `css_class` among their classes."""
    return node.xpath(f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {css_class} ")]')


def svgs(node: Any) -> list[Any]:
    return node.xpath('.//*[local-name()="svg"]')


def words(node: Any) -> str:
    return " ".join(node.text_content().split())


def table_rows(table: Any) -> list[tuple[str, list[str]]]:
    """Each body row of a table: its row heading and its cells, in words."""
    return [
        (words(row.xpath("./th")[0]), [words(td) for td in row.xpath("./td")]) for row in table.xpath(".//tbody/tr")
    ]
