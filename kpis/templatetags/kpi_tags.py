"""Template tags for KPI ratings: always the rating's name in text, colour only as an aid."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kpis.choices import NO_TARGET, Rating
from kpis.models import ExceptionNote
from kpis.periods import Period

register = template.Library()

TAG_CLASSES: dict[str | None, str] = {
    Rating.MET: "govuk-tag govuk-tag--green",
    Rating.WITHIN_TOLERANCE: "govuk-tag govuk-tag--yellow",
    Rating.MISSED: "govuk-tag govuk-tag--red",
    None: "govuk-tag govuk-tag--grey",
}


@register.simple_tag
def rating_tag(value: str | None) -> SafeString:
    key = value if value in Rating.values else None
    label = Rating(key).label if key is not None else NO_TARGET
    return format_html('<strong class="{}">{}</strong>', TAG_CLASSES[key], label)


@register.simple_tag
def demo_tag() -> SafeString:
    return format_html('<strong class="govuk-tag govuk-tag--purple">{}</strong>', "Demo figure")


@register.simple_tag
def figure_due_tag(period: Period) -> SafeString:
    """ "Figure due" and the period, in words: the tag's colour is only an aid."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--orange">{}</strong> <span class="govuk-body-s">for {}</span>',
        "Figure due",
        period.label,
    )


@register.simple_tag
def note_asked_tag() -> SafeString:
    return format_html('<strong class="govuk-tag govuk-tag--pink">{}</strong>', "Exception note due")


@register.inclusion_tag("kpis/_exception_note.html")
def exception_note(note: ExceptionNote | None, compact: bool = False) -> dict[str, object]:
    """The owner's exception note, with the figure it explains: in full, or `compact` in a table."""
    return {"note": note, "compact": compact}
