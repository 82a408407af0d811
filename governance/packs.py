"""Board packs: a meeting's paper as at its date, in Word, Excel and CSV, from one list of sections.

Each section is built once, from the meeting's figures (`meeting_figures.read_meeting_figures`),
as a format-free `Section`: a title, text, sub-headings and tables. `docx`, `xlsx` and `csv` render
any list of sections: Word as headings a screen reader lists (Heading 1 per section, Heading 2
within), with a table of contents, page numbers and a footer naming the partnership and the date;
Excel as a sheet per section; CSV as the sections one after another, each opening with a row of its
title. To add to the pack, add a section function to `BOARD_PACK` (or a column to a section's
table): every format follows.

The highlight report keeps the layout of the published progress report (the EYP report of 20 May
2024, appendix B): PAP Ref, Objective, Theme, Project(s), Comment, Date, BRAG, with each objective
as a sub-heading row above its actions. A rating is always written as its name ("Amber"); the
cell's shading only repeats it, so the pack reads the same printed in black and white or read
aloud by a screen reader.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actions.baseline import ActionSinceSignOff, ActionState, SinceSignOff
from actions.choices import BRAG_DEFINITIONS, BRAG_DISPLAY_ORDER, NOT_YET_RATED, Brag
from actions.forum import PACK_COLUMNS as FORUM_PACK_COLUMNS
from actions.forum import pack_rows as forum_pack_rows
from kpis.choices import Rating
from kpis.reports import exception_notes
from send_tracker.spreadsheets import append_row, write_csv

from .as_it_stood import PlanAsItStood, RiskAsItStood
from .choices import RiskLevel
from .meeting_figures import IndicatorAsItStood, MeetingFigures
from .models import Meeting, describe_scores, end_of_day, long_date
from .rounds import round_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# Light tints, the same as the web pages', so black text on them keeps a contrast above 7:1.
BRAG_FILLS: dict[str | None, str] = {
    Brag.RED: "F4CDC6",
    Brag.AMBER: "FCE2A8",
    Brag.GREEN: "CCE2D8",
    Brag.BLUE: "BBD4EA",
    Brag.GREY: "DFE0E1",
    None: "FFFFFF",
}
LEVEL_FILLS: dict[str, str] = {
    RiskLevel.LOW: "CCE2D8",
    RiskLevel.MEDIUM: "FFF7BF",
    RiskLevel.HIGH: "FCE2A8",
    RiskLevel.VERY_HIGH: "F4CDC6",
}
KPI_FILLS: dict[str | None, str] = {
    Rating.MET: "CCE2D8",
    Rating.WITHIN_TOLERANCE: "FCE2A8",
    Rating.MISSED: "F4CDC6",
    None: "FFFFFF",
}
OBJECTIVE_FILL = "F3F2F1"
HEADER_FILL = "DEE0E2"

DEMO_NOTE = (
    "Demo: this meeting and the history behind these figures were invented to show how the tracker works. "
    "They are not the partnership's real record."
)


# ---------------------------------------------------------------------------------------------
# The pack's shape, whatever the format


@dataclass(frozen=True)
class Row:
    """A table row: its cells, which of them are shaded (column: colour) or bold, or a sub-heading
    row (an objective above its actions), bold and shaded across."""

    cells: Sequence[object]
    fills: dict[int, str] = field(default_factory=dict)
    bold: frozenset[int] = frozenset()
    heading: bool = False


@dataclass
class Table:
    """A table of a section. `word` is the same content in fewer, wider columns for the printed
    page, where the spreadsheet keeps a column per figure; None: Word prints this table."""

    columns: list[str]
    rows: list[Row]
    widths_cm: Sequence[float]
    excel_widths: Sequence[float] | None = None
    word: Table | None = None


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    bullet: bool = False


@dataclass(frozen=True)
class Subheading:
    text: str


Block = Text | Subheading | Table


@dataclass
class Section:
    """One section of a pack: a Heading 1 in Word, a sheet in Excel, a titled run of rows in CSV."""

    title: str
    sheet: str  # Excel allows 31 characters
    blocks: list[Block] = field(default_factory=list)
    is_cover: bool = False

    def text(self, text: str, *, bold: bool = False, bullet: bool = False) -> None:
        self.blocks.append(Text(text, bold, bullet))


@dataclass
class Pack:
    """A document: its title, the footer's words, and its sections in order."""

    title: str
    footer: str
    sections: list[Section]


# ---------------------------------------------------------------------------------------------
# The sections. Each takes the meeting's figures and returns a Section.

SectionFunction = Callable[[MeetingFigures], Section]


def _meeting_line(meeting: Meeting) -> str:
    return f"{meeting.board.full_name}, meeting of {meeting.date_label}."


def cover_section(figures: MeetingFigures) -> Section:
    meeting = figures.meeting
    section = Section(f"{meeting.board.full_name}: board pack", "Cover", is_cover=True)
    section.text(f"Meeting of {meeting.date_label}", bold=True)
    section.text(f"{figures.as_at_text}, from the tracker's history.")
    section.text(f"Partnership: {figures.partnership_name}")
    section.text(f"Plan: {figures.plan.title if figures.plan else 'No plan recorded'}")
    previous = figures.previous
    section.text(f"Previous meeting: {previous.date_label if previous else 'None recorded'}")
    if meeting.title:
        section.text(meeting.title)
    if meeting.is_demo:
        section.text(DEMO_NOTE, bold=True)
    section.text(
        "Every rating and level is named in words; the shading only repeats the word, so the pack reads the "
        "same printed in black and white or read aloud."
    )
    return section


HEADLINE_COLUMNS = ["Figure", "At this meeting", "At the previous meeting", "Change"]


def headline_section(figures: MeetingFigures) -> Section:
    section = Section("Headline figures", "Headline figures")
    section.text(f"{figures.as_at_text}, against the board's previous meeting.")
    rows = [
        Row([h.label, h.value, "" if h.before is None else h.before, h.change_text], bold=frozenset({1}))
        for h in figures.headlines
    ]
    section.blocks.append(Table(HEADLINE_COLUMNS, rows, [10.0, 4.0, 5.0, 7.7], [44, 16, 22, 30]))
    return section


CHANGES_COLUMNS = ["What changed", "Ref", "Details"]


def changes_section(figures: MeetingFigures) -> Section:
    section = Section("Changed since the last meeting", "Changes")
    changes = figures.reading.changes
    if changes is None:
        section.text(f"This is the first meeting of {figures.meeting.board} recorded here: nothing to compare with.")
        return section
    previous = changes.previous.date_label
    if changes.is_empty:
        section.text(f"Nothing changed between the meeting of {previous} and this one.")
        return section
    section.text(f"Since the meeting of {previous}, up to {figures.at}.")
    rows: list[list[object]] = []
    for kind, moves in (
        ("Rating up", changes.improved),
        ("Rating down", changes.worsened),
        ("Rated for the first time", changes.first_rated),
    ):
        for move in moves:
            was = move.before.brag_label if move.before else "Not in the plan"
            rows.append([kind, move.after.published_ref, f"{was} to {move.after.brag_label}"])
    for update in changes.new_evidence:
        evidence = update.evidence_text or update.evidence_link or update.evidence_filename
        rows.append(
            [
                "New evidence",
                update.action.published_ref,
                f"{long_date(update.created_at.date())}, rated {Brag(update.brag).label}: {evidence}",
            ]
        )
    for row in changes.newly_overdue:
        rows.append(["Newly overdue", row.published_ref, f"Due {long_date(row.due_date)}, rated {row.brag_label}"])  # type: ignore[arg-type]
    for row in changes.added:
        rows.append(["Added to the plan", row.published_ref, row.description])
    for change in changes.risks_rescored:
        before, after = change.before, change.after
        rows.append(
            [
                "Risk re-scored",
                after.reference,
                f"{after.title}: after mitigation {before.score_after} ({before.level_after.label}) to "
                f"{after.score_after} ({after.level_after.label})",
            ]
        )
    for risk in changes.risks_added:
        rows.append(["Risk added", risk.reference, risk.title])
    section.blocks.append(Table(CHANGES_COLUMNS, [Row(cells) for cells in rows], [5.0, 2.2, 19.5], [26, 10, 90]))
    return section


PLAN_COLUMNS = ["PAP Ref", "Objective", "Theme", "Project(s)", "Comment", "Date", "BRAG"]
# Landscape A4 less 1.5 cm margins is 26.7 cm; the description and the comment get the room.
PLAN_WIDTHS_CM = [1.6, 8.4, 3.0, 3.2, 6.5, 1.8, 2.2]
PLAN_SHEET = "Highlight report"


@dataclass(frozen=True)
class HighlightRow:
    """One row of the highlight report: an objective's sub-heading, or an action."""

    is_objective: bool
    ref: str
    objective: str
    theme: str = ""
    projects: str = ""
    comment: str = ""
    date: str = ""
    brag: str | None = None
    retired: bool = False
    mark: str = ""  # said after the rating, e.g. "(not updated this round)"

    @property
    def brag_label(self) -> str:
        if self.is_objective:
            return ""
        if self.retired:  # said in words; its cell is shaded as no rating, not as its last one
            return "Retired"
        label = Brag(self.brag).label if self.brag else NOT_YET_RATED
        return f"{label} {self.mark}" if self.mark else label

    def cells(self) -> list[str]:
        return [self.ref, self.objective, self.theme, self.projects, self.comment, self.date, self.brag_label]


def not_updated_this_round(figures: MeetingFigures) -> set[int]:
    """The actions (ids) not updated in the update round before this meeting (governance.rounds),
    marked in the highlight report; none when the meeting's board runs no update rounds."""
    update_round = round_for(figures.meeting, previous=figures.previous)
    return set(update_round.due_actions().values_list("pk", flat=True)) if update_round else set()


def highlight_rows(reading: PlanAsItStood, not_updated: set[int] | None = None) -> list[HighlightRow]:
    rows: list[HighlightRow] = []
    for group in reading.groups():
        rows.append(HighlightRow(is_objective=True, ref=group.objective.code, objective=group.objective.text))
        for action in group.actions:
            rows.append(
                HighlightRow(
                    is_objective=False,
                    ref=action.published_ref,
                    objective=action.description,
                    theme=action.themes_text,
                    projects=action.workstreams_text,
                    comment=action.highlight_comment,
                    date=action.date_text,
                    brag=None if action.is_retired else action.brag,
                    retired=action.is_retired,
                    mark="(not updated this round)" if not_updated and action.action_id in not_updated else "",
                )
            )
    return rows


def highlight_section(figures: MeetingFigures) -> Section:
    reading = figures.reading.plan
    section = Section("PAP highlight report", PLAN_SHEET)
    plan_title = reading.plan.title if reading.plan else "No plan recorded"
    on = long_date(reading.on)
    section.text(f"{plan_title}. For the {_meeting_line(figures.meeting)}")
    section.text(
        f"Each action's rating, commentary and target date as they stood at the end of {on}, from the "
        "tracker's history. Every rating is named in words; the shading only repeats the word."
    )
    if not reading.actions:
        section.text("There were no actions in the plan at this date.")
    last = len(PLAN_COLUMNS) - 1
    rows = [
        Row(item.cells(), heading=True)
        if item.is_objective
        else Row(item.cells(), fills={last: BRAG_FILLS[item.brag]}, bold=frozenset({last}))
        for item in highlight_rows(reading, not_updated_this_round(figures))
    ]
    section.blocks.append(Table(PLAN_COLUMNS, rows, PLAN_WIDTHS_CM, [9, 60, 20, 22, 45, 10, 14]))
    return section


def key_section(figures: MeetingFigures | None = None) -> Section:
    section = Section("Key: the BRAG ratings the DfE instructs", "Key")
    rows = [
        Row([Brag(value).label, BRAG_DEFINITIONS[value]], fills={0: BRAG_FILLS[value]}, bold=frozenset({0}))
        for value in BRAG_DISPLAY_ORDER
    ]
    rows.append(Row([NOT_YET_RATED, "No rating recorded yet (this is not Grey)."], bold=frozenset({0})))
    section.blocks.append(Table(["Rating", "Meaning"], rows, [4.0, 22.7], [16, 70]))
    return section


INDICATOR_COLUMNS = [
    "Indicator",
    "Latest period",
    "Latest figure",
    "Target",
    "Against target",
    "Trend since the figure before",
    "Recent figures (oldest first)",
    "Exception note",
]
INDICATOR_WIDTHS_CM = [5.0, 2.6, 2.0, 2.0, 2.6, 2.8, 5.7, 4.0]


def exception_notes_then(figures: MeetingFigures) -> dict[int, str]:
    """The owners' exception notes on the indicators' latest figures as they stood at the end of the
    meeting's day, by figure id (kpis.reports.exception_notes). One query, even when no figure is in
    (no figure has id 0), so that the pack's queries are the same with or without history."""
    value_ids = [row.latest.value_id for row in figures.indicators if row.latest]
    return exception_notes(value_ids or [0], on=figures.on)


def exception_note(notes: dict[int, str], row: IndicatorAsItStood) -> str:
    """The owner's exception note on the latest figure, where one was given by the meeting."""
    return notes.get(row.latest.value_id, "") if row.latest else ""


def indicator_cells(figures: MeetingFigures, row: IndicatorAsItStood, notes: dict[int, str]) -> list[object]:
    latest = row.latest
    return [
        row.indicator.name,
        latest.period_label if latest else "No figure",
        latest.formatted if latest else "",
        row.target_text,
        row.rating_label,
        row.direction,
        row.trend_text,
        exception_note(notes, row),
    ]


def indicators_section(figures: MeetingFigures) -> Section:
    section = Section("Indicators against target", "Indicators")
    if not figures.indicators:
        section.text("The partnership has no indicators recorded.")
        return section
    off = sum(1 for row in figures.indicators if row.is_off_target)
    section.text(
        f"Each indicator's latest figure for a period ended by {long_date(figures.on)}, as recorded by "
        f"{figures.at}. {off} off target (missed beyond tolerance)."
    )
    rating_column = INDICATOR_COLUMNS.index("Against target")
    notes = exception_notes_then(figures)
    rows = [
        Row(
            indicator_cells(figures, row, notes),
            fills={rating_column: KPI_FILLS[row.latest.rating if row.latest else None]},
            bold=frozenset({rating_column}),
        )
        for row in figures.indicators
    ]
    section.blocks.append(Table(INDICATOR_COLUMNS, rows, INDICATOR_WIDTHS_CM, [40, 16, 12, 12, 16, 18, 50, 40]))
    return section


RECOMMENDATION_COLUMNS = ["Recommendation", "Text", "Report", "Committee", "Response due", "Days left at the meeting"]


def recommendations_section(figures: MeetingFigures) -> Section:
    section = Section("Recommendations awaiting a response", "Recommendations")
    if not figures.awaiting:
        section.text(f"No recommendation was awaiting a response at {figures.moment_label}.")
        return section
    section.text(
        f"{len(figures.awaiting)} scrutiny recommendation{'s' if len(figures.awaiting) != 1 else ''} owed a "
        f"response at {figures.at}, with the days left then."
    )
    rows = [
        Row(
            [
                item.recommendation.reference,
                item.recommendation.text,
                item.recommendation.report.title,
                item.recommendation.report.committee.name,
                long_date(item.due) if item.due else "Not set",
                item.days_left_text,
            ],
            bold=frozenset({5}),
        )
        for item in figures.awaiting
    ]
    section.blocks.append(
        Table(RECOMMENDATION_COLUMNS, rows, [3.4, 10.0, 5.0, 3.5, 2.6, 2.2], [22, 60, 40, 30, 16, 16])
    )
    return section


RISK_COLUMNS = [
    "Ref",
    "Risk",
    "Cause",
    "Consequence",
    "Owner",
    "Likelihood before",
    "Impact before",
    "Score before",
    "Level before",
    "Likelihood after",
    "Impact after",
    "Score after",
    "Level after",
    "Mitigations",
    "Trend",
    "Next review",
    "Review overdue",
    "Demo scores",
]
RISK_DOC_COLUMNS = [
    "Ref",
    "Risk",
    "Owner",
    "Before mitigation",
    "After mitigation",
    "Mitigations",
    "Trend",
    "Next review",
]
RISK_DOC_WIDTHS_CM = [1.2, 7.5, 3.0, 3.4, 3.4, 5.0, 1.6, 1.6]
RISK_SHEET = "Risk register"


def _owner(risk: RiskAsItStood, owners: dict[int, str]) -> str:
    return ", ".join(part for part in (risk.owner_role, owners.get(risk.owner_id or 0, "")) if part) or "Not assigned"


def risk_cells(risk: RiskAsItStood, owners: dict[int, str], on: datetime.date) -> list[object]:
    return [
        risk.reference,
        risk.title,
        risk.cause,
        risk.consequence,
        _owner(risk, owners),
        risk.likelihood_before,
        risk.impact_before,
        risk.score_before,
        risk.level_before.label,
        risk.likelihood_after,
        risk.impact_after,
        risk.score_after,
        risk.level_after.label,
        risk.mitigations,
        risk.trend_label,
        risk.next_review_date.isoformat() if risk.next_review_date else "",
        "Yes" if risk.is_review_overdue(on) else "No",
        "Yes" if risk.is_demo_scores else "No",
    ]


def _risk_doc_cells(risk: RiskAsItStood, owners: dict[int, str], on: datetime.date) -> list[object]:
    description = risk.title
    if risk.cause:
        description += f"\nCause: {risk.cause}"
    if risk.consequence:
        description += f"\nConsequence: {risk.consequence}"
    review = long_date(risk.next_review_date) if risk.next_review_date else "Not set"
    if risk.is_review_overdue(on):
        review += " (review overdue)"
    after = describe_scores(risk.likelihood_after, risk.impact_after)
    if risk.is_demo_scores:
        after += " (Demo scores)"
    before = describe_scores(risk.likelihood_before, risk.impact_before)
    return [
        risk.reference,
        description,
        _owner(risk, owners),
        before,
        after,
        risk.mitigations,
        risk.trend_label,
        review,
    ]


def risk_section(figures: MeetingFigures) -> Section:
    risks, owners, on = figures.reading.risks, figures.owners, figures.on
    section = Section("Risk register", RISK_SHEET)
    section.text(f"The SEND risk register as at {long_date(on)}. For the {_meeting_line(figures.meeting)}")
    if figures.meeting.is_demo or any(risk.is_demo_scores for risk in risks):
        section.text(
            "Demo: scores marked 'Demo scores' were invented to show how the tracker works. The risks themselves are "
            "those the partnership recorded in its 2018 Written Statement of Action report.",
            bold=True,
        )
    section.text(
        "Likelihood and impact are scored 1 to 5; the score is their product (1 to 25). Levels: 1 to 4 Low, "
        "5 to 9 Medium, 10 to 15 High, 16 to 25 Very high. Each level is named in words; the shading only "
        "repeats it. The trend compares the score after mitigation with the previous review."
    )
    if not risks:
        section.text("There were no risks on the register at this date.")
    levels = (RISK_COLUMNS.index("Level before"), RISK_COLUMNS.index("Level after"))
    rows = [
        Row(
            risk_cells(risk, owners, on),
            fills={levels[0]: LEVEL_FILLS[risk.level_before], levels[1]: LEVEL_FILLS[risk.level_after]},
            bold=frozenset(levels),
        )
        for risk in risks
    ]
    word_rows = [
        Row(
            _risk_doc_cells(risk, owners, on),
            fills={3: LEVEL_FILLS[risk.level_before], 4: LEVEL_FILLS[risk.level_after]},
            bold=frozenset({0, 3, 4}),
        )
        for risk in risks
    ]
    widths = [6, 40, 30, 30, 24, 10, 10, 10, 11, 10, 10, 10, 11, 40, 10, 12, 10, 10]
    word = Table(RISK_DOC_COLUMNS, word_rows, RISK_DOC_WIDTHS_CM)
    section.blocks.append(Table(RISK_COLUMNS, rows, [], widths, word=word))
    return section


def forum_views_section(figures: MeetingFigures) -> Section:
    """The parent carer forum's views of the ratings and the owners' replies, as they stood at the
    end of the meeting's day, in the plan's order (actions.forum.pack_rows). One query."""
    section = Section("The parent carer forum's views", "Forum views")
    rows = forum_pack_rows(figures.plan, end_of_day(figures.on), figures.reading.plan.actions)
    if not rows:
        section.text(f"The parent carer forum had given no view of a rating by {figures.moment_label}.")
        return section
    section.text(
        f"The parent carer forum's views of the ratings of {len(rows)} action{'s' if len(rows) != 1 else ''} as "
        f"they stood at {figures.at}, with the owners' replies."
    )
    table_rows = [Row(cells, bold=frozenset({2})) for cells in rows]
    section.blocks.append(Table(FORUM_PACK_COLUMNS, table_rows, [2.0, 2.6, 5.0, 8.5, 8.6], [10, 16, 30, 60, 60]))
    return section


# ---------------------------------------------------------------------------------------------
# Since sign-off: the plan at a date (a meeting's, or today) against its signed-off baseline
# (actions/baseline.py), as a section of the pack and as the Since sign-off page's own downloads.

SINCE_SIGN_OFF_TITLE = "Since sign-off"
SINCE_SIGN_OFF_COLUMNS = [
    "PAP Ref",
    "Action",
    "Priority area",
    "Change",
    "Target date at sign-off",
    "Target date",
    "Days moved (later +, earlier -)",
    "Times moved since sign-off",
    "Owner at sign-off",
    "Owner",
    "Rating at sign-off",
    "Rating",
    "Status",
]
SINCE_SIGN_OFF_DOC_COLUMNS = ["PAP Ref", "Action", "Change", "Target date", "Owner", "Rating"]
SINCE_SIGN_OFF_DOC_WIDTHS_CM = [1.6, 8.1, 5.0, 4.4, 4.0, 3.6]


def _rating(state: ActionState | None) -> str:
    return state.brag_label if state else ""


def since_sign_off_cells(row: ActionSinceSignOff) -> list[object]:
    """One action's row: what changed in words, then each figure in a column of its own."""
    then, now = row.then, row.now
    area = row.objective.priority_area
    return [
        row.published_ref,
        row.description,
        f"PAP {area.number}: {area.title}",
        "; ".join(row.changes) or "No change",
        row.baseline_due_date,
        row.due_date,
        row.days_slipped,
        row.due_date_revisions,
        then.owner if then else "",
        now.owner if now else "",
        _rating(then),
        _rating(now),
        ("Retired" if row.is_retired else "Open") if now else "No longer in the plan",
    ]


def since_sign_off_summary(comparison: SinceSignOff) -> list[str]:
    """The comparison in a few sentences, as the page and every format open with it."""
    if not comparison.is_signed_off or comparison.signed_off_on is None:
        return ["The plan had not been signed off at this date, so there is no baseline to compare with."]
    at = long_date(comparison.on) if comparison.on else "today"
    lists = comparison.lists
    later = lists["moved_later"]
    return [
        f"Signed off on {long_date(comparison.signed_off_on)}; compared with the plan at the end of {at}.",
        f"Actions at sign-off: {len(lists['at_sign_off'])}; in the plan at {at}: {len(lists['in_plan'])}.",
        f"Added since sign-off: {len(lists['added'])}. Retired: {len(lists['retired'])}.",
        f"Target dates moved later: {len(later)} (by {comparison.days_slipped_total} days in all). "
        f"Moved earlier: {len(lists['moved_earlier'])}.",
        f"Owners changed: {len(lists['owners_changed'])}. Ratings changed: {len(lists['ratings_changed'])}.",
    ]


def _date_or(day: datetime.date | None, absent: str = "None") -> str:
    return long_date(day) if day else absent


def _since_sign_off_doc_cells(row: ActionSinceSignOff) -> list[object]:
    then, now = row.then, row.now
    dates = f"{_date_or(row.baseline_due_date)} at sign-off; {_date_or(row.due_date)} now"
    owners = f"{then.owner or 'None' if then else '-'} to {now.owner or 'None' if now else '-'}"
    ratings = f"{_rating(then) or '-'} to {_rating(now) or '-'}"
    if row.due_date_revisions:
        dates += f" (moved {row.due_date_revisions} time{'s' if row.due_date_revisions != 1 else ''})"
    return [row.published_ref, row.description, "; ".join(row.changes), dates, owners, ratings]


def since_sign_off_of(comparison: SinceSignOff, lines: Sequence[str] = ()) -> Section:
    """The comparison as a section: its summary, then every action (Word: those that changed)."""
    section = Section(SINCE_SIGN_OFF_TITLE, SINCE_SIGN_OFF_TITLE)
    for line in [*lines, *since_sign_off_summary(comparison)]:
        section.text(line)
    changed = [row for row in comparison.rows if row.changes]
    if comparison.is_signed_off and not changed:
        section.text("No action has changed since sign-off.")
    word = Table(
        SINCE_SIGN_OFF_DOC_COLUMNS,
        [Row(_since_sign_off_doc_cells(row)) for row in changed],
        SINCE_SIGN_OFF_DOC_WIDTHS_CM,
    )
    section.blocks.append(
        Table(
            SINCE_SIGN_OFF_COLUMNS,
            [Row(since_sign_off_cells(row)) for row in comparison.rows],
            [],
            [9, 50, 24, 30, 14, 14, 12, 10, 22, 22, 12, 12, 12],
            word=word,
        )
    )
    return section


def since_sign_off_section(figures: MeetingFigures) -> Section:
    if figures.since is None:
        section = Section(SINCE_SIGN_OFF_TITLE, SINCE_SIGN_OFF_TITLE)
        section.text("The partnership has no plan recorded.")
        return section
    return since_sign_off_of(figures.since)


# The board pack, in order. Other documents are a selection of these.
BOARD_PACK: list[SectionFunction] = [
    cover_section,
    headline_section,
    changes_section,
    key_section,
    highlight_section,
    since_sign_off_section,
    indicators_section,
    recommendations_section,
    risk_section,
    forum_views_section,
]
HIGHLIGHT_REPORT: list[SectionFunction] = [key_section, highlight_section, since_sign_off_section]
RISK_REGISTER: list[SectionFunction] = [risk_section]

DOCUMENTS: dict[str, tuple[str, list[SectionFunction]]] = {
    "board-pack": ("Board pack", BOARD_PACK),
    "pap-highlight-report": ("PAP highlight report", HIGHLIGHT_REPORT),
    "risk-register": ("SEND risk register", RISK_REGISTER),
}


def build_pack(figures: MeetingFigures, which: str = "board-pack") -> Pack:
    name, functions = DOCUMENTS[which]
    meeting = figures.meeting
    title = f"{name} as at {figures.moment_label}"
    footer = f"{figures.partnership_name}. {meeting.board.full_name}, meeting of {meeting.date_label}."
    return Pack(title, footer, [function(figures) for function in functions])


def render(pack: Pack, fmt: str) -> bytes:
    return {"docx": docx, "xlsx": xlsx, "csv": csv}[fmt](pack)


# ---------------------------------------------------------------------------------------------
# CSV: the sections one after another, each opening with a row of its title.


def csv_rows(sections: Sequence[Section]) -> list[list[object]]:
    rows: list[list[object]] = []
    for index, section in enumerate(sections):
        if index:
            rows.append([])
        rows.append([section.title])
        for block in section.blocks:
            if isinstance(block, Text | Subheading):
                rows.append([block.text])
            else:
                rows.append(list(block.columns))
                rows.extend(list(row.cells) for row in block.rows)
    return rows


def to_csv(header: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    # The byte order mark makes Excel read the file as UTF-8, as the DfE's own downloads do.
    buffer.write("\ufeff")
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")


def csv(pack: Pack) -> bytes:
    rows = csv_rows(pack.sections)
    return to_csv(rows[0], rows[1:])


# ---------------------------------------------------------------------------------------------
# Word


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_as_header(row: _Row) -> None:
    # Marks the row as the table's header: Word repeats it on every page and screen readers
    # announce each cell with its column's name.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_cell(
    cell: _Cell, value: object, *, bold: bool = False, fill: str | None = None, width: float | None = None
) -> None:
    # A new cell holds one empty paragraph; a run is added to it, and bold set only where it is,
    # as each property written is an element Word must read (a pack has a thousand cells).
    run = cell.paragraphs[0].add_run("" if value is None else str(value))
    if bold:
        run.bold = True
    if fill:
        _shade(cell, fill)
    if width is not None:
        cell.width = Cm(width)


def _field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) with `shown` as its result until Word updates it."""

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run.append(mark)
        return run

    paragraph._p.append(char("begin"))
    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code.append(text)
    paragraph._p.append(code)
    paragraph._p.append(char("separate"))
    paragraph.add_run(shown)
    paragraph._p.append(char("end"))


def _new_document(pack: Pack) -> DocxDocument:
    document = Document()
    document.core_properties.title = pack.title
    document.core_properties.language = "en-GB"
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{pack.footer} Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    # Ask Word to bring the contents and page count up to date when the pack is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    return document


def _word_table(document: DocxDocument, table: Table) -> None:
    columns, widths = table.columns, table.widths_cm
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    # The grid's widths as well as each cell's: LibreOffice (and Word's web view) read the grid.
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    header = grid.rows[0]
    for cell, name, width in zip(header.cells, columns, widths, strict=True):
        _set_cell(cell, name, bold=True, fill=HEADER_FILL, width=width)
    _repeat_as_header(header)
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, value, width) in enumerate(zip(cells, row.cells, widths, strict=True)):
            if row.heading:
                _set_cell(cell, value, bold=True, fill=OBJECTIVE_FILL, width=width)
            else:
                _set_cell(cell, value, bold=index in row.bold, fill=row.fills.get(index), width=width)


def docx(pack: Pack) -> bytes:
    document = _new_document(pack)
    document.add_heading(pack.title, level=0)
    body = [section for section in pack.sections if not section.is_cover]
    for section in pack.sections:
        if section.is_cover:
            document.add_paragraph(section.title).runs[0].bold = True
            _word_blocks(document, section.blocks)
    if len(body) > 1:
        document.add_heading("Contents", level=1)
        contents = document.add_paragraph()
        # The field's result lists the sections until Word (or LibreOffice) fills in the page numbers.
        _field(contents, 'TOC \\o "1-2" \\h \\z \\u', "\n".join(section.title for section in body))
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for section in body:
        document.add_heading(section.title, level=1)
        _word_blocks(document, section.blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _word_blocks(document: DocxDocument, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Subheading):
            document.add_heading(block.text, level=2)
        elif isinstance(block, Text):
            paragraph = document.add_paragraph(style="List Bullet" if block.bullet else None)
            paragraph.add_run(block.text).bold = block.bold
        else:
            _word_table(document, block.word or block)


# ---------------------------------------------------------------------------------------------
# Excel: a sheet per section.


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(hex_colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=hex_colour, end_color=hex_colour)


def _sheet_table(sheet: Worksheet, table: Table, first: bool) -> None:
    header = append_row(sheet, table.columns)
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.fill = _fill(HEADER_FILL)
        cell.border = BORDER
        cell.alignment = WRAP
    if first:
        # A coordinate, not sheet.cell(): touching a cell below would make the next append skip a row.
        sheet.freeze_panes = f"A{header + 1}"
        sheet.print_title_rows = f"{header}:{header}"
    for item in table.rows:
        number = append_row(sheet, item.cells)
        for index, cell in enumerate(sheet[number]):
            cell.border = BORDER
            cell.alignment = WRAP
            if isinstance(cell.value, datetime.date):
                cell.number_format = "d mmmm yyyy"
            if item.heading:
                cell.font = Font(bold=True)
                cell.fill = _fill(OBJECTIVE_FILL)
            else:
                if index in item.bold:
                    cell.font = Font(bold=True)
                if index in item.fills:
                    cell.fill = _fill(item.fills[index])
    for index, width in enumerate(table.excel_widths or [], start=1):
        current = sheet.column_dimensions[get_column_letter(index)].width or 0
        sheet.column_dimensions[get_column_letter(index)].width = max(width, current)


def _sheet(workbook: Workbook, section: Section) -> None:
    sheet = workbook.create_sheet(section.sheet[:31])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    title = append_row(sheet, [section.title])
    sheet.cell(row=title, column=1).font = Font(bold=True, size=14)
    tables = 0
    for block in section.blocks:
        if isinstance(block, Table):
            if tables or sheet.max_row > title:
                append_row(sheet, [])
            _sheet_table(sheet, block, first=not tables)
            tables += 1
        else:
            number = append_row(sheet, [block.text])
            sheet.cell(row=number, column=1).font = Font(bold=isinstance(block, Subheading) or block.bold)
    if not tables:
        sheet.column_dimensions["A"].width = 100


def xlsx(pack: Pack) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for section in pack.sections:
        _sheet(workbook, section)
    workbook.properties.title = pack.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The Since sign-off page's own downloads (actions/sign_off_views.py)


def since_sign_off_csv(comparison: SinceSignOff) -> bytes:
    """Every action of the comparison, a row each."""
    return to_csv(SINCE_SIGN_OFF_COLUMNS, [since_sign_off_cells(row) for row in comparison.rows])


def since_sign_off_xlsx(comparison: SinceSignOff, meeting: Meeting | None = None) -> bytes:
    lines = [f"{comparison.plan.title}: since sign-off"]
    if meeting is not None:
        lines.append(f"At the {_meeting_line(meeting)}")
    footer = comparison.plan.title
    return xlsx(
        Pack(f"{comparison.plan.title}: since sign-off", footer, [since_sign_off_of(comparison, lines), key_section()])
    )
