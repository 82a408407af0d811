"""The rating service: evidence rules, history with who and why, the refused stale save."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse

from actions.models import Action, RatingUpdate
from actions.services import Evidence, StaleEditError, record_rating_update
from tests.conftest import need_postgres
from tests.test_history import LONG_COMMENTARY

PDF = b"%PDF-1.4\n% evidence of impact\n"


def rate(
    action: Action, user, brag: str, commentary: str = "On track.", evidence: Evidence | None = None, version=None
):
    return record_rating_update(
        action_id=action.pk,
        user=user,
        brag=brag,
        commentary=commentary,
        based_on_version=action.version if version is None else version,
        evidence=evidence,
    )


def test_amber_needs_only_a_commentary_and_is_kept_with_who_and_why(action, officer):
    rate(action, officer, "amber", "Workshops held; implementation July to December.")

    action.refresh_from_db()
    assert action.brag == "amber"
    assert action.version == 2
    assert action.rated_by == officer
    latest = action.history.latest()
    assert latest.brag == "amber"
    assert latest.history_user == officer
    assert latest.history_change_reason == "Workshops held; implementation July to December."
    update = RatingUpdate.objects.get(action=action)
    assert (update.version, update.previous_brag, update.brag) == (2, None, "amber")


def test_a_5000_character_commentary_from_word_saves_through_the_form_and_shows_whole_on_the_timeline(
    action, officer, client_for
):
    """The commentary is also the history's reason, which must hold it whole (PostgreSQL enforces it)."""
    need_postgres()
    client = client_for(officer)

    response = client.post(
        reverse("actions:rate", args=[action.pk]),
        {"brag": "amber", "commentary": LONG_COMMENTARY, "version": action.version},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.brag, action.brag_commentary) == ("amber", LONG_COMMENTARY)
    latest = action.history.latest()
    assert (latest.history_change_reason, latest.history_user, latest.history_actor) == (
        LONG_COMMENTARY,
        officer,
        "Olivia Officer (TCC)",
    )
    assert RatingUpdate.objects.get(action=action).commentary == LONG_COMMENTARY
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Rated Amber" in page
    assert str(linebreaksbr(LONG_COMMENTARY, autoescape=True)) in page


@pytest.mark.parametrize("brag", ["green", "blue"])
def test_green_and_blue_without_evidence_are_refused_and_nothing_changes(action, officer, brag):
    history_before = action.history.count()

    with pytest.raises(ValidationError) as refused:
        rate(action, officer, brag, "Done.")

    assert "evidence_text" in refused.value.message_dict
    assert "needs" in refused.value.message_dict["evidence_text"][0]
    action.refresh_from_db()
    assert action.brag is None and action.version == 1
    assert action.history.count() == history_before
    assert not RatingUpdate.objects.filter(action=action).exists()


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence(text="Audit of 40 plans: 85% good or better, up from 60%."),
        Evidence(link="https://www.oxfordshire.gov.uk/send/audit-2024"),
        Evidence(file=SimpleUploadedFile("audit.pdf", PDF, content_type="application/pdf")),
    ],
    ids=["text", "link", "file"],
)
def test_green_with_any_kind_of_evidence_is_accepted(action, officer, evidence):
    update = rate(action, officer, "green", "Completed; early impact seen.", evidence)

    assert update.has_evidence
    action.refresh_from_db()
    assert action.brag == "green"


def test_an_uploaded_file_is_stored_with_its_name_size_and_type(action, officer):
    upload = SimpleUploadedFile("Audit results.pdf", PDF, content_type="application/pdf")

    update = rate(action, officer, "blue", "Embedded.", Evidence(file=upload))

    update.refresh_from_db()
    assert update.evidence_filename == "Audit results.pdf"
    assert update.evidence_size == len(PDF)
    assert update.evidence_file.read() == PDF
    assert "Audit results" not in update.evidence_file.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "must be PDF"),
        ("report.pdf", b"<html><script>alert(1)</script>", "do not match"),
        ("notes.txt", b"\x00\x01\x02binary", "plain UTF-8"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_evidence_files_are_refused_clearly(action, officer, name, content, message):
    upload = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as refused:
        rate(action, officer, "green", "Done.", Evidence(file=upload))

    assert message in refused.value.message_dict["evidence_file"][0]
    assert not RatingUpdate.objects.filter(action=action).exists()


def test_a_file_over_the_size_limit_is_refused(action, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024))

    with pytest.raises(ValidationError) as refused:
        rate(action, officer, "green", "Done.", Evidence(file=upload))

    assert "smaller than 1 MB" in refused.value.message_dict["evidence_file"][0]


@pytest.mark.parametrize(
    ("brag", "commentary", "field"),
    [("purple", "Fine.", "brag"), ("", "Fine.", "brag"), ("amber", "   ", "commentary")],
)
def test_bad_rating_or_empty_commentary_is_refused(action, officer, brag, commentary, field):
    with pytest.raises(ValidationError) as refused:
        rate(action, officer, brag, commentary)

    assert field in refused.value.message_dict
    action.refresh_from_db()
    assert action.version == 1


def test_a_link_must_be_a_web_address(action, officer):
    with pytest.raises(ValidationError) as refused:
        rate(action, officer, "green", "Done.", Evidence(link="javascript:alert(1)"))

    assert "evidence_link" in refused.value.message_dict


def test_the_second_of_two_saves_from_the_same_version_is_refused(action, officer, administrator):
    opened_at = action.version
    rate(action, officer, "amber", "First editor: on track.", version=opened_at)

    with pytest.raises(StaleEditError) as stale:
        rate(action, administrator, "red", "Second editor: delayed.", version=opened_at)

    action.refresh_from_db()
    assert action.brag == "amber"
    assert action.brag_commentary == "First editor: on track."
    assert action.version == 2
    changes = stale.value.changes_since
    assert [(c.brag, c.history_user) for c in changes] == [("amber", officer)]
    assert RatingUpdate.objects.filter(action=action).count() == 1


@pytest.mark.parametrize("persona", ["scrutiny_member", "partner_user", "other_officer", "outsider"])
def test_people_who_may_not_change_the_action_are_refused(action, persona, request):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        rate(action, user, "amber", "Trying.")

    action.refresh_from_db()
    assert action.brag is None and action.version == 1


def test_an_administrator_may_rate_any_action_in_the_partnership(action, administrator):
    rate(action, administrator, "red", "Delayed by recruitment.")

    action.refresh_from_db()
    assert action.brag == "red"


def test_overdue_means_past_the_date_and_not_green_or_blue(make_action):
    import datetime

    today = datetime.date(2024, 5, 1)
    late = make_action("3A1", due_date=datetime.date(2024, 4, 30))
    done = make_action("3A2", due_date=datetime.date(2024, 4, 30), brag="green")
    future = make_action("3A3", due_date=datetime.date(2024, 5, 31))
    undated = make_action("3A4", due_date=None, due_date_kind="tbc", due_date_text="TBC")

    assert [late.is_overdue(today), done.is_overdue(today), future.is_overdue(today), undated.is_overdue(today)] == [
        True,
        False,
        False,
        False,
    ]
    assert list(Action.objects.overdue(today)) == [late]
