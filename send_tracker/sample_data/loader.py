"""The sample case: a partnership's papers and demo as data files, checked, then written through the services.

`send_tracker/sample_data/oxfordshire/` holds the real Oxfordshire case and the demo built on it:

| file | what |
| --- | --- |
| `partnership.toml` | the partnership, its five partners, the published plan and the demo's action owners |
| `boards.toml` | boards and committees, their members, the meetings the papers record |
| `inspection.toml` | the inspection cycle as dated events |
| `risks.toml` | the 2018 risk register, with demo scores |
| `demo_meetings.toml` | the demo's board meetings: agendas, decisions, actions arising, risk re-scores |
| `demo_ratings.csv` | the demo's rating history between those meetings |
| `recommendations.toml` | the scrutiny reports, their recommendations and the responses given |
| `indicators.toml`, `indicator_values.csv` | the indicators, demo targets and demo figures |

The demo's own days (its meetings, their actions arising, its ratings, its figures' periods and its
targets) are written relative to the day of loading ("3 weeks ago", "in 12 days", "1 month ago": see
reading.RELATIVE_DAY), so that whoever loads it sees a working monthly cycle: meetings held, the
next one's update round open, last month's figures in. A demo meeting on a weekend or bank holiday
moves to the next working day; one in the past is held, one ahead is scheduled. The real papers'
dates (the plan's, the recorded meetings', the events', the reports') are kept as published.

The plan itself and the DfE's figures are read from the papers in send_tracker/seed_data/, which
INDEX.toml lists; a record's `source` cites a paper as `{file name without .txt}` and is shown with
the paper's title.

`read_case` reads and checks every file before anything is written: a bad value stops the load
with the file and entry it is in. `load_case` then writes, in one transaction, through each app's
services where a write has one. Loading is idempotent: rows are found by their natural keys (the
partnership's slug, a partner's or board's name, the plan's title, a risk's reference, a
meeting's board and date) and only what is missing is added, so what an administrator has changed
since (a board's short name, an action's owner) stays as it is. The demo, dated from the day it is
first loaded, is written once: its meetings only for a board with no demo meetings, its figures and
targets only for an indicator with none, its risk reviews only when there are none, its rating
history only into a plan that nobody has rated; so a load the next day (or month) adds nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from actions import forum
from actions.choices import EVIDENCE_REQUIRED, Brag, ForumPosition, PlanKind
from actions.importer import NO_ALIASES, ImportResult, PlanAliases, import_plan, parse_plan_table, read_aliases
from actions.models import Action, ParentCarerView, Plan, PriorityArea, RatingUpdate
from actions.services import Evidence, write_rating
from governance.choices import AgendaPurpose, BoardKind, EventKind, MeetingStatus, MemberRole
from governance.models import Board, BoardMember, InspectionEvent, Meeting, Risk, RiskReview
from governance.services import (
    Scores,
    add_action_arising,
    add_agenda_item,
    complete_action_arising,
    create_meeting,
    record_decision,
    rescore_risk,
    set_update_rounds,
)
from kpis.choices import DfeMeasure, Frequency, Polarity, Unit
from kpis.dfe_timeliness import import_timeliness_file
from kpis.models import EhcpTimeliness, Indicator
from kpis.periods import Period, PeriodError, parse_period, period_starting
from kpis.services import load_demo_values, set_target
from recommendations import services as recommendation_services
from recommendations.choices import Outcome, Respondent, ResponseRegime
from recommendations.deadlines import is_working_day
from recommendations.models import Recommendation, Report
from send_tracker import freshness
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.history import reason_is, stamp

from .reading import Entry, SampleDataError, read_csv, read_toml, relative_day

SAMPLE_DATA = Path(__file__).resolve().parent
OXFORDSHIRE = SAMPLE_DATA / "oxfordshire"
SEED_DATA = Path(settings.BASE_DIR) / "send_tracker" / "seed_data"

DEMO_RATING_REASON = "Demo rating history"
DEMO_FORUM_VIEW_REASON = "Demo view of the parent carer forum"
DEMO_FORUM_REPLY_REASON = "Demo reply to the parent carer forum's view"
DEMO_ACTION_DONE_NOTE = "Done."
MEETS_REASON = "How often it meets, from the sample data"
CITATION = re.compile(r"\{([^{}]*)\}")

__all__ = ["SampleDataError", "read_case", "load_case", "oxfordshire"]


# ---------------------------------------------------------------------------------------------
# The case, as read


@dataclass(frozen=True)
class Partner:
    """A member of the local area partnership; the data files name it by its short name."""

    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class MemberSpec:
    name: str
    job_title: str
    organisation: str  # a partner's short name, or "" for someone of no partner (an observer)
    role: str
    represents: str


@dataclass(frozen=True)
class RecordedMeeting:
    """A meeting the papers record, with its one agenda item as published."""

    date: datetime.date
    source: str
    item: str
    purpose: str
    presenter: str
    summary: str


@dataclass(frozen=True)
class BoardSpec:
    name: str
    short_name: str
    kind: str
    description: str
    meets: str
    independently_chaired: bool
    is_active: bool
    members: tuple[MemberSpec, ...]
    meetings: tuple[RecordedMeeting, ...]
    # The board that runs the plan's update rounds, and how many working days before each meeting.
    oversees_plan: bool = False
    update_round_days: int = 10


@dataclass(frozen=True)
class PlanSpec:
    title: str
    paper: Path
    kind: str
    inspection_report_date: datetime.date | None
    approved_date: datetime.date | None
    is_current: bool
    is_public: bool
    aliases: PlanAliases


@dataclass(frozen=True)
class EventSpec:
    title: str
    kind: str
    date: datetime.date
    end_date: datetime.date | None
    bodies: str
    outcome: str
    follow_up: str
    source: str
    is_expected: bool
    about_plan: bool


@dataclass(frozen=True)
class RiskSpec:
    reference: str
    title: str
    cause: str
    consequence: str
    owner: str
    owner_role: str
    scores: tuple[int, int, int, int]  # likelihood and impact before, then after, mitigation
    mitigations: str


@dataclass(frozen=True)
class RiskRegister:
    recorded_on: datetime.date
    source: str
    reason: str
    review_board: str
    next_review: datetime.date
    risks: tuple[RiskSpec, ...]


@dataclass(frozen=True)
class AgendaSpec:
    title: str
    purpose: str
    presenter: str
    action: str = ""  # a PAP ref
    risk: str = ""  # a risk's reference
    indicator: str = ""  # an indicator's key


@dataclass(frozen=True)
class ArisingSpec:
    description: str
    owner: str
    organisation: str
    due: datetime.date
    done_on: datetime.date | None


@dataclass(frozen=True)
class RescoreSpec:
    risk: str
    scores: tuple[int, int, int, int] | None  # None: confirmed as they stand
    why: str


@dataclass(frozen=True)
class DemoMeeting:
    """A demo meeting: held (with its decision, actions arising and re-scores) when its day is
    before the day of loading, otherwise scheduled, with only its agenda."""

    date: datetime.date
    held: bool
    decision: str
    focus: AgendaSpec
    actions_arising: tuple[ArisingSpec, ...]
    rescores: tuple[RescoreSpec, ...]


@dataclass(frozen=True)
class DemoMeetings:
    board: str
    location: str
    standing_items: tuple[AgendaSpec, ...]
    meetings: tuple[DemoMeeting, ...]

    @property
    def dates(self) -> list[datetime.date]:
        return [meeting.date for meeting in self.meetings]


@dataclass(frozen=True)
class RatingStep:
    on: datetime.date
    ref: str
    brag: str
    commentary: str
    evidence: str


@dataclass(frozen=True)
class ForumViewSpec:
    """A demo view of the parent carer forum on an action's rating, and the owner's reply."""

    ref: str
    on_rating: str
    given: datetime.date
    values: dict[str, str]  # forum.checked_view's: position, commentary, evidence
    is_public: bool
    replied: datetime.date | None
    reply: str
    reply_is_public: bool


@dataclass(frozen=True)
class RecommendationSpec:
    list_name: str
    number: str
    text: str
    respondent: str
    respondent_organisation: str  # a partner's short name, or ""
    response_required: bool
    note: str
    joint_with: tuple[str, ...]  # board names
    actions: tuple[str, ...]  # PAP refs, linked when the action exists


@dataclass(frozen=True)
class ResponseSpec:
    number: str
    outcome: str
    proposed_action: str
    indicative_timescale: str
    reasons: str


@dataclass(frozen=True)
class ReportSpec:
    committee: str
    title: str
    addressee: str
    meeting_date: datetime.date | None
    received_on: datetime.date
    regime: str
    source: str
    reason: str
    notes: str
    response_to_report: str
    lead_cabinet_members: str
    recommendations: tuple[RecommendationSpec, ...]
    responses: tuple[ResponseSpec, ...]


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    definition: str
    unit: str
    polarity: str
    frequency: str
    source: str
    owner: str
    priority_areas: tuple[int, ...]
    actions: tuple[str, ...]
    dfe_measure: str
    targets: tuple[tuple[str, str, str, str], ...]  # first, last, value, tolerance
    values: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    """Everything in a sample-data directory, read and checked."""

    directory: Path
    partnership: dict[str, str]
    partners: tuple[Partner, ...]
    boards: tuple[BoardSpec, ...]
    plan: PlanSpec
    owner_reason: str
    default_owner: str
    owners_by_ref: dict[str, str]
    events: tuple[EventSpec, ...]
    register: RiskRegister
    demo: DemoMeetings
    ratings: tuple[RatingStep, ...]
    reports: tuple[ReportSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    dfe_file: Path
    dfe_last_year: int
    target_note: str
    today: datetime.date  # the day the demo's relative days are counted from
    forum_views: tuple[ForumViewSpec, ...] = ()

    @property
    def slug(self) -> str:
        return self.partnership["slug"]

    def partner(self, short_name: str) -> Partner:
        return next(partner for partner in self.partners if partner.short_name == short_name)

    def board(self, name: str) -> BoardSpec:
        return next(board for board in self.boards if board.name == name)


def oxfordshire(today: datetime.date | None = None) -> Case:
    """The Oxfordshire case with its demo dated from `today` (by default the local date), read once
    a process for each day."""
    return _oxfordshire(today or timezone.localdate())


@cache
def _oxfordshire(today: datetime.date) -> Case:
    return read_case(OXFORDSHIRE, today)


def read_case(directory: Path, today: datetime.date | None = None) -> Case:
    """Reads and checks every file of a sample-data directory, the demo's relative days counted from
    `today` (by default the local date). Raises SampleDataError naming the file and entry of the
    first bad value."""
    papers = _papers()
    today = today or timezone.localdate()

    def cite(entry: Entry, key: str, default: str = "") -> str:
        text = entry.text(key, default)

        def title(match: re.Match[str]) -> str:
            if match[1] not in papers:
                raise entry.error(f"'{key}' cites {{{match[1]}}}, which is not a paper in seed_data/INDEX.toml")
            return papers[match[1]]

        return CITATION.sub(title, text)

    # partnership.toml
    top = read_toml(directory / "partnership.toml")
    about = top.table("partnership")
    partnership = {
        key: about.text(key) for key in ("slug", "name", "area_name", "area_code", "region") if key in about.values
    }
    for key in ("slug", "name"):
        about.text(key)
    about.done()
    partners = []
    for entry in top.tables("partners", name="name"):
        partners.append(Partner(entry.text("name"), entry.text("short_name"), entry.choice("kind", OrganisationKind)))
        entry.done()
    short_names = [partner.short_name for partner in partners]
    _unique(short_names, top, "partners' short names")

    def partner(entry: Entry, key: str, default: str = "") -> str:
        value = entry.text(key, default)
        if value and value not in short_names:
            raise entry.error(f"'{key}' is {value!r}, which is not a partner's short name ({', '.join(short_names)})")
        return value

    plan_entry = top.table("plan")
    paper = plan_entry.text("paper")
    if paper not in papers:
        raise plan_entry.error(f"'paper' is {paper!r}, which is not a paper in seed_data/INDEX.toml")
    plan = PlanSpec(
        title=plan_entry.text("title"),
        paper=SEED_DATA / f"{paper}.txt",
        kind=plan_entry.choice("kind", PlanKind),
        inspection_report_date=plan_entry.day("inspection_report_date", None),
        approved_date=plan_entry.day("approved_date", None),
        is_current=plan_entry.flag("is_current", True),
        is_public=plan_entry.flag("is_public", False),
        aliases=_plan_aliases(directory, plan_entry),
    )
    plan_entry.done()
    owners = top.table("owners")
    owner_reason = owners.text("reason")
    default_owner = partner(owners, "default")
    by_ref_entry = owners.table("by_ref")
    owners_by_ref = {ref: partner(by_ref_entry, ref) for ref in by_ref_entry.values}
    by_ref_entry.done()
    owners.done()
    top.done()

    # boards.toml
    boards_file = read_toml(directory / "boards.toml")
    boards = []
    for entry in boards_file.tables("boards", name="name"):
        members = []
        for member in entry.tables("members", name="name"):
            members.append(
                MemberSpec(
                    name=member.text("name"),
                    job_title=member.text("job_title", ""),
                    organisation=partner(member, "organisation"),
                    role=member.choice("role", MemberRole, MemberRole.MEMBER),
                    represents=member.text("represents", ""),
                )
            )
            member.done()
        meetings = []
        for meeting in entry.tables("meetings", name="date"):
            meetings.append(
                RecordedMeeting(
                    date=meeting.required_day("date"),
                    source=cite(meeting, "source"),
                    item=meeting.text("item"),
                    purpose=meeting.choice("purpose", AgendaPurpose),
                    presenter=meeting.text("presenter", ""),
                    summary=meeting.text("summary", ""),
                )
            )
            meeting.done()
        boards.append(
            BoardSpec(
                name=entry.text("name"),
                short_name=entry.text("short_name", ""),
                kind=entry.choice("kind", BoardKind),
                description=entry.text("description", ""),
                meets=entry.text("meets", ""),
                independently_chaired=entry.flag("independently_chaired", False),
                is_active=entry.flag("is_active", True),
                members=tuple(members),
                meetings=tuple(meetings),
                oversees_plan=entry.flag("oversees_plan", False),
                update_round_days=entry.number("update_round_days", 10),
            )
        )
        entry.done()
    boards_file.done()
    board_names = [board.name for board in boards]
    _unique(board_names, boards_file, "boards' names")

    def board(entry: Entry, key: str) -> str:
        value = entry.text(key)
        if value not in board_names:
            raise entry.error(f"'{key}' is {value!r}, which is not a board in boards.toml")
        return value

    # inspection.toml
    inspection = read_toml(directory / "inspection.toml")
    events = []
    for entry in inspection.tables("events", name="title"):
        events.append(
            EventSpec(
                title=entry.text("title"),
                kind=entry.choice("kind", EventKind),
                date=entry.required_day("date"),
                end_date=entry.day("end_date", None),
                bodies=entry.text("bodies", ""),
                outcome=entry.text("outcome", ""),
                follow_up=entry.text("follow_up", ""),
                source=cite(entry, "source"),
                is_expected=entry.flag("is_expected", False),
                about_plan=entry.flag("about_plan", False),
            )
        )
        entry.done()
    inspection.done()

    # risks.toml
    risks_file = read_toml(directory / "risks.toml")
    register_entry = risks_file.table("register")
    risks = []
    for entry in risks_file.tables("risks", name="reference"):
        scores = entry.numbers("scores", length=4)
        if not all(1 <= score <= 5 for score in scores):
            raise entry.error("'scores' must each be from 1 to 5")
        risks.append(
            RiskSpec(
                reference=entry.text("reference"),
                title=entry.text("title"),
                cause=entry.text("cause", ""),
                consequence=entry.text("consequence", ""),
                owner=partner(entry, "owner"),
                owner_role=entry.text("owner_role", ""),
                scores=(scores[0], scores[1], scores[2], scores[3]),
                mitigations=entry.text("mitigations", ""),
            )
        )
        entry.done()
    register = RiskRegister(
        recorded_on=register_entry.required_day("recorded_on"),
        source=cite(register_entry, "source"),
        reason=register_entry.text("reason"),
        review_board=board(register_entry, "review_board"),
        next_review=register_entry.required_day("next_review", today=today),
        risks=tuple(risks),
    )
    register_entry.done()
    risks_file.done()
    references = [risk.reference for risk in risks]
    _unique(references, risks_file, "risks' references")

    # indicators.toml and indicator_values.csv
    indicators_file = read_toml(directory / "indicators.toml")
    dfe = indicators_file.table("dfe")
    dfe_file = SEED_DATA / dfe.text("file")
    dfe_last_year = dfe.number("last_year")
    dfe.done()
    targets_entry = indicators_file.table("targets")
    target_note = targets_entry.text("note")
    targets_entry.done()
    indicators: list[IndicatorSpec] = []
    for entry in indicators_file.tables("indicators", name="key"):
        frequency = entry.choice("frequency", Frequency)
        targets = []
        for index, target in enumerate(entry._get("targets", [], (list,), "a list of targets")):
            if not (isinstance(target, list) and len(target) == 4 and all(isinstance(t, str) for t in target)):
                raise entry.error(f"targets[{index}] must be [first period, last period, value, tolerance] as text")
            first, last = (_demo_period(entry, period, frequency, today) for period in target[:2])
            targets.append((first, last, target[2], target[3]))
        indicators.append(
            IndicatorSpec(
                key=entry.text("key"),
                name=entry.text("name"),
                definition=entry.text("definition"),
                unit=entry.choice("unit", Unit),
                polarity=entry.choice("polarity", Polarity),
                frequency=frequency,
                source=entry.text("source"),
                owner=partner(entry, "owner"),
                priority_areas=entry.numbers("priority_areas"),
                actions=entry.texts("actions"),
                dfe_measure=entry.choice("dfe_measure", DfeMeasure, ""),
                targets=tuple(targets),
            )
        )
        entry.done()
    indicators_file.done()
    by_key = {indicator.key: indicator for indicator in indicators}
    _unique([indicator.key for indicator in indicators], indicators_file, "indicators' keys")
    for row in read_csv(
        directory / "indicator_values.csv", ("indicator", "period", "value", "numerator", "denominator")
    ):
        key = row.text("indicator")
        if key not in by_key:
            raise row.error(f"'indicator' is {key!r}, which is not an indicator's key in indicators.toml")
        value: dict[str, object] = {"period": _demo_period(row, row.text("period"), by_key[key].frequency, today)}
        for column in ("value", "numerator", "denominator"):
            if row.text(column):
                value[column] = row.text(column)
        if ("value" in value) == ("numerator" in value or "denominator" in value):
            raise row.error("give either a value, or a numerator and a denominator")
        row.done()
        by_key[key].values.append(value)

    # demo_meetings.toml
    demo_file = read_toml(directory / "demo_meetings.toml")
    demo_entry = demo_file.table("demo")

    def agenda(entry: Entry) -> AgendaSpec:
        item = AgendaSpec(
            title=entry.text("title"),
            purpose=entry.choice("purpose", AgendaPurpose),
            presenter=entry.text("presenter", ""),
            action=entry.text("action", ""),
            risk=entry.text("risk", ""),
            indicator=entry.text("indicator", ""),
        )
        if item.risk and item.risk not in references:
            raise entry.error(f"'risk' is {item.risk!r}, which is not a risk in risks.toml")
        if item.indicator and item.indicator not in by_key:
            raise entry.error(f"'indicator' is {item.indicator!r}, which is not an indicator's key in indicators.toml")
        entry.done()
        return item

    standing = tuple(agenda(entry) for entry in demo_entry.tables("standing_items", name="title"))
    demo_board = board(demo_entry, "board")
    location = demo_entry.text("location", "")
    demo_entry.done()
    demo_meetings = []
    for entry in demo_file.tables("meetings", name="date"):
        written = entry.required_day("date", today=today)
        date = _working_day(written)
        # A meeting moved off a weekend or bank holiday takes its actions arising's days with it.
        moved = date - written
        held = date < today
        arising = []
        for item in entry.tables("actions_arising", name="description"):
            done_on = item.day("done_on", None, today=today)
            if done_on is not None:
                done_on += moved
                if done_on >= today:
                    raise item.error(f"'done_on' is {done_on}: it must be before the day of loading")
            arising.append(
                ArisingSpec(
                    description=item.text("description"),
                    owner=item.text("owner"),
                    organisation=partner(item, "organisation"),
                    due=item.required_day("due", today=today) + moved,
                    done_on=done_on,
                )
            )
            item.done()
        rescores = []
        for item in entry.tables("rescores", name="risk"):
            risk = item.text("risk")
            if risk not in references:
                raise item.error(f"'risk' is {risk!r}, which is not a risk in risks.toml")
            given = item.numbers("scores", length=4) if "scores" in item.values else None
            if given is not None and not all(1 <= score <= 5 for score in given):
                raise item.error("'scores' must each be from 1 to 5")
            rescores.append(
                RescoreSpec(
                    risk=risk,
                    scores=(given[0], given[1], given[2], given[3]) if given else None,
                    why=item.text("why"),
                )
            )
            item.done()
        decision = entry.text("decision", "")
        if held != bool(decision):
            raise entry.error(
                f"a meeting before the day of loading ({date}) is held and needs its 'decision'"
                if held
                else f"a meeting on or after the day of loading ({date}) is scheduled: it has no 'decision' yet"
            )
        if not held and (arising or rescores):
            raise entry.error(
                f"a meeting on or after the day of loading ({date}) has no actions arising or re-scores yet"
            )
        demo_meetings.append(
            DemoMeeting(
                date=date,
                held=held,
                decision=decision,
                focus=agenda(entry.table("focus")),
                actions_arising=tuple(arising),
                rescores=tuple(rescores),
            )
        )
        entry.done()
    demo_file.done()
    demo = DemoMeetings(demo_board, location, standing, tuple(demo_meetings))
    if demo.dates != sorted(set(demo.dates)):
        raise SampleDataError("demo_meetings.toml: the meetings must be in date order, one a day")

    # demo_ratings.csv
    ratings = []
    for row in read_csv(directory / "demo_ratings.csv", ("on", "ref", "brag", "commentary", "evidence")):
        step = RatingStep(
            on=row.required_day("on", today=today),
            ref=row.text("ref"),
            brag=row.choice("brag", Brag),
            commentary=row.text("commentary"),
            evidence=row.text("evidence"),
        )
        row.done()
        if step.on >= today:
            raise row.error(f"'on' is {step.on}: a demo rating must be dated before the day of loading")
        # The demo keeps the product's own rule: Green and Blue need evidence.
        if not step.commentary.strip():
            raise row.error("a rating needs a commentary")
        if step.brag in EVIDENCE_REQUIRED and not step.evidence.strip():
            raise row.error(f"a {Brag(step.brag).label} rating needs {EVIDENCE_REQUIRED[step.brag]}")
        ratings.append(step)

    # demo_forum_views.toml
    views_file = read_toml(directory / "demo_forum_views.toml")
    forum_views = [_forum_view(entry, today) for entry in views_file.tables("views", name="ref")]
    views_file.done()

    # recommendations.toml
    recommendations_file = read_toml(directory / "recommendations.toml")
    reports = []
    for entry in recommendations_file.tables("reports", name="title"):
        recommendations = []
        for item in entry.tables("recommendations", name="number"):
            joint_with = item.texts("joint_with")
            for name in joint_with:
                if name not in board_names:
                    raise item.error(f"'joint_with' names {name!r}, which is not a board in boards.toml")
            recommendations.append(
                RecommendationSpec(
                    list_name=item.text("list", ""),
                    number=item.text("number"),
                    text=item.text("text"),
                    respondent=item.choice("respondent", Respondent, Respondent.CABINET),
                    respondent_organisation=partner(item, "respondent_organisation"),
                    response_required=item.flag("response_required", True),
                    note=item.text("note", ""),
                    joint_with=joint_with,
                    actions=item.texts("actions"),
                )
            )
            item.done()
        numbers = {r.number for r in recommendations if r.list_name == ""}
        responses = []
        for item in entry.tables("responses", name="number"):
            response = ResponseSpec(
                number=item.text("number"),
                outcome=item.choice("outcome", Outcome),
                proposed_action=item.text("proposed_action", ""),
                indicative_timescale=item.text("indicative_timescale", ""),
                reasons=item.text("reasons", ""),
            )
            if response.number not in numbers:
                raise item.error(f"'number' is {response.number!r}: the report has no unlisted recommendation of it")
            item.done()
            responses.append(response)
        reports.append(
            ReportSpec(
                committee=board(entry, "committee"),
                title=entry.text("title"),
                addressee=entry.text("addressee", ""),
                meeting_date=entry.day("meeting_date", None),
                received_on=entry.required_day("received_on"),
                regime=entry.choice("regime", ResponseRegime),
                source=entry.text("source", ""),
                reason=entry.text("reason"),
                notes=entry.text("notes", ""),
                response_to_report=entry.text("response_to_report", ""),
                lead_cabinet_members=entry.text("lead_cabinet_members", ""),
                recommendations=tuple(recommendations),
                responses=tuple(responses),
            )
        )
        entry.done()
    recommendations_file.done()

    return Case(
        directory=directory,
        partnership=partnership,
        partners=tuple(partners),
        boards=tuple(boards),
        plan=plan,
        owner_reason=owner_reason,
        default_owner=default_owner,
        owners_by_ref=owners_by_ref,
        events=tuple(events),
        register=register,
        demo=demo,
        ratings=tuple(ratings),
        reports=tuple(reports),
        indicators=tuple(indicators),
        dfe_file=dfe_file,
        dfe_last_year=dfe_last_year,
        target_note=target_note,
        today=today,
        forum_views=tuple(forum_views),
    )


def _forum_view(entry: Entry, today: datetime.date) -> ForumViewSpec:
    """A view of demo_forum_views.toml, checked as the forum's form checks it."""
    given = entry.required_day("given", today=today)
    replied = entry.day("replied", None, today=today)
    reply = entry.text("reply", "").strip()
    if given >= today:
        raise entry.error(f"'given' is {given}: a demo view must be dated before the day of loading")
    if (replied is None) != (not reply):
        raise entry.error("a reply needs both its day ('replied') and its text ('reply')")
    if replied is not None and not given <= replied < today:
        raise entry.error(f"'replied' is {replied}: it must be from the view's day to before the day of loading")
    try:
        values = forum.checked_view(
            entry.choice("position", ForumPosition),
            entry.text("commentary", ""),
            entry.text("evidence", ""),
            entry.text("evidence_link", ""),
        )
    except ValidationError as error:
        raise entry.error("; ".join(error.messages)) from None
    spec = ForumViewSpec(
        ref=entry.text("ref"),
        on_rating=entry.choice("on_rating", Brag),
        given=given,
        values=values,
        is_public=entry.flag("is_public", False),
        replied=replied,
        reply=reply,
        reply_is_public=entry.flag("reply_is_public", False),
    )
    entry.done()
    return spec


def _papers() -> dict[str, str]:
    """The council papers INDEX.toml lists: file name without .txt, and the title records cite."""
    index = read_toml(SEED_DATA / "INDEX.toml")
    papers: dict[str, str] = {}
    for entry in index.tables("papers", name="file"):
        name = entry.text("file")
        if not (SEED_DATA / name).is_file():
            raise entry.error(f"'file' is {name!r}, which is not in send_tracker/seed_data/")
        papers[name.removesuffix(".txt")] = entry.text("title")
    return papers


def _unique(values: list[str], entry: Entry, what: str) -> None:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise entry.error(f"the {what} must be unique; repeated: {', '.join(repeated)}")


def _check_period(entry: Entry, period: str, frequency: str) -> None:
    try:
        parse_period(period, frequency)
    except PeriodError as error:
        raise entry.error(f"the period {period!r} is not a {frequency} period: {error}") from None


def _demo_period(entry: Entry, period: str, frequency: str, today: datetime.date) -> str:
    """A demo period as the KPI forms write it: given as one ("2023/24"), or as the period holding a
    day relative to `today` ("1 month ago": last month, "1 quarter ago": the last whole quarter)."""
    day = relative_day(period, today)
    if day is None:
        _check_period(entry, period, frequency)
        return period
    return period_starting(frequency, day).key


def _working_day(day: datetime.date) -> datetime.date:
    """`day`, or the working day after it: a demo meeting is not held at a weekend or on a bank holiday."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


# ---------------------------------------------------------------------------------------------
# Writing it


@dataclass(frozen=True)
class CaseLoad:
    """What `load_case` found or made, one line a part, for the command to print."""

    partnership: Partnership
    lines: list[str]


def load_case(case: Case) -> CaseLoad:
    """Loads the whole case in one transaction: all of it, or none of it.

    The plan before the indicators, which link to its actions; the governance before the
    recommendations, which name its committees; the demo history last, dated before today's rows.
    """
    with transaction.atomic():
        partnership = load_partnership(case)
        organisations = load_partners(case, partnership)
        boards = load_boards(case, partnership)
        plan, plan_import = load_plan(case, partnership)
        owners_assigned = assign_owners(case, plan, organisations)
        link_overseeing_board(case, plan, boards)
        indicators = load_indicators(case, partnership)
        governance = load_governance(case, partnership)
        recommendations = load_recommendations(case, partnership)
    lines = [f"{plan.title}: {plan_import.summary()}"]
    if owners_assigned:
        lines.append(f"Owners assigned for the demo: {owners_assigned} actions")
    lines += [
        indicators,
        governance,
        recommendations,
        f"{partnership.area_name} loaded: 1 partnership, {len(organisations)} organisations, {len(boards)} boards, "
        f"{plan.actions.count()} actions",
    ]
    return CaseLoad(partnership=partnership, lines=lines)


def _london_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=timezone.get_default_timezone())


# A demo figure is taken as published this long after its period ends (a month's figure by the
# middle of the next month), so that a meeting held before then did not have it.
FIGURE_PUBLISHED_AFTER = datetime.timedelta(days=14)


def _published(period: Period) -> datetime.datetime:
    """When a demo figure for `period` was published: at noon, FIGURE_PUBLISHED_AFTER its end, or
    now for a period that ended more recently (a figure cannot be published after it is loaded)."""
    return min(_london_noon(period.end + FIGURE_PUBLISHED_AFTER), timezone.now())


def _columns(spec: object, *not_columns: str) -> dict[str, Any]:
    """A spec's fields that its model has under the same names: all but `not_columns`."""
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.name not in not_columns}  # type: ignore[arg-type]


def _new(instance: models.Model, where: str) -> models.Model:
    """Checks a new row as the admin would (lengths, choices, uniqueness) before it is saved."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise SampleDataError(f"{where}: {'; '.join(error.messages)}") from None
    instance.save()
    return instance


def load_partnership(case: Case) -> Partnership:
    partnership = Partnership.objects.filter(slug=case.slug).first()
    if partnership is None:
        details = {key: value for key, value in case.partnership.items() if key != "slug"}
        partnership = Partnership(slug=case.slug, **details)
        _new(partnership, "partnership.toml [partnership]")
    return partnership


def load_partners(case: Case, partnership: Partnership) -> dict[str, Organisation]:
    """The partnership's member organisations, by short name; those missing are added."""
    found = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    organisations: dict[str, Organisation] = {}
    for spec in case.partners:
        organisation = found.get(spec.name)
        if organisation is None:
            organisation = Organisation(
                partnership=partnership, name=spec.name, short_name=spec.short_name, kind=spec.kind
            )
            _new(organisation, f"partnership.toml, partner {spec.name!r}")
        organisations[spec.short_name] = organisation
    return organisations


def _add_board(case: Case, partnership: Partnership, name: str) -> Board:
    spec = case.board(name)
    board = Board.objects.filter(partnership=partnership, name=spec.name).first()
    if board is None:
        board = Board(partnership=partnership, **_columns(spec, "members", "meetings", "oversees_plan"))
        _new(board, f"boards.toml, board {spec.name!r}")
    elif not board.meets and spec.meets:
        # Loaded before the data said how often it meets; fill only that gap.
        board.meets = spec.meets
        stamp(board, by=None, reason=MEETS_REASON)
        board.save(update_fields=["meets"])
    return board


def load_boards(case: Case, partnership: Partnership) -> dict[str, Board]:
    return {spec.name: _add_board(case, partnership, spec.name) for spec in case.boards}


def load_plan(case: Case, partnership: Partnership) -> tuple[Plan, ImportResult]:
    """The published Priority Action Plan, through the same importer as `import_pap`."""
    spec = case.plan
    plan = Plan.objects.filter(partnership=partnership, title=spec.title).first()
    if plan is None:
        plan = Plan(partnership=partnership, **_columns(spec, "paper", "aliases"))
        _new(plan, "partnership.toml [plan]")
    parsed = parse_plan_table(spec.paper.read_text(encoding="utf-8"), spec.aliases)
    return plan, import_plan(plan=plan, parsed=parsed)


def _plan_aliases(directory: Path, plan_entry: Entry) -> PlanAliases:
    """The aliases file the plan names: how its published table abbreviates themes and projects."""
    name = plan_entry.text("aliases", "")
    if not name:
        return NO_ALIASES
    try:
        return read_aliases(directory / name)
    except ValueError as error:
        raise plan_entry.error(f"'aliases': {error}") from None


def link_overseeing_board(case: Case, plan: Plan, boards: dict[str, Board]) -> None:
    """The board the data names as overseeing the plan runs its update rounds, unless an
    administrator has given the plan another board since."""
    if Board.objects.filter(oversees=plan).exists():
        return
    for spec in case.boards:
        if spec.oversees_plan:
            set_update_rounds(
                board_id=boards[spec.name].pk, user=None, oversees=plan.pk, update_round_days=spec.update_round_days
            )
            return


def assign_owners(case: Case, plan: Plan, organisations: dict[str, Organisation]) -> int:
    """Gives each action without an owner its demo owner; returns how many.

    Only actions with no owner are touched, so an administrator's later reassignment survives.
    """
    assigned = 0
    for action in Action.objects.filter(plan=plan, owner__isnull=True).order_by("position"):
        action.owner = organisations[case.owners_by_ref.get(action.ref, case.default_owner)]
        # A new version, like every change to an action, so a form or ETag opened before is stale.
        action.version += 1
        stamp(action, by=None, reason=case.owner_reason)
        action.save()
        assigned += 1
    return assigned


def _current_plan(partnership: Partnership) -> Plan | None:
    return Plan.objects.filter(partnership=partnership).order_by("-is_current", "pk").first()


# -- indicators


def load_indicators(case: Case, partnership: Partnership) -> str:
    """The case's indicators with demo values and targets, and the DfE's figures. One line back.

    Indicators are matched by name; only missing links are added, and the demo's targets and figures
    only to an indicator with none (they are dated from the day of the first load, so a later load
    would date them again). Owners, priority areas and actions are linked when they exist, never
    invented.
    """
    organisations = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    plan = (
        Plan.objects.filter(partnership=partnership, kind=PlanKind.PRIORITY_ACTION_PLAN)
        .order_by("-is_current", "pk")
        .first()
    )
    areas = {a.number: a for a in PriorityArea.objects.filter(plan=plan)} if plan else {}
    actions = {a.ref: a for a in Action.objects.filter(plan=plan)} if plan else {}
    created = targets_added = values_added = 0
    for position, spec in enumerate(case.indicators, start=1):
        indicator = Indicator.objects.filter(partnership=partnership, name=spec.name).first()
        if indicator is None:
            owner = organisations.get(case.partner(spec.owner).name) if spec.owner else None
            indicator = Indicator(
                partnership=partnership,
                **_columns(spec, "key", "owner", "priority_areas", "actions", "targets", "values"),
                owner=owner,
                # The measures the DfE publishes are public already; the local ones are for the
                # partnership to publish when it chooses.
                is_public=bool(spec.dfe_measure),
                position=position,
            )
            _new(indicator, f"indicators.toml, indicator {spec.key!r}")
            created += 1
        # add() ignores links already there, so a plan loaded after the KPIs is linked on a re-run.
        indicator.priority_areas.add(*[areas[n] for n in spec.priority_areas if n in areas])
        indicator.actions.add(*[actions[ref] for ref in spec.actions if ref in actions])
        new_targets = () if indicator.targets.exists() else spec.targets
        for first, last, value, tolerance in new_targets:
            set_target(
                indicator_id=indicator.pk,
                user=None,
                first_period=first,
                last_period=last,
                value=value,
                tolerance=tolerance,
                note=case.target_note,
                is_demo=True,
            )
            targets_added += 1
        if spec.values and not indicator.values.exists():
            values_added += load_demo_values(indicator, spec.values, published=_published).created
    # The file's release ends with `dfe_last_year`. A later year means a later release has been
    # imported, which revised the earlier years too: loading this file again must not undo it.
    if EhcpTimeliness.objects.filter(year__gt=case.dfe_last_year).exists():
        dfe_summary = "not re-imported: figures from a later release are loaded"
    else:
        dfe_summary = import_timeliness_file(case.dfe_file).summary
    return (
        f"KPIs: {len(case.indicators)} indicators ({created} new), {targets_added} demo targets and "
        f"{values_added} demo values added; DfE EHC plan timeliness {dfe_summary}"
    )


# -- governance


@transaction.atomic
def load_governance(case: Case, partnership: Partnership) -> str:
    """Boards, members, the inspection cycle, the risk register, recorded and demo meetings, and
    the demo rating history. One line back."""
    organisations = load_partners(case, partnership)
    boards = load_boards(case, partnership)
    plan = _current_plan(partnership)
    members = _members(case, boards, organisations)
    events = _events(case, partnership, plan)
    risks = _risks(case, partnership, organisations, boards[case.register.review_board])
    recorded = _recorded_meetings(case, boards)
    demo_board = boards[case.demo.board]
    demo = _demo_meetings(case, demo_board, plan, risks, organisations)
    reviews = _demo_risk_reviews(case, demo_board, risks)
    ratings = _demo_rating_history(case, plan)
    views = _demo_forum_views(case, plan)
    return (
        f"Governance: {len(boards)} boards ({members} members added), {events} inspection events added, "
        f"{len(risks)} risks, {recorded} real and {demo} demo meetings added, {reviews} demo risk reviews; {ratings}; "
        f"{views}"
    )


def _members(case: Case, boards: dict[str, Board], organisations: dict[str, Organisation]) -> int:
    added = 0
    for board_spec in case.boards:
        board = boards[board_spec.name]
        existing = set(BoardMember.objects.filter(board=board).values_list("name", flat=True))
        for spec in board_spec.members:
            if spec.name in existing:
                continue
            organisation = organisations[spec.organisation] if spec.organisation else None
            member = BoardMember(board=board, organisation=organisation, **_columns(spec, "organisation"))
            _new(member, f"boards.toml, board {board_spec.name!r}, member {spec.name!r}")
            existing.add(spec.name)
            added += 1
    return added


def _events(case: Case, partnership: Partnership, plan: Plan | None) -> int:
    added = 0
    existing = set(InspectionEvent.objects.filter(partnership=partnership).values_list("title", flat=True))
    for spec in case.events:
        if spec.title in existing:
            continue
        about = plan if spec.about_plan else None
        event = InspectionEvent(partnership=partnership, plan=about, **_columns(spec, "about_plan"))
        _new(event, f"inspection.toml, event {spec.title!r}")
        added += 1
    return added


def _risks(
    case: Case, partnership: Partnership, organisations: dict[str, Organisation], review_board: Board
) -> dict[str, Risk]:
    register = case.register
    risks: dict[str, Risk] = {}
    for spec in register.risks:
        risk = Risk.objects.filter(partnership=partnership, reference=spec.reference).first()
        if risk is None:
            lb, ib, la, ia = spec.scores
            risk = Risk(
                partnership=partnership,
                **_columns(spec, "owner", "scores"),
                owner=organisations[spec.owner],
                likelihood_before=lb,
                impact_before=ib,
                likelihood_after=la,
                impact_after=ia,
                next_review_date=register.next_review,
                review_board=review_board,
                is_demo_scores=True,
                source=register.source,
            )
            # Dated when the papers first recorded the risk, so the register "as it stood" at any
            # later meeting includes it.
            stamp(risk, by=None, reason=register.reason, when=_london_noon(register.recorded_on))
            _new(risk, f"risks.toml, risk {spec.reference!r}")
        risks[spec.reference] = risk
    return risks


def _recorded_meetings(case: Case, boards: dict[str, Board]) -> int:
    added = 0
    for board_spec in case.boards:
        board = boards[board_spec.name]
        for spec in board_spec.meetings:
            if Meeting.objects.filter(board=board, date=spec.date).exists():
                continue
            where = f"boards.toml, board {board_spec.name!r}, meeting of {spec.date}"
            with _as_sample_data(where):
                meeting = create_meeting(
                    board_id=board.pk, user=None, date=spec.date, status=MeetingStatus.HELD, source=spec.source
                )
                add_agenda_item(
                    meeting_id=meeting.pk,
                    user=None,
                    title=spec.item,
                    purpose=spec.purpose,
                    presenter=spec.presenter,
                    summary=spec.summary,
                )
            added += 1
    return added


def _demo_meetings(
    case: Case, board: Board, plan: Plan | None, risks: dict[str, Risk], organisations: dict[str, Organisation]
) -> int:
    # Dated from the day of the first load, so written once: a later load would date them again.
    if Meeting.objects.filter(board=board, is_demo=True).exists():
        return 0
    added = 0
    actions = {a.ref: a for a in Action.objects.filter(plan=plan)} if plan else {}
    indicators = {
        spec.key: indicator
        for spec in case.indicators
        if (indicator := Indicator.objects.filter(partnership_id=board.partnership_id, name=spec.name).first())
    }
    for spec in case.demo.meetings:
        with _as_sample_data(f"demo_meetings.toml, meeting of {spec.date}"):
            meeting = create_meeting(
                board_id=board.pk,
                user=None,
                date=spec.date,
                status=MeetingStatus.HELD if spec.held else MeetingStatus.SCHEDULED,
                location=case.demo.location,
                is_demo=True,
            )
            for item in [*case.demo.standing_items, spec.focus]:
                action = actions.get(item.action)
                risk = risks.get(item.risk)
                indicator = indicators.get(item.indicator)
                add_agenda_item(
                    meeting_id=meeting.pk,
                    user=None,
                    title=item.title,
                    purpose=item.purpose,
                    presenter=item.presenter,
                    action_id=action.pk if action else None,
                    risk_id=risk.pk if risk else None,
                    indicator_id=indicator.pk if indicator else None,
                )
            if spec.decision:
                record_decision(meeting_id=meeting.pk, user=None, text=spec.decision)
            for arising_spec in spec.actions_arising:
                arising = add_action_arising(
                    meeting_id=meeting.pk,
                    user=None,
                    description=arising_spec.description,
                    owner_name=arising_spec.owner,
                    owner_organisation_id=organisations[arising_spec.organisation].pk,
                    due_date=arising_spec.due,
                )
                if arising_spec.done_on is not None:
                    complete_action_arising(
                        action_arising_id=arising.pk,
                        user=None,
                        done_on=arising_spec.done_on,
                        note=DEMO_ACTION_DONE_NOTE,
                    )
        added += 1
    return added


def _demo_risk_reviews(case: Case, board: Board, risks: dict[str, Risk]) -> int:
    if RiskReview.objects.filter(risk__partnership_id=board.partnership_id, is_demo=True).exists():
        return 0
    dates = case.demo.dates
    meetings = {m.date: m for m in Meeting.objects.filter(board=board, date__in=dates)}
    written = 0
    for spec in case.demo.meetings:
        day = spec.date
        # Reviewed again three meetings on, or in a quarter's time after the last.
        later = [d for d in dates if d > day]
        next_review = later[2] if len(later) > 2 else day + datetime.timedelta(days=91)
        meeting = meetings.get(day)
        for rescore in spec.rescores:
            risk = Risk.objects.get(pk=risks[rescore.risk].pk)
            scores = rescore.scores or (
                risk.likelihood_before,
                risk.impact_before,
                risk.likelihood_after,
                risk.impact_after,
            )
            with _as_sample_data(f"demo_meetings.toml, meeting of {day}, re-score of {rescore.risk}"):
                rescore_risk(
                    risk_id=risk.pk,
                    user=None,
                    scores=Scores(*scores),
                    comment=rescore.why,
                    based_on_version=None,
                    next_review_date=next_review,
                    meeting_id=meeting.pk if meeting else None,
                    reviewed_on=day,
                    is_demo=True,
                    when=_london_noon(day),
                )
            written += 1
    return written


def _demo_rating_history(case: Case, plan: Plan | None) -> str:
    """Backdated ratings for some actions, so that board meetings in 2024 differ from each other.

    Written only into a plan that nobody has rated and that has no demo history yet.
    """
    if plan is None:
        return "no plan, so no demo rating history"
    history = Action.history.model
    if history.objects.filter(reason_is(DEMO_RATING_REASON), plan_id=plan.pk).exists():
        return "demo rating history already present"
    if RatingUpdate.objects.filter(action__plan=plan).exists():
        return "the plan has real ratings, so no demo rating history"
    actions = {a.ref: a for a in Action.objects.filter(plan=plan).select_related("owner")}
    steps = [step for step in case.ratings if step.ref in actions]
    if not steps:
        return "no actions to rate"
    # The plan's own rows were written today by its loader. The demo looks back to 2024, so they
    # are dated when the plan was published; otherwise they would count as the latest state and
    # hide the demo ratings from "as it stood".
    published = _london_noon(plan.approved_date or datetime.date(2023, 12, 12)) - datetime.timedelta(hours=3)
    history.objects.filter(plan_id=plan.pk, history_date__gt=published).update(history_date=published)
    for step in sorted(steps, key=lambda s: s.on):
        write_rating(
            actions[step.ref],
            brag=step.brag,
            commentary=step.commentary,
            by=None,
            when=_london_noon(step.on),
            evidence=Evidence(text=step.evidence),
            reason=DEMO_RATING_REASON,
        )
    freshness.bump(plan.partnership_id)  # the history's dates, changed in bulk above
    return f"demo rating history: {len(steps)} ratings of {len({s.ref for s in steps})} actions"


def _demo_forum_views(case: Case, plan: Plan | None) -> str:
    """The demo's views of the parent carer forum, and replies, through the forum's writers: only
    into a plan the forum has given no view of, so a later load writes none. A view is left out
    when its action is not rated as the file says, or was rated on or after the view's day."""
    if plan is None:
        return "no plan, so no demo forum views"
    if ParentCarerView.objects.filter(action__plan=plan).exists():
        return "the forum has given views of the plan's ratings, so no demo forum views"
    actions = {a.ref: a for a in Action.objects.filter(plan=plan).select_related("plan", "owner")}
    written = replies = 0
    for spec in case.forum_views:
        action = actions.get(spec.ref)
        when = _london_noon(spec.given)
        if action is None or action.brag != spec.on_rating or action.rated_at is None or action.rated_at >= when:
            continue
        view = forum.write_view(
            action, by=None, values=spec.values, is_public=spec.is_public, when=when, reason=DEMO_FORUM_VIEW_REASON
        )
        written += 1
        if spec.replied is not None:
            forum.write_reply(
                view,
                by=None,
                reply=spec.reply,
                reply_is_public=spec.reply_is_public,
                when=_london_noon(spec.replied) + datetime.timedelta(hours=1),
                reason=DEMO_FORUM_REPLY_REASON,
            )
            replies += 1
    return f"demo forum views: {written}, replies to them: {replies}"


class _as_sample_data:
    """Turns a service's refusal of a sample-data value into an error naming the entry."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if isinstance(error, ValidationError):
            raise SampleDataError(f"{self.where}: {'; '.join(error.messages)}") from None


# -- recommendations


@dataclass
class _RecommendationCounts:
    reports: int = 0
    recommendations: int = 0
    responses: int = 0
    links: int = 0


@transaction.atomic
def load_recommendations(case: Case, partnership: Partnership) -> str:
    """The scrutiny reports, their recommendations and the responses given. One line back."""
    if not Organisation.objects.filter(partnership=partnership, kind=OrganisationKind.COUNCIL).exists():
        raise SampleDataError(f"{partnership} has no council organisation to answer the Cabinet's recommendations.")
    counts = _RecommendationCounts()
    for spec in case.reports:
        _load_report(case, partnership, spec, counts)
    reports = Report.objects.filter(partnership=partnership)
    recommendations = Recommendation.objects.filter(report__in=reports)
    return (
        f"Scrutiny recommendations: {reports.count()} reports, {recommendations.count()} recommendations, "
        f"{recommendations.filter(response__isnull=False).count()} responses "
        f"(added {counts.reports} reports, {counts.recommendations} recommendations, {counts.responses} responses, "
        f"{counts.links} links to PAP actions)"
    )


def _load_report(case: Case, partnership: Partnership, spec: ReportSpec, counts: _RecommendationCounts) -> None:
    committee = _add_board(case, partnership, spec.committee)
    report = Report.objects.filter(committee=committee, title=spec.title).first()
    where = f"recommendations.toml, report {spec.title!r}"
    if report is None:
        not_columns = ("committee", "reason", "lead_cabinet_members", "recommendations", "responses")
        report = Report(partnership=partnership, committee=committee, **_columns(spec, *not_columns))
        with _as_sample_data(where):
            recommendation_services.save_report(report, user=None, reason=spec.reason)
        counts.reports += 1
    elif report.refresh_response_due_date():
        # A new release of the rules (or an added bank holiday) may move a stored date.
        recommendation_services.save_report(report, user=None, reason="Response due date recomputed")

    for position, item in enumerate(spec.recommendations, start=1):
        recommendation = Recommendation.objects.filter(
            report=report, list_name=item.list_name, number=item.number
        ).first()
        if recommendation is None:
            respondent = case.partner(item.respondent_organisation).name if item.respondent_organisation else ""
            recommendation = Recommendation(
                report=report,
                position=position,
                **_columns(item, "respondent_organisation", "joint_with", "actions"),
                respondent_organisation=(
                    Organisation.objects.filter(partnership=partnership, name=respondent).first()
                    if respondent
                    else None
                ),
            )
            with _as_sample_data(f"{where}, recommendation {item.list_name} {item.number}".replace("  ", " ")):
                recommendation.full_clean()
            # Recorded when the report reached its addressee, not on the day of loading, so that a
            # meeting since then counts it as owed a response (`was_owed_a_response_on`).
            received = _london_noon(spec.received_on)
            stamp(recommendation, by=None, reason=spec.reason, when=received)
            recommendation.save()
            # created_at is set on insert (auto_now_add).
            Recommendation.objects.filter(pk=recommendation.pk).update(created_at=received)
            recommendation.created_at = received
            recommendation.joint_with.set([_add_board(case, partnership, name) for name in item.joint_with])
            counts.recommendations += 1
        # Linked while the recommendation has no links, so that links an officer removed stay removed.
        if item.actions and not recommendation.actions.exists():
            action_ids = list(
                Action.objects.filter(
                    plan__partnership=partnership, plan__is_current=True, ref__in=item.actions
                ).values_list("pk", flat=True)
            )
            if action_ids:
                recommendation_services.link_actions(
                    recommendation_id=recommendation.pk, user=None, action_ids=action_ids, reason=spec.reason
                )
                counts.links += len(action_ids)

    for answer in spec.responses:
        recommendation = Recommendation.objects.get(report=report, list_name="", number=answer.number)
        if recommendation.response_or_none is not None:
            continue
        with _as_sample_data(f"{where}, response to {answer.number}"):
            recommendation_services.record_response(
                recommendation_id=recommendation.pk,
                user=None,
                **_columns(answer, "number"),
                lead_cabinet_members=spec.lead_cabinet_members,
                # The pro forma is undated; it was published with the council's papers.
                given_on=None,
                is_published=True,
                reason=spec.reason,
                # Recorded from those papers: the day the report was received, after its recommendations.
                when=_london_noon(spec.received_on) + datetime.timedelta(hours=1),
            )
        counts.responses += 1
