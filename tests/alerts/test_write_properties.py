"""Alert preferences, following and marking read with values as people (and attackers) send them.

Each example is saved whole or refused with a clear answer, and a refusal changes nothing; another
partnership's items and another person's alerts are never touched. Never a 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from actions.models import Action
from send_tracker.alerts import services
from send_tracker.alerts.choices import AlertKind, DeliveryMode
from send_tracker.alerts.following import FOLLOWABLE
from send_tracker.alerts.models import Alert, AlertPreference, Follow
from tests.as_people_write import refused_on_the_page, rolled_back, was_saved
from tests.conftest import need_postgres
from tests.world import World

pytestmark = pytest.mark.django_db

MODES = st.sampled_from([*DeliveryMode.values, *DeliveryMode.values, "", "DIGEST", "never", "digest\x00", " off"])


def preferences_state(user: Any) -> list[tuple[str, str]]:
    return list(AlertPreference.objects.filter(user=user).order_by("kind").values_list("kind", "mode"))


VALID_MODES = st.sampled_from(DeliveryMode.values)


@given(
    modes=st.fixed_dictionaries({kind: VALID_MODES for kind in AlertKind.values})
    | st.fixed_dictionaries({kind: MODES for kind in AlertKind.values})
)
def test_alert_preferences_are_saved_whole_or_refused_and_nothing_changes(
    officer: Any, elsewhere_world: World, client_for: Any, modes: dict[str, str]
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = preferences_state(officer)
        theirs = preferences_state(elsewhere_world.officer)
        response = client.post("/alerts/preferences/", modes)
        if was_saved(response):
            assert services.preferences_for(officer) == modes
        else:
            assert any(mode not in DeliveryMode.values for mode in modes.values())
            assert refused_on_the_page(response)
            assert preferences_state(officer) == before
        assert preferences_state(elsewhere_world.officer) == theirs


SUBJECT_IDS = st.sampled_from(["mine", "elsewhere", "0", "-1", "9" * 30, "1e3", "٣", "", "1.5"])
NEXTS = st.sampled_from(["", "/plan/", "https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil"])


@given(
    key=st.just("actions.action") | st.sampled_from([*FOLLOWABLE, "accounts.user", "actions.plan", ""]),
    subject=st.just("mine") | SUBJECT_IDS,
    follow=st.sampled_from(["1", "0", "1", "0", "yes", ""]),
    next_url=NEXTS,
)
def test_following_is_saved_or_refused_and_never_reaches_another_partnership(
    action: Action,
    scrutiny_member: Any,
    elsewhere_world: World,
    client_for: Any,
    key: str,
    subject: str,
    follow: str,
    next_url: str,
) -> None:
    need_postgres()
    client = client_for(scrutiny_member)
    ids = {"mine": str(action.pk), "elsewhere": str(elsewhere_world.actions["3A1"].pk)}
    with rolled_back():
        before = list(Follow.objects.order_by("pk").values_list("pk", "user_id", "subject_type_id", "subject_id"))
        response = client.post(
            "/alerts/follow/",
            {"subject_type": key, "subject_id": ids.get(subject, subject), "follow": follow, "next": next_url},
        )
        assert response.status_code < 500
        mine = Follow.objects.filter(user=scrutiny_member)
        if response.status_code == 302:
            event("saved")
            assert key == "actions.action" and subject == "mine" and follow in ("1", "0")
            assert mine.filter(subject_id=action.pk).exists() is (follow == "1")
            assert response["Location"].startswith("/") and not response["Location"].startswith(("//", "/\\"))
        else:
            event("refused")
            assert response.status_code in (400, 404)
            assert (
                list(Follow.objects.order_by("pk").values_list("pk", "user_id", "subject_type_id", "subject_id"))
                == before
            )
        assert not mine.filter(subject_id=elsewhere_world.actions["3A1"].pk, subject_type__model="action").exists()


@given(which=st.sampled_from(["mine", "theirs", "9" * 30, "0"]))
def test_marking_read_reaches_only_ones_own_alerts(
    officer: Any, elsewhere_world: World, client_for: Any, which: str
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        own = Alert.objects.create(
            recipient=officer,
            kind=AlertKind.ACTION_DUE_14,
            subject_type=elsewhere_world.alerts[0].subject_type,
            subject_id=1,
            due_date=elsewhere_world.alerts[0].due_date,
            title="Testshire action due",
            link="/plan/actions/",
        )
        alert_id = {"mine": str(own.pk), "theirs": str(elsewhere_world.alerts[0].pk)}.get(which, which)
        response = client.post(f"/alerts/{alert_id}/read/")
        assert response.status_code < 500
        assert Alert.objects.get(pk=elsewhere_world.alerts[0].pk).read_at is None
        if which == "mine":
            assert response.status_code == 302 and Alert.objects.get(pk=own.pk).read_at is not None
        else:
            assert response.status_code == 404
