"""Every page of the product walked in Chromium as each role, checked by axe-core (WCAG 2.2 A and AA).

The data is the real Oxfordshire plan and the demo accounts, loaded once for the module as `make run`
loads them (`oxfordshire_committed`), beside the Elsewhere partnership every test database holds.
That is why the module runs its own live server instead of using the `live_server` fixture:
pytest-django makes every test that asks for `live_server` transactional, and a transactional test
empties the database when it ends. Here each test runs in a transaction that is rolled back, as any
`django_db` test does, while the data the server reads was committed before the first test and is
removed by flushing the database after the last one.

Each walk starts at "/" (and, for the anonymous visitor, the public pages and sign-in) and follows
same-origin links, visiting one URL of each Django route, so the walk covers every kind of page as
every role without visiting all 34 actions (a second URL of a route is the same template with other
rows). The form pages a role may use are added to the walk from the data, since some are reached
only through a button; every start page is visited, so a state no link reaches is checked too (the
plan as it stood for a date that does not exist); the administrator's forms are also sent empty,
to check the error summary and the fields in error. Two browser tabs take turns, so that one page
loads while axe-core checks the other.

Every disclosure (`<details>`) is opened before axe-core runs, so the forms inside are checked too.
Each page is also narrowed to 320 CSS pixels (WCAG 2.2 reflow, 1.4.10: 1280 pixels at 400% zoom),
where it must not scroll sideways as a whole: a wide table scrolls inside its own region instead.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse
from pytest_django.live_server_helper import LiveServer

from actions.forum import give_view, speaks_for_forum, speaks_for_owner
from actions.models import Action, Plan
from governance.models import Board, Meeting, Risk
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue
from recommendations.choices import Outcome
from recommendations.models import Recommendation
from send_tracker.accounts import access
from send_tracker.accounts import services as people_services
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import Partnership, User
from send_tracker.accounts.services import may_reset_second_factor
from send_tracker.sample_data.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import AXE_JS, WCAG_TAGS, enter_code, sign_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]

# The demo accounts, the anonymous visitor, and an administrator of the whole instance (a superuser,
# who compares partnerships side by side).
INSTANCE_ADMINISTRATOR = "instance.admin"
ROLES = ["anonymous", *(account.username for account in DEMO_ACCOUNTS), INSTANCE_ADMINISTRATOR]
# Paths the walk never follows: the admin and the API are not the product's pages, signing out
# ends the walk, and downloads are files, not pages.
SKIPPED_PREFIXES = (
    "/admin/",
    "/api/",
    "/accounts/logout/",
    "/static/",
    "/media/",
    "/accounts/2fa/recovery-codes/download/",  # a text file of the codes
)
DOWNLOAD_SUFFIXES = (".docx", ".csv", ".xlsx", ".pdf")
TABS = 2
# The page an invited person opens from their email, made with the data (oxfordshire_server).
INVITATION_LINKS: list[str] = []
# axe-core is in every page from its first script (an init script of the browser context); this
# opens every disclosure, so that the forms and text inside are checked too, then starts axe-core's
# WCAG 2.2 A and AA rules without waiting; `window.axeViolations` awaits the result.
START_AXE = """tags => {
  document.querySelectorAll("details").forEach(details => { details.open = true; });
  window.axeViolations = axe
    .run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes})));
}"""
REFLOW_WIDTH = 320
# How wide the page is once narrowed, and (when it is too wide) the first few elements that reach
# past the right edge outside a table's own scrolling region, to name in the failure.
PAGE_WIDTH = """() => {
  const width = document.documentElement.scrollWidth;
  const edge = window.innerWidth;
  const culprits = width <= edge ? [] : [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > edge + 1 && !el.closest(".app-table-scroll"))
    .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > edge + 1))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + [...el.classList].map(name => "." + name).join(""));
  // A table's caption is as wide as the table unless told otherwise, and is then cut off at the
  // edge of the table's scrolling region.
  const captions = [...document.querySelectorAll(".app-table-scroll caption")]
    .filter(caption => caption.getBoundingClientRect().width > caption.closest(".app-table-scroll").clientWidth + 1)
    .slice(0, 3)
    .map(caption => caption.innerText.slice(0, 40));
  return {width, edge, culprits, captions};
}"""


def reflow_problem(tab: Any, url: str) -> str | None:
    """Narrows the tab to 320 CSS pixels and says whether the page then scrolls sideways; the tab
    is put back to its own width afterwards."""
    wide = tab.viewport_size
    tab.set_viewport_size({"width": REFLOW_WIDTH, "height": wide["height"]})
    try:
        measured = tab.evaluate(PAGE_WIDTH)
    finally:
        tab.set_viewport_size(wide)
    if measured["captions"]:
        return f"{url}: at {REFLOW_WIDTH} CSS pixels a table's caption is cut off: {measured['captions']}"
    if measured["width"] <= measured["edge"]:
        return None
    return (
        f"{url}: at {REFLOW_WIDTH} CSS pixels the page is {measured['width']} wide and scrolls sideways"
        f" (reaching past the edge: {', '.join(measured['culprits']) or 'nothing named'})"
    )


@dataclass
class Walk:
    """What one role's walk visited, and what was wrong with it."""

    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    routes: Counter[str] = field(default_factory=Counter)

    def report(self) -> str:
        return "\n".join(self.problems)


@pytest.fixture(scope="module")
def oxfordshire_server(oxfordshire_committed: None, django_db_blocker: Any) -> Iterator[LiveServer]:
    with django_db_blocker.unblock():
        cache.clear()
        with override_settings(DEBUG=True):  # the demo accounts are refused without DEBUG
            call_command("demo_accounts", stdout=io.StringIO())
        # A third partnership with a published plan, beside Oxfordshire and Elsewhere (tests/world.py),
        # as on a regional instance.
        neighbour = Partnership.objects.create(
            name="Neighbouring Partnership", slug="neighbouring", area_name="Neighbouring"
        )
        Plan.objects.create(partnership=neighbour, title="Neighbouring Priority Action Plan", is_public=True)
        User.objects.create_superuser(INSTANCE_ADMINISTRATOR, password=DEMO_PASSWORD, role=Role.ADMINISTRATOR)
        # The parent carer forum's view of a rating, so that the pages show one and its reply is walked.
        forum = User.objects.get(username="forum")
        rated = Action.objects.filter(brag__isnull=False, plan__partnership=forum.partnership_id).order_by("pk")
        said = next(action for action in rated if speaks_for_forum(forum, action))
        give_view(action_id=said.pk, user=forum, position="disagree", commentary="Families tell us it is late.")
        # Someone invited by the demo administrator, whose link the anonymous visitor opens.
        admin = User.objects.get(username="admin")
        mail.outbox = []
        people_services.invite_person(
            by=admin,
            email="walk.invitee@oxfordshire.gov.uk",
            first_name="Walk",
            last_name="Invitee",
            organisation_id=admin.organisation_id,
            role=Role.OFFICER,
        )
        link = re.search(r"/invitation/\S+/", str(mail.outbox[-1].body))
        assert link is not None
        INVITATION_LINKS.append(link.group(0))
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()


@pytest.fixture
def browser_context(chromium: Any, oxfordshire_server: LiveServer) -> Iterator[Any]:
    # bypass_csp lets the test inject axe-core; the product's own pages never need it.
    context = chromium.new_context(base_url=oxfordshire_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE_JS))
    try:
        yield context
    finally:
        context.close()


def first_changeable(objects: Any, user: User) -> Any | None:
    return next((obj for obj in objects if obj.can_be_changed_by(user)), None)


def form_pages_for(user: User) -> list[str]:
    """The form pages this user may open, one of each kind, found in the data."""
    paths = [reverse("alerts:preferences"), reverse("password_change")]
    action = first_changeable(Action.objects.order_by("pk"), user)
    if action:
        paths += [reverse(name, args=[action.pk]) for name in ("actions:rate", "actions:revise")]
    rated = first_changeable(Action.objects.filter(brag__isnull=False).order_by("pk"), user)
    if rated:
        paths.append(reverse("governance:confirm_rating", args=[rated.pk]))
    # The parent carer forum's view of a rating, and the owner's reply to it.
    rated_actions = Action.objects.filter(brag__isnull=False).select_related("plan").order_by("pk")
    if forum_rated := next((action for action in rated_actions if speaks_for_forum(user, action)), None):
        paths.append(reverse("actions:forum_view", args=[forum_rated.pk]))
    answerable = rated_actions.filter(parent_carer_views__isnull=False)
    if answered := next((action for action in answerable if speaks_for_owner(user, action)), None):
        paths.append(reverse("actions:forum_reply", args=[answered.pk]))
    if user.role != Role.PARTNER:
        # An update round's returns, for the partnership's officers, administrators and councillors.
        in_round = Meeting.objects.filter(board__oversees__isnull=False).going_ahead().order_by("-date").first()
        if in_round:
            paths.append(reverse("governance:meeting_returns", args=[in_round.pk]))
    if action and action.can_be_edited_by(user):
        paths += [reverse(name, args=[action.pk]) for name in ("actions:edit", "actions:retire")]
        paths += [
            reverse(name, args=[action.plan_id])
            for name in ("actions:new", "actions:area_new", "actions:objective_new", "actions:import")
        ]
    awaiting = first_changeable(Recommendation.objects.filter(response__isnull=True).order_by("pk"), user)
    recommendation = awaiting or first_changeable(Recommendation.objects.order_by("pk"), user)
    if recommendation:
        paths += [
            reverse("recommendations:respond", args=[recommendation.pk]),
            reverse("recommendations:update", args=[recommendation.pk]),
            reverse("recommendations:close", args=[recommendation.pk]),
        ]
    board = first_changeable(Board.objects.order_by("pk"), user)
    if board:
        paths.append(reverse("governance:meeting_new", args=[board.pk]))
    meeting = first_changeable(Meeting.objects.order_by("-date", "pk"), user)
    if meeting:
        paths += [
            reverse(name, args=[meeting.pk])
            for name in ("governance:agenda_item_new", "governance:decision_new", "governance:action_arising_new")
        ]
    indicator = first_changeable(Indicator.objects.order_by("pk"), user)
    if indicator:
        paths += [
            reverse(name, args=[indicator.pk]) for name in ("kpis:value_new", "kpis:values_upload", "kpis:target_new")
        ]
        if access.partnership_of(user) is not None:
            paths.append(reverse("kpis:partnership_upload"))
    # The exception note on a figure that missed its target, for its indicator's owner's officers.
    missed = IndicatorValue.objects.filter(rating=Rating.MISSED).select_related("indicator").order_by("pk")
    if explained := next((value for value in missed if value.indicator.can_be_changed_by(user)), None):
        paths.append(reverse("kpis:exception_note", args=[explained.pk]))
    if access.administers(user):
        paths += [reverse(name) for name in ("people:invite", "people:organisation_new", "people:api_key_new")]
    risk = first_changeable(Risk.objects.order_by("pk"), user)
    if risk:
        paths.append(reverse("governance:risk_rescore", args=[risk.pk]))
    if access.administers(user):
        # Adding risks, boards, indicators and scrutiny reports; closing a risk, seating a member,
        # changing an indicator's details.
        paths += [
            reverse(name)
            for name in (
                "governance:risk_new",
                "governance:board_new",
                "kpis:indicator_new",
                "recommendations:report_new",
            )
        ]
        if risk:
            paths.append(reverse("governance:risk_close", args=[risk.pk]))
        if board:
            paths.append(reverse("governance:board_member_new", args=[board.pk]))
            paths.append(reverse("governance:board_update_rounds", args=[board.pk]))
        if indicator:
            paths.append(reverse("kpis:indicator_edit", args=[indicator.pk]))
    colleague = next(
        (person for person in User.objects.exclude(pk=user.pk).order_by("pk") if may_reset_second_factor(user, person)),
        None,
    )
    if colleague:
        paths.append(reverse("reset_second_factor", args=[colleague.pk]))
    return paths


def is_followed(path: str, query: str) -> bool:
    return not (
        path.startswith(SKIPPED_PREFIXES)
        or path.endswith(DOWNLOAD_SUFFIXES)
        or "format=" in query
        or "logout" in path
        or "sign-out" in path
    )


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


class Walker:
    """Visits the start pages, each of them, and the same-origin pages they link to, one URL of a route
    not visited yet.

    Two tabs take turns: while axe-core checks the page in one, the other loads the next page.
    """

    def __init__(self, context: Any, origin: str) -> None:
        self.tabs = [context.new_page() for _ in range(TABS)]
        self.origin = origin
        self.result = Walk()
        self.queue: deque[str] = deque()
        self.queued: set[str] = set()
        self.starts: set[str] = set()

    def add(self, url: str) -> None:
        if url not in self.queued:
            self.queued.add(url)
            self.queue.append(url)

    def next_url(self) -> str | None:
        while self.queue:
            url = self.queue.popleft()
            route = route_of(urlsplit(url).path)
            if route is None:
                self.result.problems.append(f"{url}: linked, but no route answers it (404)")
            elif url in self.starts or not self.result.routes[route]:
                self.result.routes[route] += 1
                self.result.visited.append(url)
                return url
        return None

    def run(self, start: list[str]) -> Walk:
        self.starts.update(start)
        for path in start:
            self.add(path)
        while self.queue:
            checking = []
            for tab in self.tabs:
                url = self.next_url()
                if url is None:
                    break
                response = tab.goto(url)
                status = response.status if response is not None else None
                if status != 200:
                    self.result.problems.append(f"{url}: answered {status}")
                    continue
                tab.evaluate(START_AXE, WCAG_TAGS)
                checking.append((tab, url))
            for tab, url in checking:
                for violation in tab.evaluate("() => window.axeViolations"):
                    for node in violation["nodes"]:
                        self.result.problems.append(
                            f"{url}: {violation['id']} ({violation['impact']}) at {' '.join(node['target'])}"
                        )
                if problem := reflow_problem(tab, url):
                    self.result.problems.append(problem)
                for href in tab.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
                    link = urlsplit(href)
                    if f"{link.scheme}://{link.netloc}" == self.origin and is_followed(link.path, link.query):
                        self.add(link.path + (f"?{link.query}" if link.query else ""))
        return self.result


@pytest.fixture
def page(browser_context: Any) -> Any:
    return browser_context.new_page()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_answers_200_with_no_axe_violations(browser_context, oxfordshire_server, role):
    walker = Walker(browser_context, oxfordshire_server.url)
    if role == "anonymous":
        start = [
            "/",
            reverse("public_index"),
            reverse("public_partnership", args=["oxfordshire"]),
            reverse("login"),
            reverse("accessibility"),
            *INVITATION_LINKS,
        ]
    else:
        sign_in(walker.tabs[0], role, DEMO_PASSWORD)
        assert walker.tabs[0].get_by_role("button", name="Sign out").is_visible(), f"{role} could not sign in"
        start = [
            "/",
            reverse("password_change_done"),
            # The plan as it stood is shown after its own GET form is sent, which no link does;
            # a date that does not exist shows the form's error instead.
            reverse("governance:plan_as_at") + "?on_day=1&on_month=6&on_year=2025",
            reverse("governance:plan_as_at") + "?on_day=31&on_month=2&on_year=2024",
            *form_pages_for(User.objects.get(username=role)),
        ]

    result = walker.run(start)

    print(f"\n{role}: {len(result.visited)} pages of {len(result.routes)} routes")
    if result.problems:
        pytest.fail(f"{role} walked {len(result.visited)} pages:\n{result.report()}", pytrace=False)
    if role != "anonymous":
        # The walk reached the product, not only the pages it started from.
        assert {"plan/actions/<int:action_id>/", "recommendations/<int:recommendation_id>/"} <= set(result.routes)
    if role in ("officer", "icb.officer"):
        # The page "Yours to do", which the count under the dashboard's title opens.
        assert "yours/" in result.routes


def test_the_scrutiny_response_form_can_be_completed_with_the_keyboard_alone(page):
    officer = User.objects.get(username="officer")
    recommendation = first_changeable(
        Recommendation.objects.filter(response__isnull=True, closed_at__isnull=True).order_by("pk"), officer
    )
    assert recommendation is not None, "the Oxfordshire data has no recommendation awaiting the council's response"
    sign_in(page, "officer", DEMO_PASSWORD)
    page.goto(reverse("recommendations:respond", args=[recommendation.pk]))

    def focused() -> str:
        return page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()")

    page.get_by_label("Accepted", exact=True).focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys: Accepted -> Partially accepted
    assert page.get_by_label("Partially accepted").is_checked()
    for name, text in [
        ("proposed_action", "A youth forum in each locality rather than one county forum."),
        ("indicative_timescale", "Autumn 2026"),
        ("reasons", "Localities already run forums; a county one would duplicate them."),
        ("lead_cabinet_members", "Cllr Kate Gregory, Cabinet Member for SEND Improvement"),
    ]:
        page.keyboard.press("Tab")
        assert focused() == name
        page.keyboard.type(text)
    for part in ("given_on_day", "given_on_month", "given_on_year"):  # today's date is filled in already
        page.keyboard.press("Tab")
        assert focused() == part
    page.keyboard.press("Tab")
    assert focused() == "is_published"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused() == "Save response"
    page.keyboard.press("Enter")

    page.wait_for_url(f"**{recommendation.get_absolute_url()}")
    assert page.get_by_text(f"Response to {recommendation.reference} saved.").is_visible()
    response = Recommendation.objects.get(pk=recommendation.pk).response
    assert (response.outcome, response.indicative_timescale, response.is_published) == (
        Outcome.PARTIALLY_ACCEPTED,
        "Autumn 2026",
        True,
    )
    assert response.recorded_by == officer


# Empties every field of the page's form and submits it, as someone pressing the button too soon would.
SUBMIT_EMPTY = """() => {
  const form = [...document.querySelectorAll("main form")].find(form => form.method === "post");
  form.querySelectorAll("textarea, input[type=text], input[type=number], input[type=password]")
    .forEach(input => { input.value = ""; });
  form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(input => { input.checked = false; });
  form.querySelectorAll("select").forEach(select => { select.selectedIndex = 0; });
  setTimeout(() => form.requestSubmit(), 0);
}"""


def test_every_form_sent_empty_shows_its_errors_with_no_axe_violations(page):
    """The error summary and the fields in error, on every form an administrator can open."""
    sign_in(page, "admin", DEMO_PASSWORD)
    problems = []
    # The alert preferences and a board's update rounds are valid with nothing given (no alert; no
    # plan overseen, rounds of 10 days): sending them empty would change them. A meeting's returns
    # are a page the walk must see that has no form to send.
    unsent = ("/alerts/preferences/", "/update-rounds/", "/returns/")
    for path in [path for path in form_pages_for(User.objects.get(username="admin")) if not path.endswith(unsent)]:
        page.goto(path)
        with page.expect_navigation():
            page.evaluate(SUBMIT_EMPTY)
        if not page.locator(".govuk-error-summary").is_visible():
            problems.append(f"{path}: no error summary after sending the form empty")
        problems += axe_and_reflow_problems(page, path)

    assert problems == []


def axe_and_reflow_problems(page: Any, path: str) -> list[str]:
    page.evaluate(START_AXE, WCAG_TAGS)
    problems = [
        f"{path}: {violation['id']} at {' '.join(node['target'])}"
        for violation in page.evaluate("() => window.axeViolations")
        for node in violation["nodes"]
    ]
    if problem := reflow_problem(page, path):
        problems.append(problem)
    return problems


def test_the_second_step_of_signing_in_and_its_error_have_no_axe_violations(page):
    """The page that asks an administrator for their code, which no link reaches: the walk signs in
    through it without checking it."""
    sign_in(page, "admin", DEMO_PASSWORD)  # sets up the authenticator app if the walk has not yet
    page.get_by_role("button", name="Sign out").click()
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    problems = axe_and_reflow_problems(page, "second step")
    enter_code(page, "000000")
    assert page.locator(".govuk-error-summary").is_visible()
    problems += axe_and_reflow_problems(page, "second step, wrong code")
    enter_code(page, totp_code(User.objects.get(username="admin")))

    assert page.get_by_role("button", name="Sign out").is_visible()
    assert problems == []
