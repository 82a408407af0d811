"""Form pieces every app uses: the one GOV.UK field layer, the date input, and how a posted form
reaches its service and the service's ValidationError reaches the form (`submitted`).

Every form field on a page is drawn by one template, templates/includes/field.html, through the
`field` tag (`{% load govuk_forms %}{% field form.title %}`), which reads the bound field's widget:
text, password, URL, textarea, select, radios, checkboxes, a single checkbox, file, or hidden. A
date is three boxes, day, month and year (`{% date_input form "given_on" legend=... %}`, the same
template), read into one date by DateParts with a message that names what is missing. Each box takes
what people type: "3" or "03" for a day or a month, "2025" or "25" for a year."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms, template
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils.safestring import mark_safe

register = template.Library()


def date_part(part: str) -> forms.CharField:
    """One box of the GOV.UK date input (day, month or year)."""
    return forms.CharField(label=part.capitalize(), required=False, max_length=4 if part == "year" else 2)


def date_boxes() -> tuple[forms.CharField, forms.CharField, forms.CharField]:
    """The day, month and year boxes of one GOV.UK date input, declared in a form as
    `given_on_day, given_on_month, given_on_year = date_boxes()` and named in its DATE_INPUTS."""
    return date_part("day"), date_part("month"), date_part("year")


def text_field(
    label: str, max_length: int, *, rows: int = 0, required: bool = False, **options: Any
) -> forms.CharField:
    """A text box, or a text area `rows` lines high (or the `widget` given); optional unless `required`."""
    options.setdefault("widget", forms.Textarea(attrs={"rows": rows}) if rows else None)
    return forms.CharField(label=label, max_length=max_length, required=required, **options)


class DateParts:
    """The GOV.UK date input: a date entered as day, month and year, read into one date."""

    @staticmethod
    def read(form: forms.Form, name: str, what: str) -> datetime.date | None:
        data = form.cleaned_data
        parts = {part: str(data.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")}
        if not any(parts.values()):
            return None
        missing = [part for part, value in parts.items() if not value]
        if missing:
            form.add_error(f"{name}_{missing[0]}", f"{what} must include a {' and '.join(missing)}.")
            return None
        if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) not in (2, 4):
            form.add_error(f"{name}_day", f"{what} must be a real date, like 23 4 2024.")
            return None
        # People write "25" for 2025, as on paper; the tracker's dates are all this century.
        year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)
        try:
            return datetime.date(year, int(parts["month"]), int(parts["day"]))
        except ValueError:
            form.add_error(f"{name}_day", f"{what} must be a real date, like 23 4 2024.")
            return None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names, the rest at the top of the form.

    A date entered in the three boxes of a GOV.UK date input (the form's DATE_INPUTS) takes its
    error on the day box; an error on a service argument that a form's ARGUMENTS gives another name
    goes on the field that supplies it.
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    aliases: dict[str, str] = {name: f"{name}_day" for name in getattr(form, "DATE_INPUTS", {})}
    aliases.update({argument: name for name, argument in getattr(form, "ARGUMENTS", {}).items()})
    for named, texts in error.message_dict.items():
        field = aliases.get(named, named)
        for message in texts:
            if field not in form.fields:
                form.add_error(None, message)
            elif not form.errors.get(field):
                form.add_error(field, message)


Saved = TypeVar("Saved")


def service_arguments(form: forms.Form) -> dict[str, Any]:
    """A valid form's cleaned data as its service's keyword arguments: the day, month and year
    boxes of each date input (DATE_INPUTS) left out for the date they make, and each field that
    the form's ARGUMENTS maps ({"action": "action_id"}) under the argument's name."""
    boxes = {f"{name}_{part}" for name in getattr(form, "DATE_INPUTS", {}) for part in ("day", "month", "year")}
    renamed: dict[str, str] = getattr(form, "ARGUMENTS", {})
    return {renamed.get(name, name): value for name, value in form.cleaned_data.items() if name not in boxes}


def submitted(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], Saved]) -> Saved | None:
    """What `write`, a call to a service, returns for a posted form's service_arguments(); None
    when the request is not a POST, the form is not valid, or the service refuses it with a
    ValidationError, whose messages then go on the fields they name, for the page to be drawn again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(service_arguments(form))
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def saved_redirect(
    request: HttpRequest,
    form: forms.Form,
    service: Callable[..., Saved],
    said: str | Callable[[Saved], str],
    *,
    to: Any = None,
    **given: Any,
) -> HttpResponse | None:
    """A posted form saved by its service, `service(user=request.user, **given, **its fields)`,
    through submitted(): the success message and the redirect to `to` (a URL or a thing with a
    page), or to what was saved. None while the form is to be drawn (again), so that a view ends
    `return saved or form_page(...)`. The message is `said(row)` of what was saved, or `said` a
    literal of the view's own words whose one field is `row` ("Risk {row.reference} added"):
    never text a person typed, which could hold braces."""
    saved = submitted(request, form, lambda data: service(user=request.user, **given, **data))
    if not saved:
        return None
    messages.success(request, said(saved) if callable(said) else said.format(row=saved))
    target: Any = saved if to is None else to
    return redirect(target)


def form_page(
    request: HttpRequest,
    template_name: str,
    form: forms.BaseForm,
    *,
    back_url: str,
    back_label: str,
    status: int | None = None,
    **context: Any,
) -> HttpResponse:
    """An officer's form page (templates/form_page.html, or a page extending it), with its back link
    and Cancel going to `back_url`: 400 when a posted form is drawn again, else 200, unless `status`."""
    if status is None:
        status = 400 if request.method == "POST" else 200
    context.update(form=form, back_url=back_url, back_label=back_label)
    return render(request, template_name, context, status=status)


def object_form_page(
    request: HttpRequest, template_name: str, form: forms.BaseForm, subject: Model, back_label: str, **context: Any
) -> HttpResponse:
    """form_page() for a form about one thing (an action, an indicator, a recommendation): back to
    its page, and the thing in the context under its model's name."""
    context[subject._meta.model_name or "subject"] = subject
    back_url = subject.get_absolute_url()  # type: ignore[attr-defined]
    return form_page(request, template_name, form, back_url=back_url, back_label=back_label, **context)


Rows = TypeVar("Rows", bound=QuerySet[Any])


def filter_by(rows: Rows, data: dict[str, Any], lookups: dict[str, str]) -> Rows:
    """A list narrowed by each field of its filter form that was given a value, through the lookup
    `lookups` names for it ({"theme": "themes"})."""
    for name, lookup in lookups.items():
        if data[name]:
            rows = rows.filter(**{lookup: data[name]})
    return rows


FormClass = TypeVar("FormClass", bound=forms.BaseForm)


def after_stale_edit(
    form_class: type[FormClass],
    posted: QueryDict,
    version: int | str,
    message: str,
    *,
    field: str = "version",
    **kwargs: Any,
) -> FormClass:
    """The form again after someone else saved first: the editor's text stays, the version (or
    what else the form's hidden `field` holds of the row as the editor saw it) moves on to theirs,
    so that a second submit is a decision made having seen the other change; `message` at the top
    says what happened."""
    data = posted.copy()
    data[field] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form


# The bound field's widget (BoundField.widget_type) decides how the one field template draws it.
KINDS = {
    "radioselect": "radios",
    "checkboxselectmultiple": "checkboxes",
    "checkbox": "checkbox",
    "textarea": "textarea",
    "select": "select",
    # GOV.UK has no multiple select: a set of choices is drawn as one select a slot (`slots`).
    "selectmultiple": "selects",
    "file": "file",
    "clearablefile": "file",
    "hidden": "hidden",
}
LABEL_SIZES = {"s", "m", "l", "xl"}


def _ids(*ids: str) -> str:
    return " ".join(part for part in ids if part)


def _hint_of(field: forms.BoundField, hint: str | None) -> str:
    return str(field.help_text or "") if hint is None else str(hint)


def _rows(field: forms.BoundField, options: Any) -> list[dict[str, Any]]:
    """The choices to draw: the ones given, else the field's own."""
    if options is not None:
        return list(options)
    choices: Any = cast(forms.ChoiceField, field.field).choices  # a list by the time a form is drawn
    return [{"value": value, "label": label} for value, label in choices]


def _choices(field: forms.BoundField, options: Any, chosen: Any) -> list[tuple[str, str, bool]]:
    """A select's options, each with whether it is the one chosen."""
    rows = _rows(field, options)
    picked = "" if chosen is None else str(chosen)
    return [(str(row["value"]), str(row["label"]), str(row["value"]) == picked) for row in rows]


def _slots(field: forms.BoundField, options: Any, slots: int) -> list[dict[str, Any]]:
    """One select a slot, for a field that takes several choices; the first takes the field's id."""
    chosen = [value for value in (field.value() or []) if value]
    chosen += [""] * (slots - len(chosen))
    return [
        {
            "id": field.auto_id if n == 1 else f"{field.html_name}-{n}",
            "number": n,
            "choices": _choices(field, options, value),
        }
        for n, value in enumerate(chosen[:slots], start=1)
    ]


def _options(field: forms.BoundField, options: Any) -> list[dict[str, Any]]:
    """The radios' or checkboxes' items: the first takes the field's own id, so the error summary's
    link lands on it; the others are named by their value."""
    chosen = field.value()
    chosen_values = {str(v) for v in chosen} if isinstance(chosen, list | tuple) else {str(chosen)}
    rows = _rows(field, options)
    items: list[dict[str, Any]] = []
    for option in rows:
        value = str(option["value"])
        if value == "":
            continue  # the "Not given" choice of an optional set of radios is no radio of its own
        item_id = field.auto_id if not items else f"{field.html_name}-{value}"
        hint = str(option.get("hint") or "")
        items.append(
            {
                "id": item_id,
                "value": value,
                "label": option["label"],
                "hint": hint,
                "hint_id": f"{field.html_name}-{value}-hint" if hint else "",
                "checked": value in chosen_values,
            }
        )
    return items


def field_context(
    field: forms.BoundField,
    hint: str | None = None,
    label: str | None = None,
    size: str = "s",
    heading: str = "",
    width: str = "",
    inputmode: str = "",
    autocomplete: str = "off",
    autocapitalize: str = "",
    accept: str = "",
    describedby: str = "",
    options: Any = None,
    small: bool = False,
    empty: str = "",
    slots: int = 3,
    slot_label: str = "Choice",
) -> dict[str, Any]:
    """What templates/includes/field.html needs to draw one field; see the `field` tag."""
    kind = KINDS.get(field.widget_type, "input")
    hint_text = _hint_of(field, hint)
    error_id = f"{field.auto_id}-error" if field.errors else ""
    hint_id = f"{field.auto_id}-hint" if hint_text else ""
    widget = field.field.widget
    return {
        "field": field,
        "kind": kind,
        "id": field.auto_id,
        "label": field.label if label is None else label,
        "size_class": f"--{size}" if size in LABEL_SIZES else "",
        "heading": heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "error_id": error_id,
        "error": " ".join(str(error) for error in field.errors),
        "describedby": _ids(hint_id, error_id, describedby),
        "input_type": getattr(widget, "input_type", "text"),
        "width": width,
        "inputmode": inputmode,
        "autocomplete": autocomplete,
        "autocapitalize": autocapitalize,
        "accept": accept,
        "rows": widget.attrs.get("rows", 4),
        "items": _options(field, options) if kind in ("radios", "checkboxes") else [],
        "choices": _choices(field, options, field.value()) if kind == "select" else [],
        "slots": _slots(field, options, slots) if kind == "selects" else [],
        "slot_label": slot_label,
        # A single checkbox is always the small kind, beside the larger controls of its form.
        "small": small or kind == "checkbox",
        "empty": empty,
    }


def date_context(form: forms.Form, name: str) -> dict[str, Any]:
    """What templates/includes/field.html needs to draw the date input `name` of the form: its
    three boxes `{name}_day`, `{name}_month`, `{name}_year`, with the legend and hint the form's
    DATE_INPUTS give it, and one error message for whatever is wrong with the date."""
    legend, hint = form.DATE_INPUTS[name]  # type: ignore[attr-defined]
    parts = [form[f"{name}_{part}"] for part in ("day", "month", "year")]
    errors = [str(error) for part in parts for error in part.errors]
    hint_id = f"{name}-hint" if hint else ""
    error_id = f"{name}-error" if errors else ""
    return {
        "kind": "date",
        "id": name,
        "label": legend,
        "size_class": "--s",
        "hint": hint,
        "hint_id": hint_id,
        "error_id": error_id,
        "error": " ".join(errors),
        "describedby": _ids(hint_id, error_id),
        "parts": [{"field": part, "width": f"govuk-input--width-{4 if i == 2 else 2}"} for i, part in enumerate(parts)],
    }


@register.inclusion_tag("includes/field.html", name="field")
def field_tag(bound_field: forms.BoundField, **options: Any) -> dict[str, Any]:
    """`{% field form.title %}`: one form field in the GOV.UK Design System's markup
    (govuk-frontend 6), with its label or legend, hint and error message, and the
    aria-describedby that ties them to the control.

    Options: hint replaces the field's help_text; label its label (the legend of radios and
    checkboxes); size is the label's or legend's size ("s" by default, "m", or "" for body text);
    heading wraps the label in that element (e.g. "h2"); width is a govuk-input--width-N or
    govuk-!-width class, or any class to add to the control; inputmode, autocomplete,
    autocapitalize and accept set those attributes; describedby adds ids to aria-describedby;
    options is a list of {value, label, hint} to draw instead of the field's choices (to give
    radios a hint each, or a select other labels); small draws small radios or checkboxes; empty
    is said when a set of checkboxes has no choices; a multiple choice is drawn as `slots` selects
    labelled "{slot_label} 1", "{slot_label} 2" and so on.
    """
    return field_context(bound_field, **options)


@register.inclusion_tag("includes/field.html", name="date_input")
def date_input_tag(form: forms.Form, name: str) -> dict[str, Any]:
    """`{% date_input form "given_on" %}`: the GOV.UK date input, as the form's DATE_INPUTS say."""
    return date_context(form, name)


@register.simple_tag(name="fields")
def fields_tag(form: forms.Form) -> str:
    """`{% fields form %}`: every field of the form in its order, each as `field` draws it, the
    boxes of each date in DATE_INPUTS as one date input."""
    drawn = get_template("includes/field.html")
    dates: dict[str, str] = getattr(form, "DATE_INPUTS", {})
    boxes = {f"{name}_{part}": name for name in dates for part in ("day", "month", "year")}
    html = []
    for bound in form:
        if bound.name in boxes:
            if bound.name.endswith("_day"):
                html.append(drawn.render(date_context(form, boxes[bound.name])))
            continue
        html.append(drawn.render(field_context(bound)))
    return mark_safe("".join(html))  # noqa: S308 -- each part is a rendered, escaped template
