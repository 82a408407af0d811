"""Issue 14's done-when for the parent carers' right of reply, in Chromium: a forum officer disagrees
with a Green rating, the owner replies, a councillor sees both on the dashboard and in the meeting's
Word pack; a forum officer cannot change a rating and an officer cannot give the forum's view.

People sign in through a session made for them (sign_in_by_session): the sign-in pages are tested
elsewhere."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone

from actions.models import Action, ParentCarerView
from actions.services import Evidence, record_rating_update
from governance.models import Meeting
from tests.conftest import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISAGREEMENT = "Families tell us “20-week” letters still arrive late – 3 of 5 in our survey."
REPLY = "We will re-audit the letters in May and report to the board."


def test_the_forum_disagrees_the_owner_replies_and_a_councillor_reads_both(
    page, action, plan, officer, forum_officer, scrutiny_member, eyp
):
    plan.is_current = True
    plan.save()
    record_rating_update(
        action_id=action.pk,
        user=officer,
        brag="green",
        commentary="Completed; timelines mapped.",
        based_on_version=action.version,
        evidence=Evidence(text="Audit, March 2026"),
    )

    # The forum officer cannot change the rating: no button, and the page is refused.
    sign_in_by_session(page, forum_officer)
    page.goto(action.get_absolute_url())
    assert page.get_by_role("button", name="Update rating").count() == 0
    assert page.goto(f"/plan/actions/{action.pk}/rate/").status == 403
    page.goto(action.get_absolute_url())
    page.get_by_role("button", name="Give the forum's view").click()
    page.get_by_label("Disagree", exact=True).check()
    page.get_by_label("The forum's commentary").fill(DISAGREEMENT)
    page.get_by_label("Link to the evidence (optional)").fill("https://pcf.example/survey-2026")
    page.get_by_role("button", name="Save the forum's view").click()
    page.wait_for_url(f"**{action.get_absolute_url()}#parent-carer-view")
    section = page.locator(".app-forum-view").first
    assert section.get_by_text("The parent carer forum disagrees").is_visible()
    assert page.locator(".app-forum-view").get_by_text(DISAGREEMENT).is_visible()

    # The owner's officer cannot give the forum's view, and replies to it.
    sign_in_by_session(page, officer)
    assert page.goto(f"/plan/actions/{action.pk}/forum-view/").status == 403
    page.goto(action.get_absolute_url())
    assert page.get_by_role("button", name="Give the forum's view").count() == 0
    page.get_by_role("button", name="Reply to the forum's view").click()
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Save reply").click()
    page.wait_for_url(f"**{action.get_absolute_url()}#parent-carer-view")
    assert page.locator(".app-forum-view").get_by_text(REPLY).is_visible()

    view = ParentCarerView.objects.get()
    assert (view.position, view.reply, view.given_by, view.replied_by) == ("disagree", REPLY, forum_officer, officer)
    assert Action.objects.get(pk=action.pk).brag == "green"

    # A councillor sees both on the action and the dashboard, which links to the rating.
    sign_in_by_session(page, scrutiny_member)  # on the dashboard
    page.get_by_role("link", name="1 Forum disagreements").click()
    page.get_by_role("link", name="3A1").click()
    assert page.locator(".app-forum-view").get_by_text(DISAGREEMENT).is_visible()
    assert page.locator(".app-forum-view").get_by_text(REPLY).is_visible()
    # And in the timeline, with the ratings: the view on the rating it was given on, then the reply.
    timeline = page.locator(".app-timeline")
    assert timeline.get_by_role("heading", name="Parent carer forum: disagrees (given on Green)").is_visible()
    assert timeline.get_by_role("heading", name=f"Reply from {action.owner.name}").is_visible()
    assert page.get_by_role("button", name="Reply to the forum's view").count() == 0
    assert page.get_by_role("button", name="Give the forum's view").count() == 0

    # And in the Word board pack of the board's meeting today, as it stood at the end of the day.
    meeting = Meeting.objects.create(board=eyp, date=timezone.localdate(), plan=plan)
    page.goto(meeting.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Word document of the board pack").click()
    pack = word_text(Path(download.value.path()).read_bytes())
    assert "The parent carer forum's views" in pack
    assert "Disagree (given " in pack
    assert DISAGREEMENT in pack
    assert REPLY in pack


def word_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
