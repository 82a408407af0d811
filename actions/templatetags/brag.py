"""Template tags that show BRAG ratings: always the rating's name in text, colour only as an aid."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from actions.choices import BRAG_DEFINITIONS, NOT_YET_RATED, Brag

register = template.Library()

TAG_CLASSES: dict[str | None, str] = {
    Brag.BLUE: "govuk-tag",
    Brag.RED: "govuk-tag govuk-tag--red",
    Brag.AMBER: "govuk-tag govuk-tag--orange",
    Brag.GREEN: "govuk-tag govuk-tag--green",
    Brag.GREY: "govuk-tag govuk-tag--grey",
    None: "govuk-tag app-tag--not-rated",
}


def brag_label(value: str | None) -> str:
    return Brag(value).label if value in Brag.values else NOT_YET_RATED


@register.simple_tag
def brag_tag(value: str | None) -> SafeString:
    key = value if value in Brag.values else None
    return format_html('<strong class="{}">{}</strong>', TAG_CLASSES[key], brag_label(value))


@register.filter
def brag_name(value: str | None) -> str:
    return brag_label(value)


@register.filter
def brag_definition(value: str | None) -> str:
    return BRAG_DEFINITIONS.get(value or "", "Not rated yet.")
