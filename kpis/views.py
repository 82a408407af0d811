from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from send_tracker.accounts.access import (
    administered_partnership,
    administers,
    may_change_in_partnership,
    partnership_of,
)
from send_tracker.accounts.principals import AnyUser
from send_tracker.forms import form_page, object_form_page, saved_redirect
from send_tracker.spreadsheets import append_row, write_csv

from . import access
from .benchmark import DEFAULT_COMPARATORS, Benchmark, Directory, build_benchmark
from .charts import TARGET_STYLE, SeriesInput, line_chart
from .choices import DfeMeasure, Unit
from .forms import (
    BenchmarkForm,
    ExceptionNoteForm,
    IndicatorForm,
    PartnershipValuesUploadForm,
    TargetForm,
    UploadForm,
    ValueForm,
)
from .models import (
    EhcpTimeliness,
    ExceptionNote,
    Indicator,
    IndicatorValue,
    Target,
    direction_of_travel,
    format_figure,
    format_tolerance,
)
from .periods import PERIOD_HINTS, following, periods_between, periods_label
from .reports import indicator_rows
from .services import (
    BULK_COLUMNS,
    CSV_COLUMNS,
    CsvUploadError,
    IndicatorDetails,
    WriteResult,
    create_indicator,
    give_exception_note,
    record_value,
    set_target,
    update_indicator,
    upload_partnership_values,
    upload_values_csv,
)


def csv_response(filename: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The BOM makes Excel read the file as UTF-8, as the DfE's own downloads do.
    response.write("\ufeff")
    write_csv(response, header, rows)
    return response


def _number_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    rows = indicator_rows(Indicator.objects.visible_to(request.user))
    partnerships = {row["indicator"].partnership_id for row in rows}
    has_demo = any(row["latest"] is not None and row["latest"].is_demo for row in rows)
    return render(
        request,
        "kpis/indicator_list.html",
        {
            "rows": rows,
            "several_partnerships": len(partnerships) > 1,
            "has_demo": has_demo,
            "administers": administers(request.user),
            # Figures in bulk are for one's own partnership (an instance administrator has none).
            "may_upload": partnership_of(request.user) is not None
            and (administers(request.user) or any(row["indicator"].can_be_changed_by(request.user) for row in rows)),
        },
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for_reading(request.user, indicator_id)
    values = list(indicator.values.select_related("target__indicator", "exception_note").order_by("period_start"))
    targets = list(indicator.targets.order_by("first_period_start"))
    if request.GET.get("format") == "csv":
        return _indicator_csv(indicator, values)
    periods = periods_between(values[0].period, values[-1].period) if values else []
    by_start = {value.period_start: value for value in values}
    chart = None
    if values:
        target_line = [
            next((t.value for t in targets if t.first_period_start <= p.start <= t.last_period_end), None)
            for p in periods
        ]
        series = [
            SeriesInput(
                label="Value", values=[by_start[p.start].value if p.start in by_start else None for p in periods]
            )
        ]
        if any(v is not None for v in target_line):
            series.append(SeriesInput(label="Target", values=target_line, style=TARGET_STYLE, step=True))
        first, last = values[0], values[-1]
        description = (
            f"Line chart of {indicator.name}, {first.period.label} to {last.period.label}: "
            f"{first.formatted} in {first.period.label}, {last.formatted} in {last.period.label}"
            f"{'; the target line is dashed' if len(series) > 1 else ''}"
            f"{'; these are demo figures' if any(v.is_demo for v in values) else ''}. "
            "Every figure is in the table below."
        )
        chart = line_chart(
            [p.short_label for p in periods],
            series,
            description=description,
            format_tick=lambda tick: _tick(indicator.unit, tick),
            cap=100.0 if indicator.unit == Unit.PERCENT else None,
        )
    latest = values[-1] if values else None
    previous = values[-2] if len(values) > 1 else None
    words, arrow = direction_of_travel(
        indicator.polarity, latest.value if latest else None, previous.value if previous else None
    )
    context = {
        "indicator": indicator,
        "values": list(reversed(values)),
        "targets": targets,
        "chart": chart,
        "latest": latest,
        "previous": previous,
        "direction": words,
        "arrow": arrow,
        "can_change": indicator.can_be_changed_by(request.user),
        "can_edit": may_change_in_partnership(request.user, indicator.partnership_id),
        "priority_areas": indicator.priority_areas.select_related("plan"),
        "linked_actions": indicator.actions.all(),
        "changes": _changes(indicator),
        "has_demo": any(v.is_demo for v in values) or any(t.is_demo for t in targets),
        "benchmark_url": _benchmark_url(indicator),
        "figure_due": indicator.figure_due(timezone.localdate(), starts=by_start.keys()),
    }
    return render(request, "kpis/indicator_detail.html", context)


def _tick(unit: str, tick: float) -> str:
    if unit == Unit.PERCENT:
        return f"{tick:g}%"
    return f"{tick:,.0f}" if tick == int(tick) else f"{tick:g}"


def _benchmark_url(indicator: Indicator) -> str:
    if not indicator.dfe_measure:
        return ""
    params = {"measure": indicator.dfe_measure}
    if indicator.partnership.area_code:
        params["area"] = indicator.partnership.area_code
    return f"{reverse('kpis:benchmark')}?{urlencode(params)}"


def _changes(indicator: Indicator) -> list[dict[str, Any]]:
    """The latest changes to the indicator's values and targets, newest first, with who and why."""
    value_history = IndicatorValue.history.filter(indicator_id=indicator.pk)
    target_history = Target.history.filter(indicator_id=indicator.pk)
    changes: list[dict[str, Any]] = []
    for record in value_history.select_related("history_user__organisation").order_by("-history_date")[:15]:
        period = indicator.period_starting(record.period_start)
        changes.append(
            {
                "when": record.history_date,
                "who": record.actor,
                "what": f"{period.label}: {format_figure(record.value, indicator.unit)}"
                + (f", rated {record.get_rating_display().lower()}" if record.rating else ""),
                "kind": {"+": "Value entered", "~": "Value changed", "-": "Value removed"}[record.history_type],
                "why": record.why,
                "is_demo": record.is_demo,
            }
        )
    for record in target_history.select_related("history_user__organisation").order_by("-history_date")[:10]:
        span = periods_label(
            indicator.period_starting(record.first_period_start), indicator.period_starting(record.last_period_end)
        )
        changes.append(
            {
                "when": record.history_date,
                "who": record.actor,
                "what": f"{span}: target {format_figure(record.value, indicator.unit)}, tolerance "
                f"{format_tolerance(record.tolerance, indicator.unit)}",
                "kind": {"+": "Target set", "~": "Target changed", "-": "Target removed"}[record.history_type],
                "why": record.why,
                "is_demo": record.is_demo,
            }
        )
    notes = ExceptionNote.history.filter(value__indicator_id=indicator.pk)
    for record in notes.select_related("history_user__organisation").order_by("-history_date")[:10]:
        changes.append(
            {
                "when": record.history_date,
                "who": record.actor,
                "what": f"back on target by {record.recovery_date:%-d %B %Y}",
                "kind": {"+": "Exception note given", "~": "Exception note changed", "-": "Exception note removed"}[
                    record.history_type
                ],
                "why": record.why,
                "is_demo": False,
            }
        )
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes[:20]


def _indicator_csv(indicator: Indicator, values: list[IndicatorValue]) -> HttpResponse:
    rows: list[list[object]] = [
        [
            value.period.key,
            value.period.label,
            _number_text(value.value),
            _number_text(value.numerator),
            _number_text(value.denominator),
            _number_text(value.target.value) if value.target else "",
            _number_text(value.target.tolerance) if value.target else "",
            value.rating_label,
            "yes" if value.is_demo else "no",
            value.get_source_display(),
            value.source_detail,
            value.entered_by_label,
            value.note,
            *_exception_note_cells(value),
        ]
        for value in values
    ]
    header = [
        "period",
        "period_label",
        "value",
        "numerator",
        "denominator",
        "target",
        "tolerance",
        "rating",
        "demo_figure",
        "source",
        "source_detail",
        "entered_by",
        "note",
        "exception_why_missed",
        "exception_what_is_being_done",
        "exception_back_on_target_by",
    ]
    return csv_response(f"indicator-{indicator.pk}.csv", header, rows)


def _exception_note_cells(value: IndicatorValue) -> list[object]:
    note = value.note_for_exception
    return [note.reason, note.action, note.recovery_date.isoformat()] if note else ["", "", ""]


@login_required
@require_http_methods(["GET", "POST"])
def value_new(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for_change(request.user, indicator_id)
    latest = indicator.values.order_by("-period_start").first()
    initial = {"period": following(latest.period).key} if latest else None
    form = ValueForm(request.POST if request.method == "POST" else None, indicator=indicator, initial=initial)
    # The form's fields are the service's: period, value, numerator, denominator, note.
    said = "{row.indicator.name}: {row.period.label} saved as {row.formatted} ({row.rating_label})."
    saved = saved_redirect(request, form, record_value, said, to=indicator, indicator_id=indicator.pk)
    is_rate = indicator.unit in (Unit.PERCENT, Unit.RATE_PER_100)
    return saved or _indicator_form_page(request, "kpis/value_form.html", indicator, form, is_rate=is_rate)


@login_required
@require_http_methods(["GET", "POST"])
def exception_note(request: HttpRequest, value_id: int) -> HttpResponse:
    """The owner's exception note on a figure that missed its target: given, or revised."""
    value = access.value_for_exception_note(request.user, value_id)
    indicator = value.indicator
    given = value.note_for_exception
    initial = None
    if given is not None:
        day = given.recovery_date
        initial = {
            "reason": given.reason,
            "action": given.action,
            "recovery_date_day": day.day,
            "recovery_date_month": day.month,
            "recovery_date_year": day.year,
        }
    form = ExceptionNoteForm(request.POST if request.method == "POST" else None, initial=initial)
    said = f"{indicator.name}: exception note for {value.period.label} saved."
    saved = saved_redirect(request, form, give_exception_note, lambda note: said, to=indicator, value_id=value.pk)
    return saved or _indicator_form_page(
        request, "kpis/exception_note_form.html", indicator, form, value=value, revising=given is not None
    )


@login_required
@require_http_methods(["GET", "POST"])
def values_upload(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for_change(request.user, indicator_id)
    problems: list[str] = []
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        result, problems = _uploaded(form, upload_values_csv, indicator_id=indicator.pk, user=request.user)
        if result is not None:
            messages.success(request, f"{indicator.name}: values uploaded ({result.summary}).")
            return redirect(indicator)
    return _indicator_form_page(
        request,
        "kpis/upload_form.html",
        indicator,
        form,
        problems=problems[:100],
        more_problems=max(0, len(problems) - 100),
        columns=",".join(CSV_COLUMNS),
        period_hint=PERIOD_HINTS[indicator.frequency],
    )


def _uploaded(form: Any, write: Callable[..., WriteResult], **where: Any) -> tuple[WriteResult | None, list[str]]:
    """The valid form's file written by `write`; or, refused, its problems by line, said on the form."""
    upload = form.cleaned_data["file"]
    try:
        return write(raw=upload.read(), filename=upload.name or "", **where), []
    except CsvUploadError as exc:
        problems = exc.problems
    form.add_error(
        "file",
        f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}, listed below; "
        "nothing was saved. Correct the file and upload it again.",
    )
    return None, problems


@login_required
@require_http_methods(["GET", "POST"])
def partnership_values_upload(request: HttpRequest) -> HttpResponse:
    """Figures for all the partnership's indicators in one file, as the per-indicator upload reads them."""
    partnership, indicators = access.indicators_for_bulk_upload(request.user)
    problems: list[str] = []
    form = (
        PartnershipValuesUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else PartnershipValuesUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        result, problems = _uploaded(form, upload_partnership_values, partnership_id=partnership.pk, user=request.user)
        if result is not None:
            messages.success(request, f"{form.cleaned_data['file'].name}: figures uploaded ({result.summary}).")
            return redirect("kpis:list")
    return form_page(
        request,
        "kpis/partnership_upload_form.html",
        form,
        back_url=reverse("kpis:list"),
        back_label="Back to the indicators",
        indicators=indicators,
        problems=problems[:100],
        more_problems=max(0, len(problems) - 100),
        columns=",".join(BULK_COLUMNS),
    )


def _template_rows(indicators: list[Indicator]) -> list[list[object]]:
    """One line per indicator, with the period after its latest figure, to fill in."""
    rows: list[list[object]] = []
    for indicator in indicators:
        latest = indicator.values.order_by("-period_start").first()
        rows.append([indicator.name, following(latest.period).key if latest else "", "", "", "", ""])
    return rows


@login_required
@require_GET
def partnership_values_template(request: HttpRequest, fmt: str) -> HttpResponse:
    partnership, indicators = access.indicators_for_bulk_upload(request.user)
    filename = f"{partnership.slug}-kpi-figures.{fmt}"
    if fmt == "csv":
        return csv_response(filename, list(BULK_COLUMNS), _template_rows(indicators))
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "KPI figures"
    lines: list[list[object]] = [list(BULK_COLUMNS), *_template_rows(indicators)]
    for line in lines:
        append_row(sheet, line)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def target_new(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for_change(request.user, indicator_id)
    form = TargetForm(request.POST if request.method == "POST" else None, indicator=indicator)
    # The form's fields are the service's: first and last period, value, tolerance, note.
    saved = saved_redirect(
        request,
        form,
        set_target,
        lambda target: f"{indicator.name}: target of {indicator.format(target.value)} set for {target.periods_label}.",
        to=indicator,
        indicator_id=indicator.pk,
    )
    return saved or _indicator_form_page(request, "kpis/target_form.html", indicator, form)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest) -> HttpResponse:
    partnership = administered_partnership(request.user, "Only an administrator can add an indicator.")
    form = IndicatorForm(request.POST or None, partnership_id=partnership.pk)

    def add(user: AnyUser, **details: Any) -> Indicator:
        # The form's fields are the indicator's details.
        return create_indicator(partnership_id=partnership.pk, user=user, details=IndicatorDetails(**details))

    saved = saved_redirect(request, form, add, "{row.name} added. Set its targets next.")
    texts: dict[str, Any] = {
        "page_title": "Add an indicator",
        "caption": "Key performance indicators",
        "submit": "Add indicator",
    }
    back: dict[str, Any] = {"back_url": reverse("kpis:list"), "back_label": "Back to all indicators"}
    return saved or form_page(request, "form_page.html", form, **back, **texts)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for_editing(request.user, indicator_id)
    initial = asdict(IndicatorDetails.of(indicator))
    form = IndicatorForm(request.POST or None, partnership_id=indicator.partnership_id, editing=True, initial=initial)

    def save(user: AnyUser, reason: str, **details: Any) -> Indicator:
        return update_indicator(
            indicator_id=indicator.pk, user=user, details=IndicatorDetails(**details), reason=reason
        )

    saved = saved_redirect(request, form, save, "{row.name}: details saved.")
    texts = {"page_title": "Change the indicator's details", "caption": indicator.name, "submit": "Save details"}
    return saved or _indicator_form_page(request, "form_page.html", indicator, form, **texts)


def _indicator_form_page(
    request: HttpRequest, template_name: str, indicator: Indicator, form: Any, **context: Any
) -> HttpResponse:
    return object_form_page(request, template_name, form, indicator, f"Back to {indicator.name}", **context)


@login_required
@require_GET
def benchmark(request: HttpRequest) -> HttpResponse:
    measure = request.GET.get("measure") or DfeMeasure.PC_WITHIN_20_WEEKS_EX
    directory = Directory(measure if measure in DfeMeasure.values else DfeMeasure.PC_WITHIN_20_WEEKS_EX)
    authorities = directory.authorities()
    if not authorities:
        return render(request, "kpis/benchmark_empty.html")
    partnership = partnership_of(request.user)
    home = directory.find(partnership.area_code) if partnership and partnership.area_code else None
    data = request.GET.copy()
    data.setlist("compare", [code for code in data.getlist("compare") if code.strip()])
    if not any(name in request.GET for name in ("area", "compare", "measure")):
        # First visit: the reader's own authority against England, its region and Hertfordshire.
        data["measure"] = measure
        if home:
            data["area"] = home.code
            data.setlist("compare", [code for code in DEFAULT_COMPARATORS if code != home.code])
    if not data.get("measure"):
        data["measure"] = measure
    codes = sorted(directory.key_by_code)
    form = BenchmarkForm(data, authorities=authorities, codes=codes)
    result: Benchmark | None = None
    if form.is_valid():
        area_code = form.cleaned_data["area"] or (home.code if home else "")
        area = directory.find(area_code) if area_code else None
        if area is not None:
            comparators = [
                found
                for code in form.cleaned_data["compare"]
                if (found := directory.find(code)) is not None and found.key != area.key
            ]
            result = build_benchmark(directory, area, comparators)
    if result is not None and request.GET.get("format") == "csv":
        return _benchmark_csv(result)
    csv_params = [(name, value) for name in ("measure", "area") if (value := data.get(name))]
    csv_params += [("compare", code) for code in data.getlist("compare")]
    named = [{"value": authority.code, "label": authority.name} for authority in authorities]
    latest_import = EhcpTimeliness.objects.order_by("-imported_at").values("source_release", "imported_at").first()
    return render(
        request,
        "kpis/benchmark.html",
        {
            "form": form,
            # Any code the figures have used is accepted; the lists offer each authority once, by name.
            "area_options": [{"value": "", "label": "Choose a local authority"}, *named],
            "compare_options": [{"value": "", "label": "None"}, *named],
            "benchmark": result,
            "rows": result.rows() if result else [],
            "chart": result.chart() if result else None,
            "rank_rows": result.rank_rows() if result else [],
            "csv_url": "?" + urlencode([*csv_params, ("format", "csv")]),
            "latest_import": latest_import,
        },
        status=400 if form.errors else 200,
    )


def _benchmark_csv(result: Benchmark) -> HttpResponse:
    rows: list[list[object]] = []
    for year in result.years:
        for series in result.series:
            cell = series.cells.get(year)
            rank = series.ranks.get(year)
            rows.append(
                [
                    result.measure,
                    year,
                    cell.area_code if cell else series.code,
                    cell.area_name if cell else series.name,
                    series.level,
                    series.role,
                    _number_text(cell.value) if cell else "",
                    "" if cell is None or cell.numerator is None else cell.numerator,
                    "" if cell is None or cell.denominator is None else cell.denominator,
                    (cell.missing_code or "") if cell else "not_published",
                    rank.rank if rank else "",
                    rank.of if rank else "",
                ]
            )
    header = [
        "measure",
        "year",
        "area_code",
        "area_name",
        "level",
        "role",
        "value",
        "numerator",
        "denominator",
        "missing_reason",
        "rank_among_local_authorities",
        "local_authorities_ranked",
    ]
    stamp = timezone.localdate().isoformat()
    return csv_response(f"ehcp-timeliness-{result.area.code}-{stamp}.csv", header, rows)
