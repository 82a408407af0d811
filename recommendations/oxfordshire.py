"""The real Oxfordshire scrutiny recommendations, from the council's published papers.

- Seed 001: the Joint Health Overview and Scrutiny Committee's report to Cabinet of 17 October
  2023 on the Local Area Partnership SEND report: 7 overarching recommendations made jointly with
  the People Overview and Scrutiny Committee, and 6 HOSC recommendations, the last for
  information only. The seed gives no responses.
- Seed 004: the response pro forma to the Education and Young People Overview and Scrutiny
  Committee on the Priority Action Plan, response requested 23 April 2024: recommendation 1
  accepted, recommendation 2 rejected with reasons.

The wording is the seeds', with only obvious scanning errors mended ("Clir" for "Cllr", words run
together, a stray footnote mark in a date). Loading is idempotent: what exists is left as it is,
so an administrator's corrections survive a re-run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from actions.models import Action
from governance.choices import BoardKind
from governance.models import Board
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.history import stamp

from . import services
from .choices import Outcome, Respondent, ResponseRegime
from .models import Recommendation, Report

HOSC = "Joint Health Overview and Scrutiny Committee"
PEOPLE = "People Overview and Scrutiny Committee"
EYP = "Education and Young People Overview and Scrutiny Committee"
COMMITTEES = {HOSC: "HOSC", PEOPLE: "", EYP: "EYP"}
ICB = "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"

LOADED_FROM_001 = "Loaded from the HOSC report to Cabinet, 17 October 2023"
LOADED_FROM_004 = "Loaded from the EYP response pro forma, April 2024"


@dataclass(frozen=True)
class SeedRecommendation:
    list_name: str
    number: str
    text: str
    respondent: str = Respondent.CABINET
    respondent_organisation: str = ""  # an organisation's name; "" for the Cabinet (the council)
    response_required: bool = True
    note: str = ""
    joint_with: tuple[str, ...] = ()
    # PAP refs the recommendation plainly asks for; linked when the action exists.
    action_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeedResponse:
    number: str
    outcome: str
    proposed_action: str = ""
    indicative_timescale: str = ""
    reasons: str = ""


@dataclass(frozen=True)
class SeedReport:
    committee: str
    title: str
    addressee: str
    received_on: datetime.date
    regime: str
    source: str
    reason: str
    meeting_date: datetime.date | None = None
    notes: str = ""
    response_to_report: str = ""
    lead_cabinet_members: str = ""
    recommendations: tuple[SeedRecommendation, ...] = ()
    responses: tuple[SeedResponse, ...] = field(default=())


OVERARCHING = "Overarching"
HOSC_LIST = "HOSC"
# The overarching recommendations are "aimed at the Partnership as a whole", and the Cabinet is
# asked to "lead on developing a Local Area Partnership Level response": the partnership answers,
# led by the council.
COUNCIL = "Oxfordshire County Council"


def _overarching(number: str, text: str, action_refs: tuple[str, ...] = ()) -> SeedRecommendation:
    return SeedRecommendation(
        OVERARCHING,
        number,
        text,
        respondent=Respondent.PARTNERSHIP,
        respondent_organisation=COUNCIL,
        joint_with=(PEOPLE,),
        action_refs=action_refs,
    )


HOSC_REPORT_2023 = SeedReport(
    committee=HOSC,
    title="Local Area Partnership SEND Report 2023",
    addressee="Cabinet",
    meeting_date=datetime.date(2023, 9, 21),
    received_on=datetime.date(2023, 10, 17),
    regime=ResponseRegime.HEALTH_SCRUTINY,
    source="Cabinet, 17 October 2023: report of the Oxfordshire Joint Health Overview and Scrutiny Committee",
    reason=LOADED_FROM_001,
    notes=(
        "The Cabinet is RECOMMENDED to —\n"
        "a) Agree to lead on developing a Local Area Partnership Level response to the recommendations contained "
        "within this report.\n"
        "b) Agree that the Leader; the Cabinet Member Children, Education and Young People’s Services; the Cabinet "
        "Member for Special Educational Needs and Disabilities (SEND); and relevant officers will continue to update "
        "HOSC for 12 months on any progress made against these recommendations in light of some of the systemic "
        "failings highlighted in the Local Area Partnership SEND report published by Ofsted and the Care Quality "
        "Commission (CQC)."
    ),
    recommendations=(
        _overarching(
            "1",
            "For Leadership over the Partnership and of Children and Young People’s SEND provision to be explicitly "
            "set out and communicated clearly to families and all stakeholders; as well as clear measures of how "
            "leadership will be developed and demonstrated at all levels, and to demonstrate how new ways of working "
            "with stakeholders will put families at the heart of transformation.",
            action_refs=("5A1",),
        ),
        _overarching(
            "2",
            "To ensure good transparency around any action planning and the improvement journey for SEND provision "
            "for Children and Young People, and to develop explicit Key Performance Indicators for measuring the "
            "effectiveness of improvements that are open to scrutiny. The Committee also recommends for more "
            "comprehensive action planning after the publication of the initial action plan requested by Ofsted, and "
            "for this action planning to be made fully transparent.",
            action_refs=("1.4",),
        ),
        _overarching(
            "3",
            "For the Leadership to adopt restorative thinking and practices with utmost urgency so as to reassure "
            "affected families, and for this thinking to be placed at the heart of any co-production exercises to "
            "help families feel their voices are being heard as well as for the purposes of transparency.",
        ),
        _overarching(
            "4",
            "To ensure adequate and timely co-production of action planning to improve SEND provision, and for the "
            "voices of Children and their families to be taken into account in tackling the systemic failings "
            "highlighted in the report. The Committee also recommends that the Partnership considers timely "
            "allocation of seed funding for the development of co-production involving people with lived "
            "experience; and for joint commissioning of training and alternative provision across Oxfordshire, "
            "involving multi-agency stakeholders, the voluntary sector and families.",
            action_refs=("1.2",),
        ),
        _overarching(
            "5",
            "To continue to improve working collaboration amongst the Local Area Partnership so as to integrate "
            "support mechanisms and services as effectively as possible, and for rapid improvements to be "
            "demonstrated on clear and efficient information and patient-data sharing on children with SEND.",
            action_refs=("2A1",),
        ),
        _overarching(
            "6",
            "For every effort to be made for children and young people with SEND to receive the support that is "
            "specifically tailored toward and appropriate to their own needs and experiences; and for those involved "
            "in providing support services to be aware of the additional/alternative services available which a "
            "child may also need a referral to. It is also recommended that Improvements in one-to-one "
            "communications with families should be prioritised by Oxfordshire County Council, using the budget "
            "agreed by cabinet immediately following the Ofsted report.",
        ),
        _overarching(
            "7",
            "To consider the use of digital resources for enablement, including at an individual level; and to "
            "ensure EHCPs are up to date and that they constitute living documents for families.",
        ),
        SeedRecommendation(
            HOSC_LIST,
            "1",
            "For SEND commissioning to be developed using the Ofsted report as a baseline, and to place "
            "person-centred mental and physical health of children and their families with SEND at the centre of "
            "decisions on how funding is spent to maximise social value. The Committee also recommends for the Local "
            "Area Partnership to map all funding sources available for, and to explore joint commissioning of "
            "services and training that could improve the overall health and wellbeing for children with SEND.",
            action_refs=("4B1",),
        ),
        SeedRecommendation(
            HOSC_LIST,
            "2",
            "To ensure that there is clarity of information on any physical or mental health services for children "
            "with SEND, so as to reduce the risk of confusion and lack of awareness of such services amongst "
            "parents, carers or families of children who require support for their mental or physical health.",
            action_refs=("4A1",),
        ),
        SeedRecommendation(
            HOSC_LIST,
            "3",
            "To exercise learning from how other Counties and Systems have provided well-coordinated and effective "
            "SEND provision; particularly where measures have been adopted to specifically reduce the tendency for "
            "poor mental or physical health amongst affected Children and Young People.",
        ),
        SeedRecommendation(
            HOSC_LIST,
            "4",
            "To ensure that staff involved in Health, Care, Education, and any relevant Voluntary Sector "
            "organisations are sufficiently trained and aware of children that may be neuro-divergent, have a "
            "learning difficulty or a disability (SEND); and for such staff to be adequately aware of the support "
            "and resources available, and the processes for referring such children for any relevant mental or "
            "physical health services that they might require.",
            action_refs=("5D1",),
        ),
        SeedRecommendation(
            HOSC_LIST,
            "5",
            "For HOSC to continue to follow this item and to evaluate the impact of any changes or improvements "
            "made, with specific insights into the following; the Partnership’s Action Plan as requested by HMCI; "
            "the overall measures taken to address the concerns raised by the Ofsted/CQC inspection; the progress "
            "made by CAMHS in reducing waiting times for treatment of children with SEND who require mental health "
            "support; and on how the NHS is working to increase the overall acquisition and availability of data "
            "on SEND childrens’ mental health from key mental health providers.",
        ),
        SeedRecommendation(
            HOSC_LIST,
            "6",
            "To work on reducing waiting times for CAMHS services for children with SEND who may show signs of "
            "worsening mental health, and to recognise and provide support to such children and their families "
            "whilst they are awaiting treatment.",
            respondent=Respondent.NHS_BODY,
            respondent_organisation=ICB,
            response_required=False,
            note=(
                "NB The following recommendation was also made by the Committee, but specifically relates to NHS "
                "services. It is included for information and no response is required by Cabinet concerning it."
            ),
            action_refs=("4C1",),
        ),
    ),
)

EYP_PAP_2024 = SeedReport(
    committee=EYP,
    title="Update on the Priority Action Plan",
    addressee="Cabinet",
    received_on=datetime.date(2024, 4, 23),
    regime=ResponseRegime.OVERVIEW_AND_SCRUTINY,
    source="Overview & Scrutiny Recommendation Response Pro forma",
    reason=LOADED_FROM_004,
    lead_cabinet_members=(
        "Cllr John Howson, Cabinet Member for Children, Education, and Young People’s Services\n"
        "Cllr Kate Gregory, Cabinet Member for SEND Improvement"
    ),
    response_to_report=(
        "The priority action plan (PAP) was developed by the Local Area Partnership in response to the outcome of "
        "the Ofsted/ CQC area inspection of SEND published in September 2023. The PAP was signed off by Ofsted in "
        "January 2024. There was some Member involvement in the development of the PAP, but it is noted that the "
        "PAP was developed and submitted prior to the new Education and Young People Overview & Scrutiny Committee "
        "(EYP) was established.\n\n"
        "Aspects of the PAP are also reported to the Oxfordshire Joint Health Overview and Scrutiny Committee\n\n"
        "Members sit on the membership of the SEND Improvement and Assurance Board, and there has been further "
        "reporting to EYP on the progress against the improvements.\n\n"
        "In respect to the Committee’s observations around further communication to all Members, the Children, "
        "Education and Families Directorate have committed to a series of All Member briefings on a wide range of "
        "operational and strategic areas relating to education and SEND.\n\n"
        "Future reports in respect of the PAP and SEND/ education landscape, that are received by EYP, could focus "
        "upon the detailed reports from the delivery subgroups via the co-chairs, who are managing the operational "
        "business as usual and changes to services within the workstreams.\n\n"
        "In respect of the observation on the development of further empathy and clarity in respect of complaints "
        "and queries and concerns, although there is more work to do, we have developed increased responsiveness "
        "and a more relational style, encouraging staff to have ‘in person’ conversations to resolve issues. We "
        "have had increasing feedback about an improvement in this area.\n\n"
        "There has been continuous work on communication and engagement with the wider public, parents and carers, "
        "stakeholders and Members. There are specific workstreams on engagement and communications which includes "
        "ongoing development of relational practice in communications to parents, carers and children. This has "
        "also encompassed the approach to complaints, queries and concerns raised by parents and carers.\n\n"
        "Specific workstreams and actions are improving the voices of children in young people not only in the PAP "
        "but in the continuous wider improvement of services in SEND and across Council and partner agencies. The "
        "approaches include a focus on individual case response and hearing the voice of children through to wider "
        "strategic engagement."
    ),
    recommendations=(
        SeedRecommendation(
            "",
            "1",
            "That the Council should ensure that the voice of children and young people is sought and heard more "
            "clearly within the Priority Action Plan and within the work arising from it.",
            action_refs=("1.1",),
        ),
        SeedRecommendation(
            "",
            "2",
            "That the Council should arrange for members of the Committee to be invited to sit on the Task and "
            "Finish groups.",
        ),
    ),
    responses=(
        SeedResponse(
            "1",
            Outcome.ACCEPTED,
            proposed_action=(
                "The priority action plan has a workstream dedicated to supporting the participation, engagement and "
                "co production with children and young people. A youth SEND forum has been established as an "
                "advisory/ steering group linking to the SEND Improvement and Assurance Board and to other activity "
                "for children and Young People with SEND across the Council and partnerships.\n\n"
                "A wider mechanism for consultation to reach children and young people to participate and provide "
                "feedback and views on a wide range of matters that matter to them, has been developed. This "
                "mechanism will be fully operational in the Autumn 2024."
            ),
            indicative_timescale="Autumn 2024",
        ),
        SeedResponse(
            "2",
            Outcome.REJECTED,
            reasons=(
                "The recommendation originated from EYP in January 2024 where there was a conversation in which "
                "members thought they would be involved in SEND improvement task and finish groups and were asking "
                "again to get involved. The interest and willingness to get involved is appreciated, but it could "
                "not be promised or confirmed.\n\n"
                "The recommendation was for the Director to consider involvement of Members directly in those "
                "groups. Having taken advice and thought through the potential conflicts of interest, it is her view "
                "that as soon as Councillors become involved in technical and operational work in task and finish "
                "groups, they immediately make themselves accountable for the activity/ decisions and outcomes. This "
                "will occur even if they are participant observers. It blurs the political/ operational boundary, "
                "and they can’t hold themselves to account. The holding to account is the role of cabinet and "
                "Committees."
            ),
        ),
    ),
)

SEED_REPORTS = (HOSC_REPORT_2023, EYP_PAP_2024)


@dataclass
class LoadCounts:
    reports: int = 0
    recommendations: int = 0
    responses: int = 0
    links: int = 0


def _committee(partnership: Partnership, name: str) -> Board:
    # The governance loader creates the same boards by the same names; whichever runs first wins.
    board, _ = Board.objects.get_or_create(
        partnership=partnership,
        name=name,
        defaults={"short_name": COMMITTEES.get(name, ""), "kind": BoardKind.SCRUTINY_COMMITTEE},
    )
    return board


def _organisation(partnership: Partnership, name: str) -> Organisation | None:
    if not name:
        return None
    return Organisation.objects.filter(partnership=partnership, name=name).first()


def _load_report(partnership: Partnership, seed: SeedReport, counts: LoadCounts) -> None:
    committee = _committee(partnership, seed.committee)
    report = Report.objects.filter(committee=committee, title=seed.title).first()
    if report is None:
        report = Report(
            partnership=partnership,
            committee=committee,
            title=seed.title,
            addressee=seed.addressee,
            meeting_date=seed.meeting_date,
            received_on=seed.received_on,
            regime=seed.regime,
            source=seed.source,
            notes=seed.notes,
            response_to_report=seed.response_to_report,
        )
        services.save_report(report, user=None, reason=seed.reason)
        counts.reports += 1
    elif report.refresh_response_due_date():
        # A new release of the rules (or an added bank holiday) may move a stored date.
        services.save_report(report, user=None, reason="Response due date recomputed")

    for position, item in enumerate(seed.recommendations, start=1):
        recommendation = Recommendation.objects.filter(
            report=report, list_name=item.list_name, number=item.number
        ).first()
        if recommendation is None:
            recommendation = Recommendation(
                report=report,
                list_name=item.list_name,
                number=item.number,
                position=position,
                text=item.text,
                response_required=item.response_required,
                note=item.note,
                respondent=item.respondent,
                respondent_organisation=_organisation(partnership, item.respondent_organisation),
            )
            recommendation.full_clean()
            stamp(recommendation, by=None, reason=seed.reason)
            recommendation.save()
            recommendation.joint_with.set([_committee(partnership, name) for name in item.joint_with])
            counts.recommendations += 1
        # Linked while the recommendation has no links, so that links an officer removed stay removed.
        if item.action_refs and not recommendation.actions.exists():
            action_ids = list(
                Action.objects.filter(
                    plan__partnership=partnership, plan__is_current=True, ref__in=item.action_refs
                ).values_list("pk", flat=True)
            )
            if action_ids:
                services.link_actions(
                    recommendation_id=recommendation.pk, user=None, action_ids=action_ids, reason=seed.reason
                )
                counts.links += len(action_ids)

    for answer in seed.responses:
        recommendation = Recommendation.objects.get(report=report, list_name="", number=answer.number)
        if recommendation.response_or_none is not None:
            continue
        services.record_response(
            recommendation_id=recommendation.pk,
            user=None,
            outcome=answer.outcome,
            proposed_action=answer.proposed_action,
            indicative_timescale=answer.indicative_timescale,
            reasons=answer.reasons,
            lead_cabinet_members=seed.lead_cabinet_members,
            # The pro forma is undated; it was published with the council's papers.
            given_on=None,
            is_published=True,
            reason=seed.reason,
        )
        counts.responses += 1


@transaction.atomic
def load_oxfordshire_recommendations(partnership: Partnership) -> str:
    """Load seeds 001 and 004 into the partnership; returns a one-line summary. Idempotent."""
    if not Organisation.objects.filter(partnership=partnership, kind=OrganisationKind.COUNCIL).exists():
        raise ValueError(f"{partnership} has no council organisation to answer the Cabinet's recommendations.")
    counts = LoadCounts()
    for seed in SEED_REPORTS:
        _load_report(partnership, seed, counts)
    reports = Report.objects.filter(partnership=partnership)
    recommendations = Recommendation.objects.filter(report__in=reports)
    return (
        f"Scrutiny recommendations: {reports.count()} reports, {recommendations.count()} recommendations, "
        f"{recommendations.filter(response__isnull=False).count()} responses "
        f"(added {counts.reports} reports, {counts.recommendations} recommendations, {counts.responses} responses, "
        f"{counts.links} links to PAP actions)"
    )
