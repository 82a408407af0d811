"""Shared fixtures: the personas of CONVENTIONS.md, a small plan, and the real services.

Tests that need a real service (PostgreSQL, Redis, Chromium) ask for it with `need(...)`: locally
they skip with a message naming what they need; under CI=true a missing service is a failure.
"""

from __future__ import annotations

import copy
import datetime
import io
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
import time_machine
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings as allauth_totp_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as allauth_totp
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt as mfa_decrypt
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.test import Client, TransactionTestCase
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from actions.models import Action, Objective, Plan, PriorityArea, Theme, Workstream
from governance.choices import BoardKind
from governance.models import Board
from kpis.choices import Frequency, Polarity, Unit
from kpis.models import Indicator
from recommendations import services as recommendation_services
from recommendations.choices import ResponseRegime
from recommendations.models import Report
from send_tracker.accounts import second_factor
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation, Partnership, User
from tests.world import SLUG as ELSEWHERE_SLUG
from tests.world import World, build_elsewhere

# The live server's listen backlog is 10 by default: enough for a browser, not for the fifty
# simultaneous partners of the concurrency test, whose connections would be reset before Django
# saw them. Production runs gunicorn, whose backlog is 2048.
ThreadedWSGIServer.request_queue_size = 128

CI = os.environ.get("CI", "").strip().lower() == "true"

# The property-based tests of the write paths (tests/*/test_write_properties.py) drive the whole
# request through PostgreSQL for each example: few examples, and no deadline on a busy machine.
# Their fixtures build rows once per test, which each example then rolls back to. Under CI the
# examples are the same on every run (derandomize), so a failure there fails again when re-run
# and no example database is kept; on a developer's machine ("dev") each run tries new examples
# and replays the ones that failed before. HYPOTHESIS_PROFILE chooses another.
PROPERTY_TESTS: dict[str, Any] = {
    "max_examples": 30,
    "deadline": None,
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],  # no slow "explain" re-runs
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
}
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **PROPERTY_TESTS)
hypothesis_settings.register_profile("dev", derandomize=False, **PROPERTY_TESTS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if CI else "dev"))

PASSWORD = "correct-horse-battery-staple"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def need(available: bool, what: str) -> None:
    """Skip locally, fail under CI, when a real component the test needs is missing."""
    if available:
        return
    if CI:
        pytest.fail(f"CI=true and this test needs {what}, which is not available.", pytrace=False)
    pytest.skip(f"needs {what}")


def need_postgres() -> None:
    need(
        connection.vendor == "postgresql",
        "PostgreSQL (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/send_tracker)",
    )


def need_redis() -> None:
    need(bool(settings.REDIS_URL), "Redis (set REDIS_URL=redis://127.0.0.1:6379/0)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow modules first, after pytest-django has put the tests that empty the database last:
    `make test` hands whole files to two workers in this order, so that each worker starts with one
    of the longest and they finish together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session", autouse=True)
def stray_connections_closed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Before the test database is dropped, end any session a thread or a child process left
    open on it, so that the drop succeeds and the next run starts clean."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        try:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        except DatabaseError:  # not allowed to end others' sessions: Django's own drop will say so
            pass


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache. A test's rows are rolled back and the next test's may
    take the same ids (SQLite reuses them; each run makes the test database afresh while Redis keeps
    its keys), and inside a test's transaction no commit replaces a data version
    (send_tracker.freshness), so a page cached by one test must not reach the next."""
    cache.clear()


# ---------------------------------------------------------------------------------------------
# Partnerships, organisations and people


@pytest.fixture
def partnership(db: None) -> Partnership:
    return Partnership.objects.create(
        name="Testshire Local Area Partnership", slug="testshire", area_name="Testshire", region="South East"
    )


# Every test that touches the database holds a second, fully populated partnership (tests/world.py),
# so that anything shown, exported or sent across partnerships fails a test. It is built once, when
# the test database is made, and committed: each test's transaction rolls back to it. On PostgreSQL a
# test that commits (a transactional one, or a module's committed Oxfordshire) is followed by putting
# every table back as it was (Baseline); elsewhere, or after a test that empties the database
# itself, Elsewhere is built again before the next test starts. (A build takes a few tenths of a
# second, which every test paid when it was built per test; emptying the database and building it
# again took seconds after each browser test on a loaded machine.)
@dataclass
class Elsewhere:
    """The committed Elsewhere world of this test session, and how to reach the database for it."""

    world: World | None = None
    blocker: Any = None

    def build(self) -> None:
        with self.blocker.unblock():
            if Partnership.objects.filter(slug=ELSEWHERE_SLUG).exists():
                # Left by an earlier run of a database kept with --reuse-db: start from empty.
                call_command("flush", interactive=False, verbosity=0)
            self.world = build_elsewhere()

    def rebuild_if_emptied(self) -> None:
        assert self.world is not None
        with self.blocker.unblock():
            if not Partnership.objects.filter(pk=self.world.partnership.pk).exists():
                self.world = build_elsewhere()
                BASELINE.save()


ELSEWHERE = Elsewhere()


@dataclass
class Baseline:
    """The committed rows each test starts from (Elsewhere's, and what the migrations wrote), copied
    into a schema of their own on PostgreSQL. After a test that committed rows, every table is put
    back as it was in one transaction: rows deleted, the baseline's copied in, foreign keys checked
    at the commit (Django makes them deferrable). That replaces emptying all the tables (TRUNCATE),
    writing the content types and permissions again and building Elsewhere again."""

    SCHEMA = "test_baseline"
    tables: list[str] = field(default_factory=list)

    def save(self) -> None:
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            self.tables = [quote(name) for (name,) in cursor.fetchall()]
            copies = [f"CREATE TABLE {self.SCHEMA}.{table} AS TABLE public.{table}" for table in self.tables]
            OXFORDSHIRE_COPIES.clear()
            cursor.execute(
                ";".join([f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE", f"CREATE SCHEMA {self.SCHEMA}", *copies])
            )

    def restore(self) -> bool:
        """Puts every table back as it was saved; False where nothing was saved (not PostgreSQL)."""
        if not self.tables:
            return False
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                ";".join(
                    [
                        "SET CONSTRAINTS ALL DEFERRED",
                        *(f"DELETE FROM public.{table}" for table in self.tables),  # noqa: S608 (names from pg_tables, quoted)
                        *(f"INSERT INTO public.{table} SELECT * FROM {self.SCHEMA}.{table}" for table in self.tables),  # noqa: S608
                    ]
                )
            )
        return True


BASELINE = Baseline()
_flush_after_test = vars(TransactionTestCase)["_fixture_teardown"]


def _restore_after_test(self: TransactionTestCase) -> None:
    if not BASELINE.restore():
        _flush_after_test(self)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, with Elsewhere built and committed in it, and saved as the baseline that a
    transactional test's teardown puts back instead of emptying the database."""
    ELSEWHERE.blocker = django_db_blocker
    ELSEWHERE.build()
    with django_db_blocker.unblock():
        BASELINE.save()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _restore_after_test)
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        # After the last test the database is being dropped.
        if nextitem is not None and ELSEWHERE.world is not None:
            ELSEWHERE.rebuild_if_emptied()


@pytest.fixture
def elsewhere_world(db: None) -> World:
    """Elsewhere's rows; a copy, so that a test changing one in memory leaves the next test's alone."""
    assert ELSEWHERE.world is not None
    return copy.deepcopy(ELSEWHERE.world)


@pytest.fixture(scope="module")
def oxfordshire_committed(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """The real Oxfordshire case, loaded once for the module as `make run` loads it and committed:
    each of the module's tests reads it in a transaction that is rolled back, so it may change it.
    After the module's last test the database is put back to the baseline (or emptied, and
    Elsewhere built again, where there is none).

    The demo is dated from the day it is loaded: today, or the module's OXFORDSHIRE_LOADED_ON."""
    loaded_on: datetime.date | None = getattr(request.module, "OXFORDSHIRE_LOADED_ON", None)
    with django_db_blocker.unblock():
        # A guard: the database is flushed at the end, so it must be the test database.
        name = str(connection.settings_dict["NAME"])
        assert name.startswith("test_") or name.startswith("file:memorydb_"), name
        with transaction.atomic():
            oxfordshire_copy(loaded_on).add()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            if not BASELINE.restore():
                call_command("flush", interactive=False, verbosity=0)
            cache.clear()


def load_oxfordshire(loaded_on: datetime.date | None = None) -> None:
    """The command, as `make run` runs it: today, or at nine in the morning of `loaded_on`."""
    if loaded_on is None:
        call_command("load_oxfordshire", stdout=io.StringIO())
        return
    morning = datetime.datetime.combine(loaded_on, datetime.time(9), tzinfo=datetime.UTC)
    with time_machine.travel(morning, tick=False):
        call_command("load_oxfordshire", stdout=io.StringIO())


@dataclass
class OxfordshireCopy:
    """The rows load_oxfordshire adds to the baseline, loaded once per test process (and day of
    loading) and kept in a schema of their own, so that the next module or test that reads the case
    gets the same rows in one statement batch instead of the whole case read and written again
    (several seconds each time on a loaded machine). The tests of the loader itself run the command.
    Without a baseline (not PostgreSQL), or if the load changed a baseline row, `add` runs the command."""

    loaded_on: datetime.date | None
    tables: list[str] | None = None
    sequences: list[str] = field(default_factory=list)

    @property
    def schema(self) -> str:
        return f"test_oxfordshire_{self.loaded_on or 'today'}".replace("-", "_")

    def save(self) -> None:
        """Loads the case on top of the baseline (committed), copies the rows it added and puts the
        baseline back. Run outside any test's transaction."""
        load_oxfordshire(self.loaded_on)
        quote, schema, tables = connection.ops.quote_name, self.schema, []
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
            for table in BASELINE.tables:
                cursor.execute(f"SELECT EXISTS (TABLE {Baseline.SCHEMA}.{table} EXCEPT ALL TABLE public.{table})")
                if cursor.fetchone()[0]:  # a baseline row changed: not a copy to add
                    BASELINE.restore()
                    self.tables = []
                    return
                added = f"TABLE public.{table} EXCEPT ALL TABLE {Baseline.SCHEMA}.{table}"
                cursor.execute(f"CREATE TABLE {schema}.{table} AS {added}; SELECT EXISTS (TABLE {schema}.{table})")
                if cursor.fetchone()[0]:
                    tables.append(table)
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
                " AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')"
            )
            setval = "SELECT setval(pg_get_serial_sequence('public.{0}', '{1}'), (SELECT max({2}) FROM public.{0}))"
            self.sequences = [
                setval.format(quote(name), column, quote(column))
                for name, column in cursor.fetchall()
                if quote(name) in tables
            ]
        self.tables = tables
        BASELINE.restore()

    def add(self) -> None:
        """The case's rows added to the database, in the caller's transaction; the tables' id
        sequences moved past them."""
        if not self.tables:
            load_oxfordshire(self.loaded_on)
            return
        copies = [f"INSERT INTO public.{table} SELECT * FROM {self.schema}.{table}" for table in self.tables]  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(";".join([*copies, *self.sequences]))


# Made when first asked for and forgotten when the baseline is saved again (the copies' rows name the
# baseline's by id).
OXFORDSHIRE_COPIES: dict[datetime.date | None, OxfordshireCopy] = {}


def oxfordshire_copy(loaded_on: datetime.date | None = None) -> OxfordshireCopy:
    if loaded_on not in OXFORDSHIRE_COPIES:
        OXFORDSHIRE_COPIES[loaded_on] = copy_ = OxfordshireCopy(loaded_on)
        if BASELINE.tables:
            copy_.save()
    return OXFORDSHIRE_COPIES[loaded_on]


@pytest.fixture(scope="session")
def oxfordshire_rows(django_db_setup: None, django_db_blocker: Any) -> OxfordshireCopy:
    with django_db_blocker.unblock():
        return oxfordshire_copy()


@pytest.fixture
def oxfordshire_loaded(oxfordshire_rows: OxfordshireCopy, db: None) -> None:
    """The real Oxfordshire case as load_oxfordshire writes it today, in the test's transaction."""
    oxfordshire_rows.add()


@pytest.fixture
def other_partnership(elsewhere_world: World) -> Partnership:
    return elsewhere_world.partnership


@pytest.fixture
def council(partnership: Partnership) -> Organisation:
    return Organisation.objects.create(
        partnership=partnership, name="Testshire County Council", short_name="TCC", kind=OrganisationKind.COUNCIL
    )


@pytest.fixture
def icb(partnership: Partnership) -> Organisation:
    return Organisation.objects.create(
        partnership=partnership, name="Testshire Integrated Care Board", short_name="ICB", kind=OrganisationKind.ICB
    )


@pytest.fixture
def forum(partnership: Partnership) -> Organisation:
    """Testshire's parent carer forum, which gives its view of the plan's ratings."""
    return Organisation.objects.create(
        partnership=partnership,
        name="Testshire Parent Carer Forum",
        short_name="TPCF",
        kind=OrganisationKind.PARENT_CARER_FORUM,
    )


@pytest.fixture
def forum_officer(forum: Organisation) -> User:
    return make_user("fran", forum, Role.OFFICER, first_name="Fran", last_name="Forum", email="fran@pcf.example")


@pytest.fixture
def other_council(elsewhere_world: World) -> Organisation:
    return elsewhere_world.council


def make_user(username: str, organisation: Organisation | None, role: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, organisation=organisation, role=role, **extra)
    if second_factor.must_use_second_factor(user):
        give_second_factor(user)
    return user


def give_second_factor(user: User) -> str:
    """An authenticator app set up for the person, with its recovery codes, as an administrator has
    before reaching any page; returns the app's secret (totp_code gives its code now)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


class TotpClock:
    """The clock allauth checks an authenticator app's codes by, in the test process and so in its live
    server's threads: it stands still during a test, so that a code never lapses between being read
    and being checked, and steps on one period (30 seconds) when a test needs a code not used yet,
    instead of waiting for the next one. Set to the real time when each test starts."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def step(self) -> None:
        self.now += allauth_totp_settings.TOTP_PERIOD


TOTP_CLOCK = TotpClock()
allauth_totp.time = TOTP_CLOCK  # type: ignore[assignment]  # the module reads only time.time()


@pytest.fixture(autouse=True)
def totp_clock() -> TotpClock:
    TOTP_CLOCK.now = time.time()
    return TOTP_CLOCK


def code_now(app: pyotp.TOTP) -> str:
    """The app's code at the time the server checks codes by (TOTP_CLOCK)."""
    return app.at(TOTP_CLOCK.now)


def totp_code(user: User, *, fresh: bool = True) -> str:
    """The code the person's authenticator app shows now, computed as the app would (pyotp). A code
    is good once: with `fresh`, when this one was used already, the clock steps on to the next one."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    app = pyotp.TOTP(mfa_decrypt(authenticator.data["secret"]))
    code = code_now(app)
    used = f"allauth.mfa.totp.used?user={user.pk}&code={code}"
    if fresh and cache.get(used):
        TOTP_CLOCK.step()
        code = code_now(app)
    return code


@pytest.fixture
def officer(council: Organisation) -> User:
    """An officer of the organisation that owns `action`."""
    return make_user("olivia", council, Role.OFFICER, first_name="Olivia", last_name="Officer")


@pytest.fixture
def other_officer(icb: Organisation) -> User:
    """An officer of another organisation in the same partnership."""
    return make_user("ian", icb, Role.OFFICER, first_name="Ian", last_name="Icb")


@pytest.fixture
def scrutiny_member(council: Organisation) -> User:
    """A scrutiny councillor: reads everything internal, changes nothing."""
    return make_user("cllr", council, Role.SCRUTINY, first_name="Sam", last_name="Scrutiny")


@pytest.fixture
def partner_user(icb: Organisation) -> User:
    return make_user("pat", icb, Role.PARTNER, first_name="Pat", last_name="Partner")


@pytest.fixture
def administrator(council: Organisation) -> User:
    return make_user("ada", council, Role.ADMINISTRATOR, first_name="Ada", last_name="Admin", is_staff=True)


@pytest.fixture
def outsider(elsewhere_world: World) -> User:
    """An officer of another partnership (Elsewhere's council, which owns actions of its own):
    none of Testshire's data exists for them."""
    return elsewhere_world.officer


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    def build(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
            if second_factor.must_use_second_factor(user):
                # Signed in as if through both steps: the second factor set up, and the session
                # knowing it, as it does after the first page (so query counts are the same).
                if not second_factor.has_second_factor(user):
                    give_second_factor(user)
                session = client.session
                session[second_factor.SET_UP_SESSION_KEY] = user.pk
                session.save()
        return client

    return build


# ---------------------------------------------------------------------------------------------
# A small plan


@pytest.fixture
def plan(partnership: Partnership) -> Plan:
    return Plan.objects.create(
        partnership=partnership,
        title="Testshire Priority Action Plan",
        inspection_report_date=datetime.date(2023, 9, 15),
        approved_date=datetime.date(2023, 12, 12),
    )


@pytest.fixture
def priority_area(plan: Plan) -> PriorityArea:
    return PriorityArea.objects.create(plan=plan, number=3, title="Timeliness and quality of EHC plans")


@pytest.fixture
def objective(priority_area: PriorityArea) -> Objective:
    return Objective.objects.create(priority_area=priority_area, code="3A", text="Needs identified in time.")


@pytest.fixture
def make_action(plan: Plan, objective: Objective, council: Organisation) -> Callable[..., Action]:
    def build(ref: str = "3A1", **fields: Any) -> Action:
        defaults: dict[str, Any] = {
            "published_ref": ref,
            "description": f"Action {ref}: process map all EHCP timelines.",
            "due_date": datetime.date(2024, 4, 30),
            "due_date_kind": "date",
            "due_date_text": "Apr 24",
            "owner": council,
        }
        defaults.update(fields)
        action = Action.objects.create(plan=plan, objective=objective, ref=ref, **defaults)
        return action

    return build


@pytest.fixture
def action(make_action: Callable[..., Action], plan: Plan) -> Action:
    created = make_action()
    created.themes.add(Theme.objects.create(plan=plan, name="Right Plan"))
    created.workstreams.add(Workstream.objects.create(plan=plan, name="EHCP Improvement"))
    return created


@pytest.fixture
def hosc(partnership: Partnership) -> Board:
    """Testshire's joint health scrutiny committee, whose reports the NHS answers in 28 days."""
    return Board.objects.create(
        partnership=partnership,
        name="Joint Health Overview and Scrutiny Committee",
        short_name="HOSC",
        kind=BoardKind.SCRUTINY_COMMITTEE,
    )


@pytest.fixture
def eyp(partnership: Partnership) -> Board:
    """Testshire's education scrutiny committee, whose reports the Cabinet answers in two months."""
    return Board.objects.create(
        partnership=partnership,
        name="Education and Young People Overview and Scrutiny Committee",
        short_name="EYP",
        kind=BoardKind.SCRUTINY_COMMITTEE,
    )


@pytest.fixture
def make_report(partnership: Partnership, eyp: Board) -> Callable[..., Report]:
    """A scrutiny report saved through the service: EYP's, to the Cabinet, received 23 April 2024."""

    def build(title: str = "Update on the Priority Action Plan", **fields: Any) -> Report:
        defaults: dict[str, Any] = {
            "partnership": partnership,
            "committee": eyp,
            "addressee": "Cabinet",
            "received_on": datetime.date(2024, 4, 23),
            "regime": ResponseRegime.OVERVIEW_AND_SCRUTINY,
        }
        defaults.update(fields)
        return recommendation_services.save_report(Report(title=title, **defaults), user=None, reason="Test report")

    return build


@pytest.fixture
def report(make_report: Callable[..., Report]) -> Report:
    """An EYP report received 23 April 2024: a response is due by 22 June 2024."""
    return make_report()


@pytest.fixture
def make_indicator(partnership: Partnership, council: Organisation) -> Callable[..., Indicator]:
    """A KPI of the partnership (another with `partnership=`), by default as `indicator` is."""

    def build(name: str = "New EHC plans issued within 20 weeks (excluding exceptions)", **fields: Any) -> Indicator:
        defaults: dict[str, Any] = {
            "partnership": partnership,
            "definition": "Of the new EHC plans issued in the month, the percentage issued within 20 weeks.",
            "unit": Unit.PERCENT,
            "polarity": Polarity.HIGHER_IS_BETTER,
            "frequency": Frequency.MONTHLY,
            "source": "Case management system",
            "owner": council,
        }
        defaults.update(fields)
        return Indicator.objects.create(name=name, **defaults)

    return build


@pytest.fixture
def indicator(make_indicator: Callable[..., Indicator]) -> Indicator:
    """A percentage, higher is better, monthly, owned by the council (the `officer`'s organisation)."""
    return make_indicator()


# ---------------------------------------------------------------------------------------------
# The browser: Debian's Chromium driven by Playwright, with axe-core for accessibility


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    need(
        Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None,
        f"Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    need((Path(settings.BASE_DIR) / "static" / "build" / "app.css").exists(), "the front-end assets (make assets)")
    # bypass_csp lets the test inject axe-core; the product's own pages never need it.
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Signs in at /accounts/login/, and through the second step where the person has one: with the
    code of their authenticator app, or, for someone who must use one and has none, by setting one up
    from the page's secret key as a person would with their phone."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    step = urlsplit(page.url).path
    if step == "/accounts/2fa/authenticate/":
        enter_code(page, totp_code(User.objects.get(username=username)))
    elif step == "/accounts/2fa/totp/activate/":
        enter_code(page, code_now(pyotp.TOTP(page.locator("#authenticator-secret").inner_text())))
        page.get_by_role("link", name="Continue").click()  # past the recovery codes
        page.wait_for_load_state()


def sign_in_by_session(page: Any, user: User) -> None:
    """Signs the person in as `sign_in` leaves them, both steps done, without the pages: a session made
    as Django's test client makes one, holding what allauth records of a password and an authenticator
    app's code, its cookie given to the browser; then opens the dashboard, where signing in lands.
    For tests of what a signed-in person does: the tests of signing in go through the pages."""
    client = Client()
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", username=user.get_username())
    if second_factor.must_use_second_factor(user):
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
        request.session[second_factor.SET_UP_SESSION_KEY] = user.pk
    request.session.save()
    # A cookie for "localhost" is sent to every port, so this reaches whichever live server the page uses.
    # Whoever the browser held a session for before is signed out first.
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": request.session.session_key, "domain": "localhost"}
    page.context.clear_cookies()
    page.context.add_cookies([{**cookie, "path": "/", "httpOnly": True, "sameSite": "Lax"}])
    page.goto("/")


def enter_code(page: Any, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


# Where the browser tests' screenshots go, to look at (`SHOTS=/tmp/shots/h1 make test ...`); none are
# taken when it is not set, as under CI, since each is a render of the whole page at two widths.
SHOTS = os.environ.get("SHOTS", "")


def screenshot(page: Any, name: str) -> None:
    """Full-page screenshots at 1280 and 320 pixels wide into the folder SHOTS names, when it names one."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Runs axe-core's WCAG 2.2 A and AA rules on the page; returns the violations."""
    need(AXE_JS.exists(), "axe-core (make assets installs it from npm)")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
