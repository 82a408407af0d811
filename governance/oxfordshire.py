"""Oxfordshire's governance: its boards and their members, the inspection cycle as dated events,
the 2018 risk register, real meetings from the seeds, and a run of demo board meetings.

What comes from the council papers (send_tracker/seed_data/) is marked with its source. What is
made up so that "as it stood" and "changed since" have something to show is marked as demo:
meetings (is_demo, shown as "Demo"), risk scores (is_demo_scores, "Demo scores"), and a rating
history for some of the plan's actions, written with the reason "Demo rating history".

load_oxfordshire_governance is idempotent: it adds what is missing and never overwrites what an
administrator has changed. The demo history is written only the first time, and only into a plan
nobody has rated yet: it never rewrites a real record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from actions.choices import Brag
from actions.models import Action, Plan, RatingUpdate
from kpis.models import Indicator
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.history import reason_is, stamp

from .choices import AgendaPurpose, BoardKind, EventKind, MeetingStatus, MemberRole
from .models import Board, BoardMember, InspectionEvent, Meeting, Risk, RiskReview
from .services import (
    Scores,
    add_action_arising,
    add_agenda_item,
    complete_action_arising,
    create_meeting,
    record_decision,
    rescore_risk,
)

DEMO_REASON = "Demo rating history"
# The council papers in send_tracker/seed_data/ (000 to 004), named as they were published: these
# names are shown as each record's source.
SEED_000 = "SEND Improvement Task and Finish Group, terms of reference, People Overview and Scrutiny Committee, 2023"
SEED_001 = (
    "Local Area Partnership SEND Report 2023, Joint Health Overview and Scrutiny Committee to Cabinet, 17 October 2023"
)
SEED_002 = (
    "Update on the SEND Priority Action Plan, report to the Education and Young People Overview and Scrutiny "
    "Committee, 20 May 2024"
)
SEED_003 = (
    "Joint Local Area Inspection of SEND: Written Statement of Action, report to the Health and Wellbeing Board, "
    "8 March 2018"
)
SEED_004 = (
    "Response to the Education and Young People Overview and Scrutiny Committee on the Priority Action Plan, 2024"
)
RISKS_REASON = "From the Written Statement of Action report to the Health and Wellbeing Board, March 2018; demo scores"

COUNCIL = "Oxfordshire County Council"
ICB = "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"
OXFORD_HEALTH = "Oxford Health NHS Foundation Trust"
OUH = "Oxford University Hospitals NHS Foundation Trust"
PCF = "Oxfordshire Parent Carer Forum"
PARTNERS = {
    COUNCIL: ("OCC", OrganisationKind.COUNCIL),
    ICB: ("BOB ICB", OrganisationKind.ICB),
    OXFORD_HEALTH: ("Oxford Health", OrganisationKind.NHS_TRUST),
    OUH: ("OUH", OrganisationKind.NHS_TRUST),
    PCF: ("PCF", OrganisationKind.PARENT_CARER_FORUM),
}

SIAB = "Oxfordshire SEND Strategic Improvement and Assurance Board"
PDG = "Partnership Delivery Group"
PROGRAMME_BOARD = "SEND Programme Board"
HWB = "Health and Wellbeing Board"
CABINET = "Cabinet"
HOSC = "Joint Health Overview and Scrutiny Committee"
PEOPLE = "People Overview and Scrutiny Committee"
EYP = "Education and Young People Overview and Scrutiny Committee"
TASK_AND_FINISH = "SEND Task and Finish Group"


@dataclass(frozen=True)
class BoardSpec:
    name: str
    short_name: str
    kind: str
    independently_chaired: bool
    is_active: bool
    meets: str


# The same names, short names and kinds as actions.oxfordshire, which may have created them first.
BOARDS = [
    BoardSpec(SIAB, "SIAB", BoardKind.IMPROVEMENT_BOARD, True, True, "Monthly"),
    BoardSpec(PDG, "PDG", BoardKind.DELIVERY_GROUP, False, True, "Monthly"),
    BoardSpec(PROGRAMME_BOARD, "", BoardKind.PROGRAMME_BOARD, False, False, "Monthly (2018)"),
    BoardSpec(HWB, "", BoardKind.HEALTH_AND_WELLBEING, False, True, "Quarterly"),
    BoardSpec(CABINET, "", BoardKind.CABINET, False, True, "Monthly"),
    BoardSpec(HOSC, "HOSC", BoardKind.SCRUTINY_COMMITTEE, False, True, "Every two months"),
    BoardSpec(PEOPLE, "", BoardKind.SCRUTINY_COMMITTEE, False, True, "Every two months"),
    BoardSpec(EYP, "EYP", BoardKind.SCRUTINY_COMMITTEE, False, True, "Every two months"),
    BoardSpec(TASK_AND_FINISH, "", BoardKind.TASK_AND_FINISH, False, True, "About every two weeks (2023)"),
]


@dataclass(frozen=True)
class MemberSpec:
    board: str
    name: str
    job_title: str
    organisation: str | None
    role: str = MemberRole.MEMBER
    represents: str = ""


# Posts rather than people where the papers do not name who holds the seat; people where they do.
MEMBERS = [
    MemberSpec(SIAB, "Independent Chair", "Independent chair of the Board", None, MemberRole.CHAIR, "Independent"),
    MemberSpec(SIAB, "Lisa Lyons", "Corporate Director, Children, Education and Families (DCS)", COUNCIL),
    MemberSpec(SIAB, "Cllr Kate Gregory", "Cabinet Member for SEND Improvement", COUNCIL),
    MemberSpec(SIAB, "Cllr John Howson", "Cabinet Member for Children, Education and Young People's Services", COUNCIL),
    MemberSpec(SIAB, "Ian Smart", "Transformation Programme Director", COUNCIL),
    MemberSpec(SIAB, "ICB Place Director for Oxfordshire", "", ICB),
    MemberSpec(SIAB, "ICB Chief Nursing Officer", "", ICB),
    MemberSpec(SIAB, "Oxford Health representative", "", OXFORD_HEALTH),
    MemberSpec(SIAB, "Oxford University Hospitals representative", "", OUH),
    MemberSpec(SIAB, "Parent Carer Forum representative", "", PCF),
    MemberSpec(SIAB, "DfE SEND adviser", "", None, MemberRole.OBSERVER, "Department for Education"),
    MemberSpec(SIAB, "NHS England SEND adviser", "", None, MemberRole.OBSERVER, "NHS England"),
    MemberSpec(PDG, "Ian Smart", "Transformation Programme Director", COUNCIL, MemberRole.CHAIR),
    MemberSpec(PDG, "Head of SEND", "", COUNCIL),
    MemberSpec(PDG, "Designated Clinical Officer for SEND", "", ICB),
    MemberSpec(PDG, "Oxford Health representative", "", OXFORD_HEALTH),
    MemberSpec(PDG, "Oxford University Hospitals representative", "", OUH),
    MemberSpec(PDG, "Parent Carer Forum representative", "", PCF),
    MemberSpec(
        PROGRAMME_BOARD,
        "Cllr Hilary Hibbert-Biles",
        "Cabinet Member for Public Health and Education (2018)",
        COUNCIL,
        MemberRole.CHAIR,
    ),
    MemberSpec(PROGRAMME_BOARD, "Designated Clinical Officer for SEND", "", ICB),
    MemberSpec(HWB, "Chair of the Health and Wellbeing Board", "", COUNCIL, MemberRole.CHAIR),
    MemberSpec(HWB, "ICB Place Director for Oxfordshire", "", ICB),
    MemberSpec(HWB, "Oxford Health representative", "", OXFORD_HEALTH),
    MemberSpec(HWB, "Oxford University Hospitals representative", "", OUH),
    MemberSpec(CABINET, "Cllr Liz Leffman", "Leader of the Council", COUNCIL, MemberRole.CHAIR),
    MemberSpec(
        CABINET, "Cllr John Howson", "Cabinet Member for Children, Education and Young People's Services", COUNCIL
    ),
    MemberSpec(CABINET, "Cllr Kate Gregory", "Cabinet Member for SEND Improvement", COUNCIL),
    MemberSpec(HOSC, "Chair of the Joint Health Overview and Scrutiny Committee", "", COUNCIL, MemberRole.CHAIR),
    MemberSpec(PEOPLE, "Chair of the People Overview and Scrutiny Committee", "", COUNCIL, MemberRole.CHAIR),
    MemberSpec(
        EYP, "Chair of the Education and Young People Overview and Scrutiny Committee", "", COUNCIL, MemberRole.CHAIR
    ),
    MemberSpec(
        TASK_AND_FINISH, "Chair of the Task and Finish Group", "One of six councillors", COUNCIL, MemberRole.CHAIR
    ),
]


@dataclass(frozen=True)
class EventSpec:
    title: str
    kind: str
    date: datetime.date
    bodies: str
    outcome: str
    follow_up: str
    source: str
    end_date: datetime.date | None = None
    is_expected: bool = False
    about_plan: bool = False


EVENTS = [
    EventSpec(
        "Joint local area SEND inspection, 2017",
        EventKind.AREA_INSPECTION,
        datetime.date(2017, 9, 25),
        "Ofsted and CQC",
        "A joint inspection of how effectively the local area implemented the SEND reforms for children and "
        "young people aged 0 to 25.",
        "The report, published on 4 December 2017.",
        SEED_003,
        end_date=datetime.date(2017, 9, 29),
    ),
    EventSpec(
        "2017 inspection report published",
        EventKind.INSPECTION_REPORT,
        datetime.date(2017, 12, 4),
        "Ofsted and CQC",
        "Five areas of significant weakness: lines of accountability for the reforms; the quality and rigour of "
        "self-evaluation and monitoring; the quality of EHC plans; the timeliness of EHC plans; and the high "
        "level of fixed-term exclusion of pupils with SEND in mainstream secondary schools.",
        "The local authority and the clinical commissioning group to submit a Written Statement of Action to "
        "Ofsted within 70 days of the report, by 8 March 2018.",
        SEED_003,
    ),
    EventSpec(
        "Written Statement of Action submitted",
        EventKind.WRITTEN_STATEMENT,
        datetime.date(2018, 3, 8),
        "Oxfordshire County Council and Oxfordshire Clinical Commissioning Group",
        "Approved by the SEND Programme Board, published on the Local Offer and sent to Ofsted for ratification. "
        "Seven key risks to the plan identified.",
        "A risk register to go to the SEND Programme Board every month; a performance dashboard to be "
        "monitored monthly.",
        SEED_003,
    ),
    EventSpec(
        "Area SEND inspection report published, 2023",
        EventKind.INSPECTION_REPORT,
        datetime.date(2023, 9, 15),
        "Ofsted and CQC",
        "Widespread and/or systemic failings leading to significant concerns: five areas for priority action and "
        "four areas for improvement.",
        "A Priority Action Plan within thirty working days of publication; the DfE's Improvement Notice.",
        f"{SEED_002}, paragraph 3; {SEED_001}",
    ),
    EventSpec(
        "Improvement Notice issued",
        EventKind.IMPROVEMENT_NOTICE,
        datetime.date(2023, 11, 9),
        "Department for Education",
        "An Improvement Notice issued to Oxfordshire County Council following the Area SEND inspection.",
        "Stocktake visits and deep dive reviews, alternating about every three months, with NHS England.",
        f"{SEED_002}, paragraph 14",
    ),
    EventSpec(
        "Priority Action Plan approved",
        EventKind.PRIORITY_ACTION_PLAN,
        datetime.date(2023, 12, 12),
        "Ofsted and CQC",
        "Ofsted and CQC confirmed the plan met the criteria in paragraph 149 of the Area SEND inspections "
        "framework and handbook (14 April 2023). The plan was published on the council's and the ICB's websites.",
        "The action and improvement needed by February 2025. (The council's response to the Education and Young "
        "People Overview and Scrutiny Committee, 2024, says the plan was signed off in January 2024.)",
        f"{SEED_002}, paragraphs 4 and 5",
        about_plan=True,
    ),
    EventSpec(
        "First DfE deep dive",
        EventKind.DEEP_DIVE,
        datetime.date(2024, 3, 25),
        "Department for Education and NHS England",
        "The first deep dive review under the Improvement Notice; progress on the Priority Action Plan reported.",
        "A stocktake visit about three months later.",
        f"{SEED_002}, paragraphs 5 and 15",
        about_plan=True,
    ),
    EventSpec(
        "DfE stocktake visit",
        EventKind.STOCKTAKE,
        datetime.date(2024, 6, 1),
        "Department for Education and NHS England",
        "Progress against the Priority Action Plan and the Improvement Notice.",
        "Stocktakes and deep dives alternate about every three months until the monitoring inspection.",
        f"{SEED_002}, paragraph 5 (the month is an estimate)",
        is_expected=True,
        about_plan=True,
    ),
    EventSpec(
        "Ofsted and CQC monitoring inspection",
        EventKind.MONITORING_INSPECTION,
        datetime.date(2025, 3, 1),
        "Ofsted and CQC",
        "Whether the partnership has made the improvements the Priority Action Plan set out to make by February 2025.",
        "Usually about 18 months after the inspection report.",
        f'{SEED_002}, paragraph 5 ("shortly thereafter"; the month is an estimate)',
        is_expected=True,
        about_plan=True,
    ),
]


@dataclass(frozen=True)
class RiskSpec:
    reference: str
    title: str
    cause: str
    consequence: str
    owner: str
    owner_role: str
    scores: tuple[int, int, int, int]  # likelihood and impact before, then after, mitigation (demo)
    mitigations: str


# The seven risks of the 2018 Written Statement of Action report (seed 003), worded as published; cause and consequence split from that wording.
# The mitigations are the actions the same report says were taken. The scores are the demo's.
RISKS = [
    RiskSpec(
        "R1",
        "Lack of capacity in CEF to meet demand and workload",
        "Demand for assessments and plans grows faster than the staff of Children, Education and Families.",
        "Assessments, plans and reviews are late, and children wait for the support they need.",
        COUNCIL,
        "Corporate Director, Children, Education and Families",
        (5, 4, 4, 4),
        "Additional staffing for the SEN casework team; more educational psychologists; a permanent Designated "
        "Clinical Officer for SEND funded by the clinical commissioning group.",
    ),
    RiskSpec(
        "R2",
        "Lack of effective strategy and incomplete service restructure to provide efficient working practices",
        "The SEND strategy and the service restructure are not finished.",
        "Working practices stay inefficient and improvement is not secured.",
        COUNCIL,
        "Corporate Director, Children, Education and Families",
        (4, 4, 3, 4),
        "Programme Board refreshed, chaired by the Cabinet member, reporting to the Children's Trust and the "
        "Health and Wellbeing Board; an ICT case management system for EHC plans being explored.",
    ),
    RiskSpec(
        "R3",
        "Schools fail to cooperate with reforms and initiatives to improve inclusive practice",
        "Schools do not take part in the reforms and initiatives for inclusive practice.",
        "Inclusive practice does not improve and more children with SEND are excluded or placed out of area.",
        COUNCIL,
        "Head of SEND",
        (4, 4, 3, 4),
        "A further review of the use of funding to drive improvements alongside the post-Ofsted action.",
    ),
    RiskSpec(
        "R4",
        "Failure to provide sufficient support and placements results in further exclusion",
        "Not enough support and specialist placements.",
        "Further exclusion of children and young people with SEND.",
        COUNCIL,
        "Head of SEND",
        (4, 5, 4, 4),
        "Additional resources for children's and adult social care being explored.",
    ),
    RiskSpec(
        "R5",
        "Poor uptake on training resulting in slow progress with improving the quality of plans and therefore "
        "improving outcomes for children",
        "Poor uptake of training.",
        "Slow progress in improving the quality of EHC plans, and so in improving outcomes for children.",
        COUNCIL,
        "Head of SEND",
        (3, 3, 2, 3),
        "An e-learning course on EHC plans (live January 2018); multi-agency training from the Council for "
        "Disabled Children (May 2018); weekly quality assurance sampling of plans.",
    ),
    RiskSpec(
        "R6",
        "Progress on reducing fixed term exclusions for children with SEND is slow because schools will struggle "
        "to address issues of inclusion and behaviour support within existing budgets",
        "Schools struggle to address inclusion and behaviour support within existing budgets.",
        "Slow progress in reducing fixed-term exclusions of children with SEND.",
        COUNCIL,
        "Head of SEND",
        (4, 4, 4, 3),
        "A performance dashboard across education, health and care monitored monthly by the SEND Programme Board.",
    ),
    RiskSpec(
        "R7",
        "Waiting times for some services will increase, despite remedial action plans, as a result of "
        "recruitment difficulties across some specialisms e.g. psychologists",
        "Recruitment difficulties across some specialisms, for example psychologists.",
        "Waiting times for some services increase despite remedial action plans.",
        ICB,
        "ICB Place Director for Oxfordshire",
        (5, 4, 4, 4),
        "Remedial action plans for the services concerned; more educational psychologists recruited.",
    ),
]
RISKS_RECORDED = datetime.date(2018, 3, 8)


@dataclass(frozen=True)
class RatingStep:
    on: datetime.date
    ref: str
    brag: str
    commentary: str
    evidence: str = ""


# The demo's SIAB meetings, monthly through 2024 with a break in August.
DEMO_MEETINGS = [
    datetime.date(2024, 1, 17),
    datetime.date(2024, 2, 21),
    datetime.date(2024, 3, 20),
    datetime.date(2024, 4, 17),
    datetime.date(2024, 5, 22),
    datetime.date(2024, 6, 19),
    datetime.date(2024, 7, 17),
    datetime.date(2024, 9, 18),
]

# Ratings between the meetings, so each meeting has ratings up and down, first ratings, evidence
# and, after the end of April (when many actions were due), overdue actions.
DEMO_RATINGS = [
    RatingStep(
        datetime.date(2024, 1, 10),
        "1.1",
        Brag.AMBER,
        "Lived Experience survey being designed with the Parent Carer Forum.",
    ),
    RatingStep(
        datetime.date(2024, 1, 10),
        "1.2",
        Brag.GREEN,
        "Partnership definition of co-production agreed and reaffirmed by the PCF Steering Group.",
        "PCF Steering Group, January 2024: definition reaffirmed for the programme.",
    ),
    RatingStep(datetime.date(2024, 1, 10), "1.3", Brag.AMBER, "Survey design under way; strategic use to follow."),
    RatingStep(datetime.date(2024, 1, 10), "1.4", Brag.AMBER, "Strategic KPI framework in draft."),
    RatingStep(datetime.date(2024, 1, 10), "2A1", Brag.AMBER, "Communications and engagement plan in draft."),
    RatingStep(datetime.date(2024, 1, 10), "2A2", Brag.AMBER, "Programme governance being set up."),
    RatingStep(datetime.date(2024, 1, 10), "3A1", Brag.AMBER, "Workshops on the 20-week timeline planned."),
    RatingStep(datetime.date(2024, 1, 10), "3A2", Brag.GREY, "Starts once the process mapping in 3A1 is done."),
    RatingStep(datetime.date(2024, 1, 10), "3B1", Brag.AMBER, "Multi-agency quality assurance framework in draft."),
    RatingStep(datetime.date(2024, 1, 10), "4A3", Brag.RED, "Mapping of joint forums not started: no capacity."),
    RatingStep(
        datetime.date(2024, 1, 10), "4C2", Brag.RED, "Protocols delayed by recruitment to the keyworker service."
    ),
    RatingStep(
        datetime.date(2024, 1, 10),
        "5A1",
        Brag.GREEN,
        "Governance framework in place: the Board and the Partnership Delivery Group meet.",
        "Terms of reference agreed; membership from every partner confirmed.",
    ),
    RatingStep(datetime.date(2024, 1, 10), "5D1", Brag.AMBER, "Workforce training schedule in design."),
    RatingStep(datetime.date(2024, 2, 14), "2B1", Brag.AMBER, "Local Offer pages for ages 0 to 4 being rewritten."),
    RatingStep(datetime.date(2024, 2, 14), "3A4", Brag.AMBER, "Parent carers invited to the improvement workshops."),
    RatingStep(datetime.date(2024, 2, 14), "4A1", Brag.AMBER, "Local Offer service pages being updated."),
    RatingStep(datetime.date(2024, 2, 14), "4C2", Brag.AMBER, "Keyworker posts filled; protocols drafted."),
    RatingStep(
        datetime.date(2024, 2, 14), "1.3", Brag.RED, "Survey launch slipped: the survey platform's procurement is late."
    ),
    RatingStep(
        datetime.date(2024, 3, 13),
        "3A1",
        Brag.GREEN,
        "Workshops held on 20 weeks, annual reviews, transfers, appeals and tribunals.",
        "Process maps of every statutory EHCP timeline with the causes of delay (workshop report, March 2024).",
    ),
    RatingStep(
        datetime.date(2024, 3, 13),
        "2A1",
        Brag.GREEN,
        "Communications and engagement plan live.",
        "Plan published; the first SEND Oxfordshire Conversations event held.",
    ),
    RatingStep(datetime.date(2024, 3, 13), "4A3", Brag.AMBER, "Joint forums mapped; consolidation proposals drafted."),
    RatingStep(datetime.date(2024, 3, 13), "3A2", Brag.AMBER, "Improvement actions agreed with health and care."),
    RatingStep(
        datetime.date(2024, 4, 10),
        "1.2",
        Brag.BLUE,
        "Definition embedded across the programme.",
        "Co-production definition in every workstream's terms of reference; Co-production Charter agreed.",
    ),
    RatingStep(
        datetime.date(2024, 4, 10),
        "2B1",
        Brag.GREEN,
        "Phased launch for ages 0 to 4 and 5 to 16 completed.",
        "Local Offer pages for 0 to 4 and 5 to 16 live.",
    ),
    RatingStep(
        datetime.date(2024, 4, 10),
        "4A1",
        Brag.GREEN,
        "Phased launch for ages 0 to 4 and 5 to 16 completed.",
        "Service pages with contact details and referral pathways live for 0 to 16.",
    ),
    RatingStep(datetime.date(2024, 4, 10), "3B2", Brag.AMBER, "Framework finalised with a measure of advice quality."),
    RatingStep(datetime.date(2024, 4, 10), "1.3", Brag.AMBER, "Survey platform bought; the survey goes live in May."),
    RatingStep(
        datetime.date(2024, 5, 15),
        "1.4",
        Brag.GREEN,
        "Strategic KPIs agreed; dashboard in production.",
        "KPI framework agreed by the Board; first dashboard presented.",
    ),
    RatingStep(
        datetime.date(2024, 5, 15), "3B1", Brag.RED, "Framework delayed: the measure of health advice is not agreed."
    ),
    RatingStep(datetime.date(2024, 5, 15), "4B2", Brag.AMBER, "Decision-making processes being reviewed."),
    RatingStep(
        datetime.date(2024, 6, 12),
        "1.1",
        Brag.GREEN,
        "Lived Experience survey live since May; to be repeated every six to nine months.",
        "First survey results reported to the Partnership Delivery Group.",
    ),
    RatingStep(datetime.date(2024, 6, 12), "3B1", Brag.AMBER, "Health advice measure agreed; framework back on track."),
    RatingStep(datetime.date(2024, 6, 12), "5C1", Brag.AMBER, "Early Help and Prevention Strategy being co-produced."),
    RatingStep(
        datetime.date(2024, 7, 10),
        "3A4",
        Brag.GREEN,
        "Parent carers and professionals took part in every improvement workshop.",
        "Workshop attendance records, March to June 2024.",
    ),
    RatingStep(datetime.date(2024, 7, 10), "4B2", Brag.RED, "Decision-making panels delayed by vacancies."),
    RatingStep(
        datetime.date(2024, 7, 10),
        "2A2",
        Brag.GREEN,
        "Programme governance in place.",
        "The Board, the Partnership Delivery Group and the workstreams meet to schedule.",
    ),
    RatingStep(datetime.date(2024, 9, 11), "4B2", Brag.AMBER, "Vacancies filled; panels meeting weekly."),
    RatingStep(
        datetime.date(2024, 9, 11), "3A2", Brag.RED, "Contributions from health still late in a third of cases."
    ),
    RatingStep(
        datetime.date(2024, 9, 11),
        "5C1",
        Brag.GREEN,
        "Early Help and Prevention Strategy co-produced and agreed.",
        "Strategy agreed by the partners and published.",
    ),
]

# Re-scores of the register at the demo meetings: (meeting, reference, scores, why).
DEMO_RESCORES: list[tuple[datetime.date, str, tuple[int, int, int, int] | None, str]] = [
    *[(DEMO_MEETINGS[0], spec.reference, None, "Reviewed by the new Board: scores confirmed.") for spec in RISKS],
    (DEMO_MEETINGS[1], "R2", (4, 4, 2, 4), "Restructure completed; SEND team and education leadership stabilised."),
    (
        DEMO_MEETINGS[2],
        "R7",
        (5, 4, 5, 4),
        "Waits for neurodevelopmental assessment still growing; psychologist vacancies.",
    ),
    (DEMO_MEETINGS[3], "R1", (5, 4, 3, 4), "Additional caseworkers in post; EHCP backlog falling."),
    (DEMO_MEETINGS[4], "R4", (4, 5, 4, 5), "Special school places full; more pupils waiting for a placement."),
    (DEMO_MEETINGS[5], "R5", (3, 3, 2, 2), "SEND Live conference and EHCP training well attended."),
    (DEMO_MEETINGS[6], "R4", (4, 5, 3, 5), "Didcot special school approved; Cherry Fields resource base open."),
    (DEMO_MEETINGS[7], "R7", (5, 4, 4, 4), "Integrated therapies contracts in place; waits starting to fall."),
]


@dataclass(frozen=True)
class DemoAgenda:
    title: str
    purpose: str
    presenter: str = ""
    action_ref: str = ""
    risk_ref: str = ""
    kpi: bool = False


STANDING_ITEMS = [
    DemoAgenda("Minutes and actions arising from the last meeting", AgendaPurpose.DECISION, "Independent Chair"),
    DemoAgenda("PAP highlight report", AgendaPurpose.ASSURANCE, "Transformation Programme Director"),
]
# One focused item per meeting; the subjects are those seed 002 (paragraph 11) says the Board took.
FOCUSED_ITEMS = [
    DemoAgenda("Terms of reference and ways of working", AgendaPurpose.DECISION, "Independent Chair", action_ref="5A1"),
    DemoAgenda(
        "Focused session: voice, views and co-production",
        AgendaPurpose.DISCUSSION,
        "Parent Carer Forum representative",
        action_ref="1.2",
    ),
    DemoAgenda(
        "Preparing for the DfE deep dive", AgendaPurpose.DECISION, "Transformation Programme Director", risk_ref="R7"
    ),
    DemoAgenda(
        "DfE deep dive feedback; EHCP timeliness", AgendaPurpose.ASSURANCE, "Head of SEND", action_ref="3A1", kpi=True
    ),
    DemoAgenda("Focused session: alternative provision", AgendaPurpose.DISCUSSION, "Head of SEND", risk_ref="R4"),
    DemoAgenda("Focused session: post-16 provision", AgendaPurpose.DISCUSSION, "Head of SEND", action_ref="3B1"),
    DemoAgenda(
        "Focused session: school funding",
        AgendaPurpose.DISCUSSION,
        "Head of Finance Business Partnering",
        risk_ref="R4",
    ),
    DemoAgenda(
        "Health contributions to EHC plans",
        AgendaPurpose.ASSURANCE,
        "ICB Place Director for Oxfordshire",
        action_ref="3A2",
    ),
]
DEMO_DECISIONS = [
    "The Board agreed its terms of reference and asked the Partnership Delivery Group to report to every meeting.",
    "The Board agreed the co-production definition for use across the programme.",
    "The Board agreed the submission for the DfE deep dive on 25 March 2024.",
    "The Board noted the deep dive feedback and asked for EHCP timeliness to be reported to every meeting.",
    "The Board asked for a recovery plan for the multi-agency quality assurance framework (3B1).",
    "The Board noted the recovery of 3B1 and the first Lived Experience survey results.",
    "The Board asked the ICB to review vacancies on the decision-making panels (4B2).",
    "The Board asked for a report on late health contributions to EHC plans (3A2).",
]
# (meeting index, what, owner, organisation, due, done on or None)
DEMO_ACTIONS_ARISING: list[tuple[int, str, str, str, datetime.date, datetime.date | None]] = [
    (
        0,
        "Circulate the PAP highlight report template to every workstream lead.",
        "Ian Smart",
        COUNCIL,
        datetime.date(2024, 2, 7),
        datetime.date(2024, 2, 5),
    ),
    (
        2,
        "Share the deep dive submission with Board members before 25 March.",
        "Ian Smart",
        COUNCIL,
        datetime.date(2024, 3, 22),
        datetime.date(2024, 3, 21),
    ),
    (
        3,
        "Report EHCP timeliness to every meeting.",
        "Head of SEND",
        COUNCIL,
        datetime.date(2024, 5, 22),
        datetime.date(2024, 5, 22),
    ),
    (
        4,
        "Bring a recovery plan for the quality assurance framework (3B1).",
        "Head of SEND",
        COUNCIL,
        datetime.date(2024, 6, 19),
        datetime.date(2024, 6, 19),
    ),
    (
        6,
        "Review vacancies on the decision-making panels (4B2).",
        "ICB Place Director for Oxfordshire",
        ICB,
        datetime.date(2024, 9, 18),
        None,
    ),
    (
        7,
        "Report on late health contributions to EHC plans (3A2).",
        "Designated Clinical Officer for SEND",
        ICB,
        datetime.date(2024, 10, 16),
        None,
    ),
]


@dataclass(frozen=True)
class RealMeeting:
    board: str
    date: datetime.date
    item: str
    purpose: str
    presenter: str
    summary: str
    source: str


# Meetings the seeds record. Their agendas are as published; nothing else about them is invented.
REAL_MEETINGS = [
    RealMeeting(
        TASK_AND_FINISH,
        datetime.date(2023, 6, 30),
        "Introductory meeting",
        AgendaPurpose.INFORMATION,
        "Cabinet Member for Children, Education and Young People's Services; Interim Executive Director; "
        "Interim Corporate Director",
        "Presentations to the Group, which then decides a pattern of meetings and a timeframe.",
        SEED_000,
    ),
    RealMeeting(
        HOSC,
        datetime.date(2023, 9, 21),
        "Ofsted and CQC report on SEND provision in Oxfordshire",
        AgendaPurpose.DISCUSSION,
        "The Leader; the Cabinet Member for Children, Education and Young People's Services; the Executive "
        "Director for People, Transformation and Performance; the interim Director for Children's Services; "
        "BOB ICB",
        "The Committee heard public speakers, including parents of children with SEND, and questioned the "
        "partnership on the report.",
        SEED_001,
    ),
    RealMeeting(
        CABINET,
        datetime.date(2023, 10, 17),
        "Local Area Partnership SEND Report 2023 (report of the Joint Health Overview and Scrutiny Committee)",
        AgendaPurpose.DECISION,
        "Joint Health Overview and Scrutiny Committee",
        "Cabinet is recommended to lead a Local Area Partnership response to the recommendations, and to update "
        "the Committee on progress for 12 months. A written response is required within 28 days of the request.",
        SEED_001,
    ),
    RealMeeting(
        EYP,
        datetime.date(2024, 5, 20),
        "An update on the SEND Priority Action Plan",
        AgendaPurpose.DECISION,
        "Lisa Lyons, Corporate Director (DCS), Children, Education and Families",
        "The Committee is recommended to acknowledge the progress made on the Priority Action Plan and to receive "
        "a further update in September 2024.",
        SEED_002,
    ),
]


def _london_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=timezone.get_default_timezone())


def _organisations(partnership: Partnership) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for name, (short_name, kind) in PARTNERS.items():
        found[name], _ = Organisation.objects.get_or_create(
            partnership=partnership, name=name, defaults={"short_name": short_name, "kind": kind}
        )
    return found


def _boards(partnership: Partnership) -> dict[str, Board]:
    boards: dict[str, Board] = {}
    for spec in BOARDS:
        board, created = Board.objects.get_or_create(
            partnership=partnership,
            name=spec.name,
            defaults={
                "short_name": spec.short_name,
                "kind": spec.kind,
                "independently_chaired": spec.independently_chaired,
                "is_active": spec.is_active,
                "meets": spec.meets,
            },
        )
        if not created and not board.meets:
            # Created by the plan's loader without how often it meets; fill only that gap.
            board.meets = spec.meets
            stamp(board, by=None, reason="How often it meets, from the governance loader")
            board.save(update_fields=["meets"])
        boards[spec.name] = board
    return boards


def _members(boards: dict[str, Board], organisations: dict[str, Organisation]) -> int:
    added = 0
    for spec in MEMBERS:
        _, created = BoardMember.objects.get_or_create(
            board=boards[spec.board],
            name=spec.name,
            defaults={
                "job_title": spec.job_title,
                "organisation": organisations[spec.organisation] if spec.organisation else None,
                "represents": spec.represents,
                "role": spec.role,
            },
        )
        added += created
    return added


def _events(partnership: Partnership, plan: Plan | None) -> int:
    added = 0
    for spec in EVENTS:
        _, created = InspectionEvent.objects.get_or_create(
            partnership=partnership,
            title=spec.title,
            defaults={
                "kind": spec.kind,
                "date": spec.date,
                "end_date": spec.end_date,
                "is_expected": spec.is_expected,
                "bodies": spec.bodies,
                "outcome": spec.outcome,
                "follow_up": spec.follow_up,
                "source": spec.source,
                "plan": plan if spec.about_plan else None,
            },
        )
        added += created
    return added


def _risks(partnership: Partnership, organisations: dict[str, Organisation], siab: Board) -> dict[str, Risk]:
    risks: dict[str, Risk] = {}
    for spec in RISKS:
        risk = Risk.objects.filter(partnership=partnership, reference=spec.reference).first()
        if risk is None:
            lb, ib, la, ia = spec.scores
            risk = Risk(
                partnership=partnership,
                reference=spec.reference,
                title=spec.title,
                cause=spec.cause,
                consequence=spec.consequence,
                owner=organisations[spec.owner],
                owner_role=spec.owner_role,
                likelihood_before=lb,
                impact_before=ib,
                likelihood_after=la,
                impact_after=ia,
                mitigations=spec.mitigations,
                next_review_date=DEMO_MEETINGS[0],
                review_board=siab,
                is_demo_scores=True,
                source=SEED_003,
            )
            # Dated when the papers first recorded the risk, so the register "as it stood" at any
            # later meeting includes it.
            risk._history_date = _london_noon(RISKS_RECORDED)  # type: ignore[attr-defined]
            stamp(risk, by=None, reason=RISKS_REASON)
            risk.save()
        risks[spec.reference] = risk
    return risks


def _real_meetings(boards: dict[str, Board]) -> int:
    added = 0
    for spec in REAL_MEETINGS:
        board = boards[spec.board]
        if Meeting.objects.filter(board=board, date=spec.date).exists():
            continue
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
    siab: Board, plan: Plan | None, risks: dict[str, Risk], organisations: dict[str, Organisation]
) -> int:
    added = 0
    actions = {a.ref: a for a in Action.objects.filter(plan=plan)} if plan else {}
    indicator = Indicator.objects.filter(partnership_id=siab.partnership_id, name__icontains="20 weeks").first()
    for index, day in enumerate(DEMO_MEETINGS):
        if Meeting.objects.filter(board=siab, date=day).exists():
            continue
        meeting = create_meeting(
            board_id=siab.pk,
            user=None,
            date=day,
            status=MeetingStatus.HELD,
            location="County Hall, Oxford, and online",
            is_demo=True,
        )
        for spec in [*STANDING_ITEMS, FOCUSED_ITEMS[index]]:
            action = actions.get(spec.action_ref)
            risk = risks.get(spec.risk_ref)
            add_agenda_item(
                meeting_id=meeting.pk,
                user=None,
                title=spec.title,
                purpose=spec.purpose,
                presenter=spec.presenter,
                action_id=action.pk if action else None,
                risk_id=risk.pk if risk else None,
                indicator_id=indicator.pk if spec.kpi and indicator else None,
            )
        record_decision(meeting_id=meeting.pk, user=None, text=DEMO_DECISIONS[index])
        for meeting_index, what, owner, organisation, due, done in DEMO_ACTIONS_ARISING:
            if meeting_index != index:
                continue
            arising = add_action_arising(
                meeting_id=meeting.pk,
                user=None,
                description=what,
                owner_name=owner,
                owner_organisation_id=organisations[organisation].pk,
                due_date=due,
            )
            if done is not None:
                complete_action_arising(action_arising_id=arising.pk, user=None, done_on=done, note="Done.")
        added += 1
    return added


def _demo_risk_reviews(siab: Board, risks: dict[str, Risk]) -> int:
    if RiskReview.objects.filter(risk__partnership_id=siab.partnership_id, is_demo=True).exists():
        return 0
    meetings = {m.date: m for m in Meeting.objects.filter(board=siab, date__in=DEMO_MEETINGS)}
    written = 0
    for day, reference, scores, why in DEMO_RESCORES:
        risk = Risk.objects.get(pk=risks[reference].pk)
        if scores is None:
            scores = (risk.likelihood_before, risk.impact_before, risk.likelihood_after, risk.impact_after)
        later = [d for d in DEMO_MEETINGS if d > day]
        next_review = later[2] if len(later) > 2 else day + datetime.timedelta(days=91)
        meeting = meetings.get(day)
        rescore_risk(
            risk_id=risk.pk,
            user=None,
            scores=Scores(*scores),
            comment=why,
            based_on_version=None,
            next_review_date=next_review,
            meeting_id=meeting.pk if meeting else None,
            reviewed_on=day,
            is_demo=True,
            when=_london_noon(day),
        )
        written += 1
    return written


def _demo_rating_history(plan: Plan | None) -> str:
    """Backdated ratings for some actions, so that board meetings in 2024 differ from each other.

    Written only into a plan that nobody has rated and that has no demo history yet.
    """
    if plan is None:
        return "no plan, so no demo rating history"
    history = Action.history.model
    if history.objects.filter(reason_is(DEMO_REASON), plan_id=plan.pk).exists():
        return "demo rating history already present"
    if RatingUpdate.objects.filter(action__plan=plan).exists():
        return "the plan has real ratings, so no demo rating history"
    actions = {a.ref: a for a in Action.objects.filter(plan=plan).select_related("owner")}
    steps = [step for step in DEMO_RATINGS if step.ref in actions]
    if not steps:
        return "no actions to rate"
    # The plan's own rows were written today by its loader. The demo looks back to 2024, so they
    # are dated when the plan was published; otherwise they would count as the latest state and
    # hide the demo ratings from "as it stood".
    published = _london_noon(plan.approved_date or datetime.date(2023, 12, 12)) - datetime.timedelta(hours=3)
    history.objects.filter(plan_id=plan.pk, history_date__gt=published).update(history_date=published)
    for step in sorted(steps, key=lambda s: s.on):
        action = actions[step.ref]
        when = _london_noon(step.on)
        previous = action.brag
        action.brag = step.brag
        action.brag_commentary = step.commentary
        action.rated_at = when
        action.rated_by = None
        action.version += 1
        action._history_date = when
        label = stamp(action, by=None, reason=DEMO_REASON)
        action.save()
        update = RatingUpdate.objects.create(
            action=action,
            version=action.version,
            brag=step.brag,
            previous_brag=previous,
            commentary=step.commentary,
            evidence_text=step.evidence,
            created_by_label=label,
        )
        # created_at is set on insert; the demo's update belongs on the day of its rating.
        RatingUpdate.objects.filter(pk=update.pk).update(created_at=when)
    return f"demo rating history: {len(steps)} ratings of {len({s.ref for s in steps})} actions"


@transaction.atomic
def load_oxfordshire_governance(partnership: Partnership) -> str:
    """Boards, members, the inspection cycle, the risk register, real and demo meetings. One line back."""
    organisations = _organisations(partnership)
    boards = _boards(partnership)
    plan = Plan.objects.filter(partnership=partnership).order_by("-is_current", "pk").first()
    members = _members(boards, organisations)
    events = _events(partnership, plan)
    risks = _risks(partnership, organisations, boards[SIAB])
    real = _real_meetings(boards)
    demo = _demo_meetings(boards[SIAB], plan, risks, organisations)
    reviews = _demo_risk_reviews(boards[SIAB], risks)
    ratings = _demo_rating_history(plan)
    return (
        f"Governance: {len(boards)} boards ({members} members added), {events} inspection events added, "
        f"{len(risks)} risks, {real} real and {demo} demo meetings added, {reviews} demo risk reviews; {ratings}"
    )
