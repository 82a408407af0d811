"""The parent carer forum's view of a rating and the owner's reply (actions/forum.py): who may give
and answer them, the pages, history, the alert to the owner, a view left on an earlier rating, the
plan and meeting tables, the dashboard, the public page and the API."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from actions.choices import ForumPosition
from actions.forum import (
    LINK_LIMIT,
    TEXT_LIMIT,
    RatingChangedError,
    ViewRenewedError,
    forum_disagreements,
    forum_views,
    give_view,
    pack_rows,
    public_views,
    reply_to_view,
    views_as_they_stood,
)
from actions.forum_forms import ForumReplyForm, ForumViewForm
from actions.models import Action, ParentCarerView
from actions.services import Evidence, record_rating_update
from actions.timeline import action_timeline, entry_summary
from governance.models import end_of_day
from send_tracker.accounts.choices import Role
from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import sweep
from tests.as_people_write import api_client_for, counts, fits, refused_on_the_page, rolled_back, text_near, was_saved
from tests.conftest import make_user, need_postgres
from tests.test_history import LONG_COMMENTARY, WORD_PARAGRAPH

pytestmark = pytest.mark.django_db

DISAGREEMENT = "Families tell us “20-week” letters still arrive late – 3 of 5 in our survey\u00a0📉."


@pytest.fixture
def green_action(action, officer) -> Action:
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC), tick=False):
        rate(action, officer, "green", "Completed; audit shows impact.", evidence=Evidence(text="Audit, March 2026"))
    action.refresh_from_db()
    return action


def rate(action: Action, user: Any, brag: str, commentary: str, evidence: Evidence | None = None) -> None:
    action.refresh_from_db()
    record_rating_update(
        action_id=action.pk,
        user=user,
        brag=brag,
        commentary=commentary,
        based_on_version=action.version,
        evidence=evidence,
    )


def disagree(action: Action, user: Any, **extra: Any) -> ParentCarerView:
    return give_view(action_id=action.pk, user=user, position="disagree", commentary=DISAGREEMENT, **extra)


def test_the_forum_disagrees_and_it_is_kept_with_who_and_why_and_the_owners_officers_are_told_once(
    green_action, forum_officer, officer, other_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        view = disagree(green_action, forum_officer, evidence_link="https://pcf.example/survey")

    view.refresh_from_db()
    assert (view.position, view.on_rating, view.on_rated_at) == ("disagree", "green", green_action.rated_at)
    assert view.given_by == forum_officer
    assert view.given_by_label == "Fran Forum (TPCF)"
    record = view.history.get()
    assert record.history_user == forum_officer
    assert record.history_actor == "Fran Forum (TPCF)"
    assert record.why == f"The parent carer forum disagrees with the Green rating: {DISAGREEMENT}"
    # Told at once to the owner's officers (not the ICB's, nor the forum), and never again.
    told = Alert.objects.filter(kind=AlertKind.FORUM_VIEW)
    assert list(told.values_list("recipient__username", flat=True)) == [officer.username]
    alert = told.get()
    assert alert.title == "The parent carer forum disagrees with the Green rating of action 3A1"
    assert alert.link == f"/plan/actions/{green_action.pk}/#parent-carer-view"
    assert DISAGREEMENT in alert.body
    sweep(datetime.date.today())
    sweep(datetime.date.today())
    assert told.count() == 1
    # A renewed view is a new view: told once more.
    with django_capture_on_commit_callbacks(execute=True):
        give_view(action_id=green_action.pk, user=forum_officer, position="partly_agree", commentary="Better.")
    assert told.count() == 2


def test_the_sweep_tells_of_a_view_whose_alert_was_not_raised_at_commit(green_action, forum_officer, officer):
    view = disagree(green_action, forum_officer)
    Alert.objects.all().delete()

    assert [candidate.subject_id for candidate in forum_views(datetime.date.today())] == [view.pk]
    sweep(datetime.date.today())

    assert Alert.objects.filter(kind=AlertKind.FORUM_VIEW, recipient=officer).count() == 1
    later = datetime.date.today() + datetime.timedelta(days=400)
    assert list(forum_views(later)) == []  # outside the look-back


def test_a_commentary_is_needed_unless_the_forum_agrees(green_action, forum_officer):
    with pytest.raises(ValidationError) as refused:
        give_view(action_id=green_action.pk, user=forum_officer, position="partly_agree", commentary="  ")
    assert refused.value.message_dict == {"commentary": ["Enter the forum's commentary: why it does not agree."]}
    with pytest.raises(ValidationError):
        give_view(action_id=green_action.pk, user=forum_officer, position="Disagree", commentary="Why")
    with pytest.raises(ValidationError) as too_long:
        give_view(action_id=green_action.pk, user=forum_officer, position="disagree", commentary="x" * 5001)
    assert too_long.value.message_dict["commentary"] == ["Keep it to 5000 characters or fewer (it has 5001)."]
    with pytest.raises(ValidationError) as bad_link:
        disagree(green_action, forum_officer, evidence_link="www.pcf.example")
    assert "full web address" in bad_link.value.message_dict["evidence_link"][0]
    assert not ParentCarerView.objects.exists()

    agreed = give_view(action_id=green_action.pk, user=forum_officer, position="agree", commentary="")
    assert agreed.commentary == ""


def test_no_view_of_an_action_not_yet_rated_or_retired(action, forum_officer):
    with pytest.raises(ValidationError, match="not been rated"):
        disagree(action, forum_officer)
    assert not ParentCarerView.objects.exists()


def test_who_may_give_the_forums_view(
    green_action, forum, forum_officer, officer, other_officer, scrutiny_member, administrator, outsider, client_for
):
    forum_partner = make_user("pip", forum, Role.PARTNER)
    forum_admin = make_user("fay", forum, Role.ADMINISTRATOR)
    url = reverse("actions:forum_view", args=[green_action.pk])
    posted = {"position": "disagree", "commentary": DISAGREEMENT}

    # Refused: the owner's officer, another organisation's officer, a councillor, the forum's
    # read-only partner, and the council's administrator: none speaks for the forum.
    for person in (officer, other_officer, scrutiny_member, forum_partner, administrator):
        client = client_for(person)
        assert client.get(url).status_code == 403, person.username
        assert client.post(url, posted).status_code == 403, person.username
        with pytest.raises(PermissionDenied):
            disagree(green_action, person)
    # Another partnership's officer, and its forum's: not found.
    assert client_for(outsider).post(url, posted).status_code == 404
    assert not ParentCarerView.objects.exists()

    for person in (forum_officer, forum_admin):
        client = client_for(person)
        assert client.get(url).status_code == 200
        response = client.post(url, posted)
        assert response.status_code == 302, person.username
        assert response["Location"] == f"/plan/actions/{green_action.pk}/#parent-carer-view"
    assert ParentCarerView.objects.count() == 2


def test_the_forum_gives_no_view_of_its_own_action_and_cannot_rate_anothers(
    make_action, forum, forum_officer, green_action, client_for
):
    own = make_action("1A2", owner=forum)
    rate(own, forum_officer, "amber", "Our own action: on track.")
    client = client_for(forum_officer)

    assert client.get(reverse("actions:forum_view", args=[own.pk])).status_code == 403
    # A forum officer cannot change a rating: not the council's, and not through the API's form either.
    assert client.get(reverse("actions:rate", args=[green_action.pk])).status_code == 403
    response = client.post(
        reverse("actions:rate", args=[green_action.pk]),
        {"brag": "red", "commentary": "We disagree", "version": green_action.version},
    )
    assert response.status_code == 403
    green_action.refresh_from_db()
    assert green_action.brag == "green"
    page = client.get(green_action.get_absolute_url()).content.decode()
    assert "Update rating" not in page
    assert "Give the forum's view" in page


def test_the_owner_replies_and_nobody_else_may(
    green_action, forum_officer, officer, other_officer, scrutiny_member, administrator, outsider, client_for
):
    url = reverse("actions:forum_reply", args=[green_action.pk])
    assert client_for(officer).get(url).status_code == 404  # no view yet
    view = disagree(green_action, forum_officer)

    icb_admin = make_user("ivy", other_officer.organisation, Role.ADMINISTRATOR)
    for person in (forum_officer, other_officer, scrutiny_member, icb_admin):
        assert client_for(person).post(url, {"reply": "Not ours to say"}).status_code == 403, person.username
    assert client_for(outsider).post(url, {"reply": "Not ours"}).status_code == 404
    with pytest.raises(PermissionDenied):
        reply_to_view(view_id=view.pk, user=forum_officer, reply="We reply to ourselves")

    client = client_for(officer)
    empty = client.post(url, {"reply": "   "})
    assert refused_on_the_page(empty)
    assert "Enter the reply to the forum" in empty.content.decode()
    response = client.post(url, {"reply": WORD_PARAGRAPH, "reply_is_public": "on"})
    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.reply, view.reply_is_public, view.replied_by) == (WORD_PARAGRAPH.strip(), True, officer)
    latest = view.history.latest()
    assert latest.history_user == officer
    assert latest.why == f"Reply to the parent carer forum's view: {WORD_PARAGRAPH.strip()}"
    assert view.history.count() == 2

    page = client_for(scrutiny_member).get(green_action.get_absolute_url()).content.decode()
    assert "The parent carer forum disagrees</a> with this rating" in page
    assert "Reply from Testshire County Council" in page
    assert "3 of 5 in our survey" in page


def test_a_view_stands_on_the_earlier_rating_until_renewed(
    green_action, forum_officer, officer, scrutiny_member, client_for, plan
):
    with time_machine.travel(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC), tick=False):
        disagree(green_action, forum_officer)
    assert forum_disagreements(plan) == 1
    # Rated again, the same: the view still stands on the rating now.
    rate(green_action, officer, "green", "Still complete.", evidence=Evidence(text="Re-audit"))
    assert forum_disagreements(plan) == 1
    rate(green_action, officer, "amber", "Reopened after the forum's survey.")

    assert forum_disagreements(plan) == 0
    client = client_for(scrutiny_member)
    page = client.get(green_action.get_absolute_url()).content.decode()
    assert "given on Green, 3 March 2026" in page
    assert "The rating has changed since; the forum has not yet renewed its view." in page
    listed = client.get(reverse("actions:list"), {"plan": plan.pk}).content.decode()
    assert "Parent carer forum: disagree (given on Green, 3 March 2026)" in listed

    give_view(action_id=green_action.pk, user=forum_officer, position="agree", commentary="")
    listed = client.get(reverse("actions:list"), {"plan": plan.pk}).content.decode()
    assert "Parent carer forum: agree</span>" in listed
    page = client.get(green_action.get_absolute_url()).content.decode()
    assert "The forum's earlier views (1)" in page


def test_the_dashboard_counts_disagreements_with_ratings_now_and_links_to_them(
    green_action, forum_officer, scrutiny_member, client_for, plan, partnership
):
    plan.is_current = True
    plan.save()
    disagree(green_action, forum_officer)

    client = client_for(scrutiny_member)
    page = client.get("/").content.decode()
    # Said once, in the headline row, whose figure links to the actions the forum disagrees with.
    assert "The parent carer forum disagrees with" not in page
    assert page.count("forum=disagree") == 1
    assert re.search(
        rf'href="{reverse("actions:list")}\?plan={plan.pk}&amp;forum=disagree"><strong class="app-headline__figure">1</strong> '
        r'<span class="app-headline__label">Forum disagreements',
        page,
    )
    listed = client.get(reverse("actions:list"), {"plan": plan.pk, "forum": "disagree"}).content.decode()
    assert "1 action matches the filters" in listed
    none = client.get(reverse("actions:list"), {"plan": plan.pk, "forum": "agree"}).content.decode()
    assert "0 actions match the filters" in none


def test_the_meeting_table_shows_the_view_as_it_stood(green_action, forum_officer, officer, plan):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC), tick=False):
        view = disagree(green_action, forum_officer)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC), tick=False):
        reply_to_view(view_id=view.pk, user=officer, reply="We will re-audit.")
    rated = {green_action.pk: "green"}

    assert views_as_they_stood(plan, end_of_day(datetime.date(2026, 3, 9)), rated) == {}
    then = views_as_they_stood(plan, end_of_day(datetime.date(2026, 3, 10)), rated)[green_action.pk]
    assert (then.position, then.is_current, then.earlier) == ("disagree", True, "")
    later = views_as_they_stood(plan, end_of_day(datetime.date(2026, 3, 10)), {green_action.pk: "amber"})
    assert later[green_action.pk].earlier == "given on Green, 10 March 2026"

    # The board pack's rows: the reply only from the day it was given.
    then_row = SimpleNamespace(action_id=green_action.pk, published_ref="3A1", brag="green")
    on_the_10th = pack_rows(plan, end_of_day(datetime.date(2026, 3, 10)), [then_row])
    assert on_the_10th == [["3A1", "Green", "Disagree (given 10 March 2026)", DISAGREEMENT, "No reply."]]
    amber_row = SimpleNamespace(action_id=green_action.pk, published_ref="3A1", brag="amber")
    on_the_20th = pack_rows(plan, end_of_day(datetime.date(2026, 3, 20)), [amber_row])
    assert on_the_20th == [
        ["3A1", "Amber", "Disagree (given on Green, 10 March 2026)", DISAGREEMENT, "We will re-audit."]
    ]


def test_the_public_page_shows_a_view_only_once_the_forum_publishes_it(
    green_action, forum_officer, officer, plan, client
):
    plan.is_public = True
    plan.save()
    view = disagree(green_action, forum_officer)
    reply_to_view(view_id=view.pk, user=officer, reply="Internal reply.", reply_is_public=False)
    url = f"/public/{plan.partnership.slug}/"
    assert public_views(plan) == {}

    published = disagree(green_action, forum_officer, is_public=True)
    reply_to_view(view_id=published.pk, user=officer, reply="We will re-audit in May.", reply_is_public=True)
    page = client.get(url).content.decode()
    assert "The parent carer forum disagrees with the rating" in page
    assert "3 of 5 in our survey" in page
    assert "We will re-audit in May." in page
    assert "Internal reply." not in page


def test_the_api_gives_the_view_alike_in_the_list_and_the_detail(
    green_action, make_action, forum_officer, officer, council, django_assert_num_queries
):
    make_action("3A2")
    view = disagree(green_action, forum_officer)
    reply_to_view(view_id=view.pk, user=officer, reply="We will re-audit.")
    client = api_client_for(council)
    client.get("/api/v1/actions/")

    with django_assert_num_queries(1):
        listed = {row["ref"]: row for row in client.get("/api/v1/actions/").json()["results"]}
    detail = client.get(f"/api/v1/actions/{green_action.pk}/").json()

    assert listed["3A2"]["parent_carer_view"] is None
    assert listed["3A1"]["parent_carer_view"] == detail["parent_carer_view"]
    given = detail["parent_carer_view"]
    assert given["position"] == "disagree"
    assert given["commentary"] == DISAGREEMENT
    assert given["on_rating"] == "green"
    assert given["on_current_rating"] is True
    assert given["reply"] == "We will re-audit."
    assert given["given_at"].startswith(datetime.date.today().isoformat()[:4])

    rate(green_action, officer, "amber", "Reopened.")
    again = client.get(f"/api/v1/actions/{green_action.pk}/").json()["parent_carer_view"]
    listed_again = next(r for r in client.get("/api/v1/actions/").json()["results"] if r["ref"] == "3A1")
    assert again["on_current_rating"] is False
    assert listed_again["parent_carer_view"] == again


def test_another_partnerships_views_are_not_listed(green_action, forum_officer, elsewhere_world):
    disagree(green_action, forum_officer)
    other = elsewhere_world.partnership.organisations.first()
    rows = api_client_for(other).get("/api/v1/actions/").json()["results"]
    assert all(row["parent_carer_view"] is None for row in rows)


# ---------------------------------------------------------------------------------------------
# Values as people write them, on PostgreSQL


def test_the_limits_are_the_forms() -> None:
    assert ForumViewForm.base_fields["commentary"].max_length == TEXT_LIMIT  # type: ignore[attr-defined]
    assert ForumViewForm.base_fields["evidence_link"].max_length == LINK_LIMIT  # type: ignore[attr-defined]
    assert ForumReplyForm.base_fields["reply"].max_length == TEXT_LIMIT  # type: ignore[attr-defined]


POSITIONS = st.sampled_from(ForumPosition.values) | st.sampled_from(["", "Disagree", "agree\x00", "maybe"])
LINKS = (
    st.just("")
    | st.sampled_from(["https://pcf.example/survey", "pcf.example", "javascript:alert(1)"])
    | text_near(LINK_LIMIT)
)


@given(
    position=POSITIONS,
    commentary=text_near(TEXT_LIMIT),
    evidence=st.just("") | text_near(TEXT_LIMIT),
    link=LINKS,
    public=st.booleans(),
)
@example(position="disagree", commentary=LONG_COMMENTARY, evidence="", link="", public=True)
@example(position="partly_agree", commentary="   ", evidence="", link="", public=False)
@example(position="disagree", commentary='=HYPERLINK("https://evil.example")', evidence="", link="", public=False)
def test_the_forum_form_saves_whole_or_refuses_and_changes_nothing(
    green_action, forum_officer, client_for, position: str, commentary: str, evidence: str, link: str, public: bool
) -> None:
    need_postgres()
    client = client_for(forum_officer)
    history = ParentCarerView.history.model
    with rolled_back():
        before = counts(ParentCarerView, history)
        response = client.post(
            reverse("actions:forum_view", args=[green_action.pk]),
            {
                "position": position,
                "commentary": commentary,
                "evidence_text": evidence,
                "evidence_link": link,
                "is_public": "on" if public else "",
            },
        )
        plain = (
            position in ForumPosition.values
            and fits(commentary, TEXT_LIMIT, required=position != "agree")
            and not evidence.strip()
            and not link
        )
        if was_saved(response):
            view = ParentCarerView.objects.get()
            assert (view.position, view.commentary, view.is_public) == (position, commentary.strip(), public)
            assert (view.evidence_text, view.evidence_link) == (evidence.strip(), link.strip())
            assert view.history.get().why.endswith(commentary.strip())
        else:
            assert not plain, f"a plain view was refused: {response.status_code}"
            assert refused_on_the_page(response)
            assert counts(ParentCarerView, history) == before


@given(reply=text_near(TEXT_LIMIT), public=st.booleans())
@example(reply=LONG_COMMENTARY, public=True)
def test_the_reply_form_saves_whole_or_refuses_and_changes_nothing(
    green_action, forum_officer, officer, client_for, reply: str, public: bool
) -> None:
    need_postgres()
    view = (
        disagree(green_action, forum_officer) if not ParentCarerView.objects.exists() else ParentCarerView.objects.get()
    )
    client = client_for(officer)
    history = ParentCarerView.history.model
    with rolled_back():
        before = counts(history)
        response = client.post(
            reverse("actions:forum_reply", args=[green_action.pk]),
            {"reply": reply, "reply_is_public": "on" if public else ""},
        )
        if was_saved(response):
            view.refresh_from_db()
            assert (view.reply, view.reply_is_public) == (reply.strip(), public)
            assert counts(history)[history._meta.label] == before[history._meta.label] + 1
        else:
            assert not fits(reply, TEXT_LIMIT)
            assert refused_on_the_page(response)
            assert counts(history) == before


@given(commentary=text_near(TEXT_LIMIT), reply=st.just("") | text_near(TEXT_LIMIT))
@example(commentary=LONG_COMMENTARY, reply=LONG_COMMENTARY)
@example(commentary="=SUM(A1:A9)", reply="@mention – “quoted”")
def test_the_api_gives_the_view_and_reply_whole_as_written(
    green_action, forum_officer, officer, council, commentary: str, reply: str
) -> None:
    """Saved whole, or refused with nothing written; the list and the detail say the same, in JSON
    as written and in CSV through the spreadsheet guard."""
    need_postgres()
    client = api_client_for(council)
    with rolled_back():
        try:
            view = give_view(action_id=green_action.pk, user=forum_officer, position="disagree", commentary=commentary)
            if reply:
                reply_to_view(view_id=view.pk, user=officer, reply=reply)
        except ValidationError:
            assert not (fits(commentary, TEXT_LIMIT) and (not reply or fits(reply, TEXT_LIMIT)))
            if not fits(commentary, TEXT_LIMIT):
                assert not ParentCarerView.objects.exists()
            return
        detail = client.get(f"/api/v1/actions/{green_action.pk}/").json()["parent_carer_view"]
        listed = next(r for r in client.get("/api/v1/actions/").json()["results"] if r["id"] == green_action.pk)
        assert listed["parent_carer_view"] == detail
        assert detail["commentary"] == commentary.strip()
        assert detail["reply"] == (reply.strip() or None)
        csv = client.get("/api/v1/actions/", {"format": "csv"}).content.decode()
        assert "disagree" in csv


def test_no_key_gives_the_forums_view_through_the_api(green_action, forum, council):
    """The forum's view is given by a person of the forum, never by a key: not even the forum's own
    write key can set it, and the council's read key only reads it."""
    for organisation, write in ((forum, True), (council, False)):
        client = api_client_for(organisation, write=write)
        etag = client.get(f"/api/v1/actions/{green_action.pk}/")["ETag"]
        response = client.patch(
            f"/api/v1/actions/{green_action.pk}/",
            {"parent_carer_view": {"position": "disagree", "commentary": "By key"}},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        assert response.status_code in (400, 403), organisation
    assert not ParentCarerView.objects.exists()


def test_the_dashboard_counts_the_forums_disagreements_in_the_ratings_query(
    green_action,
    forum_officer,
    make_action,
    indicator,
    scrutiny_member,
    client_for,
    plan,
    django_assert_max_num_queries,
):
    """The headline figure is the count forum_disagreements gives, counted per priority area in the
    query that counts the ratings (as the slipped actions are), so the dashboard stays within ten
    queries with indicators and the forum's views."""
    disagree(green_action, forum_officer)
    make_action("3A9", brag="amber")  # no view: not counted
    client = client_for(scrutiny_member)

    with django_assert_max_num_queries(10):
        page = client.get("/").content.decode()

    assert forum_disagreements(plan) == 1
    assert (
        '<strong class="app-headline__figure">1</strong> <span class="app-headline__label">Forum disagreements' in page
    )


def test_a_view_written_while_the_action_was_rated_again_is_not_saved_against_the_new_rating(
    green_action, forum_officer, officer, client_for
):
    # The forum opens the form on Green; the owner rates it Amber before the forum saves.
    client = client_for(forum_officer)
    url = reverse("actions:forum_view", args=[green_action.pk])
    page = client.get(url).content.decode()
    assert 'name="on_rating" value="green"' in page
    rate(green_action, officer, "amber", "Slipped: two caseworkers left.")
    posted = {"position": "disagree", "commentary": DISAGREEMENT, "on_rating": "green"}

    refused = client.post(url, posted)

    assert refused.status_code == 409
    assert not ParentCarerView.objects.exists()
    said = refused.content.decode()
    assert "The action was rated Amber while you were writing." in said
    assert 'name="on_rating" value="amber"' in said  # saving again is a view of the rating now seen
    assert client.post(url, {**posted, "on_rating": "amber"}).status_code == 302
    assert ParentCarerView.objects.get().on_rating == "amber"
    # The service refuses alike, writing nothing.
    with pytest.raises(RatingChangedError):
        disagree(green_action, forum_officer, on_rating="green")
    assert ParentCarerView.objects.count() == 1


def test_a_reply_written_while_the_forum_gave_a_new_view_is_not_put_under_the_new_view(
    green_action, forum_officer, officer, client_for
):
    first = disagree(green_action, forum_officer)
    client = client_for(officer)
    url = reverse("actions:forum_reply", args=[green_action.pk])
    assert f'name="replying_to" value="{first.pk}"' in client.get(url).content.decode()
    # The forum renews its view before the owner's officer saves a reply to the first.
    renewed = give_view(action_id=green_action.pk, user=forum_officer, position="agree", commentary="")
    posted = {"reply": "We have recruited two caseworkers.", "replying_to": str(first.pk)}

    refused = client.post(url, posted)

    assert refused.status_code == 409
    assert "The forum gave a new view while you were replying." in refused.content.decode()
    assert f'name="replying_to" value="{renewed.pk}"' in refused.content.decode()
    assert not ParentCarerView.objects.exclude(reply="").exists()
    assert client.post(url, {**posted, "replying_to": str(renewed.pk)}).status_code == 302
    assert ParentCarerView.objects.get(pk=renewed.pk).reply == "We have recruited two caseworkers."
    with pytest.raises(ViewRenewedError):
        reply_to_view(view_id=renewed.pk, user=officer, reply="Again.", replying_to=first.pk)
    assert ParentCarerView.objects.get(pk=first.pk).reply == ""


def test_the_actions_timeline_has_the_forums_views_and_the_owners_replies(
    green_action, forum_officer, officer, client_for
):
    """Among the ratings, newest first: each view on the rating it was given on, and the reply to
    it as it stands, with who gave them and their words; neither is a version of the action, so
    neither is offered as a change since an edit. The page reads the views once for both."""
    view = disagree(green_action, forum_officer)
    reply_to_view(view_id=view.pk, user=officer, reply="We will re-audit – in May.")
    reply_to_view(view_id=view.pk, user=officer, reply="We will re-audit in April.")
    rate(green_action, officer, "amber", "Slipped: two caseworkers left.")
    give_view(action_id=green_action.pk, user=forum_officer, position="partly_agree", commentary="Closer – still late.")

    entries = action_timeline(Action.objects.get(pk=green_action.pk))
    owner = green_action.owner.name
    assert [entry_summary(entry) for entry in entries[:4]] == [
        "Parent carer forum: partly agrees (given on Amber)",
        "Rated Amber",
        f"Reply from {owner}",
        "Parent carer forum: disagrees (given on Green)",
    ]
    assert [entries[0].why, entries[2].why, entries[3].why] == [
        "Closer – still late.",
        "We will re-audit in April.",
        DISAGREEMENT,
    ]
    assert entries[3].who == "Fran Forum (TPCF)" and entries[2].version == 0
    page = client_for(officer).get(green_action.get_absolute_url()).content.decode()
    assert "Parent carer forum: disagrees (given on Green)" in page and f"Reply from {owner}" in page
