"""Forms for boards, meetings and risks. They only collect: the rules live in governance.services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from actions.models import Action, Plan
from actions.services import CONFIRMATION_LIMIT
from kpis.models import Indicator
from send_tracker.accounts.models import Organisation
from send_tracker.forms import DateParts, date_boxes, text_field

from .choices import IMPACT_WORDS, LIKELIHOOD_WORDS, AgendaPurpose, BoardKind, MeetingStatus, MemberRole
from .models import ROUND_DAYS_LIMIT, AgendaItem, Board, Meeting, Risk
from .services import Scores

# Governance text boxes are four lines high: most entries are a sentence or two.
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def optional_choice(label: str, choices: list[tuple[Any, str]], empty: str = "None") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", empty), *choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": f"Choose the {label.lower()} from the list."},
    )


class MeetingForm(forms.Form):
    """A meeting for a board's calendar. Its dates are GOV.UK date inputs, as every other date is."""

    date_day, date_month, date_year = date_boxes()
    papers_deadline_day, papers_deadline_month, papers_deadline_year = date_boxes()
    status = forms.ChoiceField(
        label="Status",
        choices=MeetingStatus.choices,
        initial=MeetingStatus.SCHEDULED,
        error_messages={"required": "Choose the status.", "invalid_choice": "Choose the status from the list."},
    )
    title = forms.CharField(
        label="Title", required=False, max_length=200, help_text="Optional, e.g. 'Focused session: post-16 provision'."
    )
    location = forms.CharField(label="Where", required=False, max_length=200, help_text="Optional.")

    DATE_INPUTS = {
        "date": ("Meeting date", "For example, 19 6 2024"),
        "papers_deadline": ("Papers deadline", "Leave blank for a week before the meeting. For example, 12 6 2024"),
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date = DateParts.read(self, "date", "The meeting date")
        if date is None and not any(self.has_error(f"date_{part}") for part in ("day", "month", "year")):
            self.add_error("date_day", "Enter the meeting date.")
        cleaned["date"] = date
        cleaned["papers_deadline"] = DateParts.read(self, "papers_deadline", "The papers deadline")
        return cleaned


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Item title", max_length=200, error_messages={"required": "Enter the item's title."})
    purpose = forms.ChoiceField(
        label="What the board is asked to do",
        choices=AgendaPurpose.choices,
        initial=AgendaPurpose.DISCUSSION,
        error_messages={"invalid_choice": "Choose what the board is asked to do."},
    )
    presenter = forms.CharField(label="Presented by", required=False, max_length=200, help_text="Optional.")
    summary = forms.CharField(label="Summary", required=False, max_length=5000, widget=TEXTAREA)

    ARGUMENTS = {"action": "action_id", "risk": "risk_id", "indicator": "indicator_id"}

    def __init__(self, *args: Any, meeting: Meeting, plan: Plan | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership_id = meeting.board.partnership_id
        actions = Action.objects.filter(plan=plan).order_by("position", "ref") if plan else Action.objects.none()
        self.fields["action"] = optional_choice(
            "Plan action",
            [
                (a.pk, f"{a.published_ref}: {a.description[:80]}")
                for a in actions.only("pk", "published_ref", "description")
            ],
        )
        self.fields["risk"] = optional_choice(
            "Risk",
            [
                (r.pk, f"{r.reference}: {r.title[:80]}")
                for r in Risk.objects.filter(partnership_id=partnership_id).only("pk", "reference", "title")
            ],
        )
        self.fields["indicator"] = optional_choice(
            "KPI", [(i.pk, i.name) for i in Indicator.objects.filter(partnership_id=partnership_id).only("pk", "name")]
        )


def _agenda_choices(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[tuple[Any, str]]:
    rows = items if items is not None else list(meeting.agenda_items.all())
    return [(item.pk, f"Item {item.number}: {item.title}") for item in rows]


class DecisionForm(forms.Form):
    text = text_field(
        "Decision", 5000, widget=TEXTAREA, required=True, error_messages={"required": "Enter what the board decided."}
    )

    ARGUMENTS = {"agenda_item": "agenda_item_id"}

    def __init__(
        self, *args: Any, meeting: Meeting, agenda_items: list[AgendaItem] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = optional_choice("Agenda item", _agenda_choices(meeting, agenda_items))


class ActionArisingForm(forms.Form):
    description = text_field(
        "What is to be done",
        5000,
        widget=TEXTAREA,
        required=True,
        error_messages={"required": "Enter what is to be done."},
    )
    owner_name = forms.CharField(
        label="Who will do it",
        max_length=200,
        help_text="A name or a post, e.g. 'Director of Children's Services'.",
        error_messages={"required": "Enter who will do it: a name or a post."},
    )
    due_date_day, due_date_month, due_date_year = date_boxes()

    DATE_INPUTS = {"due_date": ("Due date", "Optional. For example, 22 5 2024")}
    ARGUMENTS = {"owner_organisation": "owner_organisation_id", "agenda_item": "agenda_item_id"}

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        agenda_items: list[AgendaItem] | None = None,
        organisations: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            organisations = list(Organisation.objects.filter(partnership_id=meeting.board.partnership_id))
        self.fields["owner_organisation"] = optional_choice(
            "Organisation", [(o.pk, o.name) for o in organisations], empty="Not given"
        )
        self.fields["agenda_item"] = optional_choice("Agenda item", _agenda_choices(meeting, agenda_items))
        # Keep the fields in the order a clerk fills them in.
        self.order_fields(
            ["description", "owner_name", "owner_organisation", "due_date_day", "due_date_month", "due_date_year"]
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["due_date"] = DateParts.read(self, "due_date", "The due date")
        return cleaned


class CompleteActionArisingForm(forms.Form):
    """An action arising marked done: the date it was done (today if left blank), and a note."""

    done_on_day, done_on_month, done_on_year = date_boxes()
    done_note = forms.CharField(label="Note", required=False, max_length=5000, widget=TEXTAREA, help_text="Optional.")

    DATE_INPUTS = {"done_on": ("Date done", "Leave blank for today. For example, 21 5 2024")}
    ARGUMENTS = {"done_note": "note"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["done_on"] = DateParts.read(self, "done_on", "The date done")
        return cleaned


SCORE_CHOICES_LIKELIHOOD = [(n, f"{n}: {LIKELIHOOD_WORDS[n]}") for n in range(1, 6)]
SCORE_CHOICES_IMPACT = [(n, f"{n}: {IMPACT_WORDS[n]}") for n in range(1, 6)]


def score_field(label: str, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose"), *choices],
        coerce=int,
        error_messages={
            "required": f"Choose the {label.lower()}, from 1 to 5.",
            "invalid_choice": f"Choose the {label.lower()}, from 1 to 5.",
        },
    )


class RiskScoresForm(forms.Form):
    """A risk's four scores, its mitigations and the date of its next review: what adding a risk and
    re-scoring one both ask."""

    likelihood_before = score_field("Likelihood before mitigation", SCORE_CHOICES_LIKELIHOOD)
    impact_before = score_field("Impact before mitigation", SCORE_CHOICES_IMPACT)
    likelihood_after = score_field("Likelihood after mitigation", SCORE_CHOICES_LIKELIHOOD)
    impact_after = score_field("Impact after mitigation", SCORE_CHOICES_IMPACT)
    mitigations = forms.CharField(label="Mitigations", required=False, max_length=5000, widget=TEXTAREA)
    next_review_date_day, next_review_date_month, next_review_date_year = date_boxes()

    DATE_INPUTS = {"next_review_date": ("Next review date", "For example, 17 7 2025")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        next_review = DateParts.read(self, "next_review_date", "The next review date")
        if next_review is None and not any(
            self.has_error(f"next_review_date_{part}") for part in ("day", "month", "year")
        ):
            self.add_error("next_review_date_day", "Enter the next review date.")
        cleaned["next_review_date"] = next_review
        return cleaned

    def scores(self) -> Scores:
        data = self.cleaned_data
        return Scores(data["likelihood_before"], data["impact_before"], data["likelihood_after"], data["impact_after"])


class RiskRescoreForm(RiskScoresForm):
    comment = forms.CharField(
        label="Why these scores",
        max_length=5000,
        widget=TEXTAREA,
        help_text="What has changed, or why nothing has. Kept in the risk's history.",
        error_messages={"required": "Enter why the scores are what they are."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meetings = (
            Meeting.objects.filter(board__partnership_id=risk.partnership_id)
            .select_related("board")
            .order_by("-date")[:24]
        )
        self.fields["meeting"] = optional_choice(
            "Reviewed at", [(m.pk, str(m)) for m in meetings], empty="Not at a meeting"
        )
        self.order_fields(
            [
                "likelihood_before",
                "impact_before",
                "likelihood_after",
                "impact_after",
                "mitigations",
                "next_review_date_day",
                "next_review_date_month",
                "next_review_date_year",
                "meeting",
                "comment",
                "version",
            ]
        )


class RiskForm(RiskScoresForm):
    """A new risk for the register, as an administrator adds it."""

    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="The register's number, e.g. R7.",
        error_messages={"required": "Enter the risk's reference, e.g. R7."},
    )
    title = forms.CharField(
        label="Risk",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What might go wrong, in the register's words.",
        error_messages={"required": "Enter the risk, in the register's words."},
    )
    cause = forms.CharField(label="Cause", required=False, max_length=5000, widget=TEXTAREA, help_text="Optional.")
    consequence = forms.CharField(
        label="Consequence",
        required=False,
        max_length=5000,
        widget=TEXTAREA,
        help_text="What it would mean for children and families. Optional.",
    )
    owner_role = forms.CharField(
        label="Owner's post", required=False, max_length=200, help_text="The post that answers for it. Optional."
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnership_id=partnership_id).order_by("name")
        self.fields["owner"] = optional_choice("Owner", [(o.pk, o.name) for o in organisations], empty="Not assigned")
        boards = Board.objects.filter(partnership_id=partnership_id, is_active=True).order_by("name")
        self.fields["review_board"] = optional_choice(
            "Reviewed by", [(b.pk, b.full_name) for b in boards], empty="No board named"
        )
        self.order_fields(["reference", "title", "cause", "consequence", "owner", "owner_role"])

    ARGUMENTS = {"owner": "owner_id", "review_board": "review_board_id"}


class CloseRiskForm(forms.Form):
    reason = forms.CharField(
        label="Why is the risk being closed?",
        max_length=5000,
        widget=TEXTAREA,
        help_text="For example, the board agreed it has been managed down, or it is merged into another risk. "
        "Kept in the risk's history.",
        error_messages={"required": "Say why the risk is being closed."},
    )


class UpdateRoundFields(forms.Form):
    """Which plan a board oversees and when its update rounds open: on the add page and on the
    board's Update rounds page. The choices are the partnership's plans, given as `plans`."""

    oversees = optional_choice("Plan it oversees", [], empty="None: it runs no update rounds")
    update_round_days = forms.IntegerField(
        label="Working days before each meeting that the update round opens",
        required=False,  # left empty: 10
        min_value=1,
        max_value=ROUND_DAYS_LIMIT,
        initial=10,
        help_text=(
            "The owners of the plan's actions are asked to re-rate or confirm them this many working days before "
            "each meeting (10 if left empty); the round closes at the meeting's papers deadline. Weekends and bank "
            "holidays do not count."
        ),
        error_messages={
            "required": "Enter the number of working days.",
            "invalid": "Enter the number of working days as a whole number, like 10.",
            "min_value": f"Enter a number of working days from 1 to {ROUND_DAYS_LIMIT}.",
            "max_value": f"Enter a number of working days from 1 to {ROUND_DAYS_LIMIT}.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    def __init__(self, *args: Any, plans: list[Plan] | tuple[Plan, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["oversees"]
        field.choices = [("", "None: it runs no update rounds"), *[(p.pk, p.title) for p in plans]]  # type: ignore[attr-defined]
        field.help_text = "Its update rounds cover this plan's actions. A plan has one such board."


class ConfirmRatingForm(forms.Form):
    """An owner confirms an action's rating unchanged. The rules live in
    actions.services.confirm_rating_unchanged; the form only collects."""

    commentary = text_field(
        "Why the rating still stands",
        CONFIRMATION_LIMIT,
        rows=4,
        required=True,
        help_text=f"A sentence or two: what has happened since the last update. Up to {CONFIRMATION_LIMIT} characters.",
        error_messages={"required": "Enter a short commentary saying why the rating still stands."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    ARGUMENTS = {"version": "based_on_version"}


class BoardForm(UpdateRoundFields):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the board's name."})
    short_name = forms.CharField(label="Short name", required=False, max_length=60, help_text="Optional, e.g. SIAB.")
    kind = forms.ChoiceField(
        label="Kind of board",
        choices=BoardKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of board it is.",
            "invalid_choice": "Choose what kind of board it is.",
        },
    )
    independently_chaired = forms.BooleanField(label="It has an independent chair", required=False)
    meets = forms.CharField(
        label="How often it meets", required=False, max_length=120, help_text="Optional, e.g. Monthly."
    )
    description = forms.CharField(
        label="What it does", required=False, max_length=5000, widget=TEXTAREA, help_text="Optional."
    )

    field_order = ["name", "short_name", "kind", "independently_chaired", "meets", "description"]


class BoardMemberForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="The person, or the post where the papers name only the post.",
        error_messages={"required": "Enter the member's name, or the post the papers name."},
    )
    job_title = forms.CharField(label="Job title", required=False, max_length=200, help_text="Optional.")
    role = forms.ChoiceField(
        label="Role on the board",
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the member's role.", "invalid_choice": "Choose the member's role."},
    )
    represents = forms.CharField(
        label="Body they represent",
        required=False,
        max_length=200,
        help_text="For a member from outside the partnership, e.g. Independent or Department for Education.",
    )

    def __init__(self, *args: Any, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnership_id=board.partnership_id).order_by("name")
        self.fields["organisation"] = optional_choice(
            "Organisation", [(o.pk, o.name) for o in organisations], empty="From outside the partnership"
        )
        self.order_fields(["name", "job_title", "organisation", "represents", "role"])

    ARGUMENTS = {"organisation": "organisation_id"}


class AsAtForm(forms.Form):
    """The day to see the plan as it stood: the GOV.UK date input, no later than today."""

    on_day, on_month, on_year = date_boxes()

    DATE_INPUTS = {"on": ("Show the plan as it stood at the end of", "For example, 17 4 2024")}

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on = DateParts.read(self, "on", "The date")
        if on is None and not self.errors:
            self.add_error("on_day", "The date must include a day, month and year.")
        elif on is not None and on > self.today:
            self.add_error("on_day", "The date must be today or in the past.")
        else:
            cleaned["on"] = on
        return cleaned
