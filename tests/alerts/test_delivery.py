"""Emailing alerts: what the email says, retries with backoff, the cutoff, digests, and claims."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from send_tracker.alerts import services
from send_tracker.alerts.choices import AlertKind, Delivery, DeliveryMode
from send_tracker.alerts.delivery import claim, deliver_due, send_digests
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import action_due, alerts_to_testshire, at
from tests.alerts.email_backends import FlakyBackend
from tests.conftest import need_postgres

D = datetime.date
NOW = at(2026, 4, 25, 8, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.alerts.email_backends.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def due_action(make_action, officer, with_emails, frozen):
    action = action_due(
        make_action,
        "3A1",
        D(2026, 4, 30),
        description="Process map all EHCP timelines <including> the 6 & 20 week points.",
    )
    sweep()
    return action


def test_an_alert_email_has_a_text_and_an_html_body_with_the_deadline_and_a_link(due_action, settings):
    result = deliver_due()

    assert result.sent == 1
    [message] = mail.outbox
    assert message.to == ["olivia.officer@testshire.gov.uk"]
    assert message.subject == "Action 3A1 is due in 5 days, on 30 April 2026"
    link = f"{settings.ALERT_BASE_URL.rstrip('/')}/plan/actions/{due_action.pk}/"
    text = message.body
    assert text.startswith("Dear Olivia Officer,\n\nAction 3A1 is due in 5 days, on 30 April 2026\n")
    assert "Action 3A1 of the Testshire Priority Action Plan is due in 5 days, on 30 April 2026." in text
    # Plain text is not HTML-escaped.
    assert "Process map all EHCP timelines <including> the 6 & 20 week points." in text
    assert "Owner: Testshire County Council." in text
    assert f"Open it in the {settings.SERVICE_NAME}:\n{link}\n" in text
    assert '"Plan action due within 7 days"' in text
    assert f"{settings.ALERT_BASE_URL.rstrip('/')}/alerts/preferences/" in text

    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<h1" in html and "Action 3A1 is due in 5 days, on 30 April 2026</h1>" in html
    assert f'<a href="{link}"' in html
    assert "&lt;including&gt; the 6 &amp; 20 week points." in html
    assert "<including>" not in html
    assert "<strong>Plan action due within 7 days</strong>, due 30 April 2026" in html

    alert = alerts_to_testshire().get()
    assert (alert.delivery, alert.attempts, alert.sent_at, alert.last_error) == (Delivery.SENT, 1, NOW, "")


def test_a_sent_alert_is_not_sent_again(due_action):
    deliver_due()
    deliver_due()
    sweep()
    deliver_due()

    assert len(mail.outbox) == 1


def test_each_recipient_gets_their_own_email(make_action, officer, other_officer, with_emails, frozen):
    action_due(make_action, "3A1", D(2026, 4, 30), lead_officer=other_officer)
    sweep()

    deliver_due()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ian.icb@testshire-icb.nhs.uk",
        "olivia.officer@testshire.gov.uk",
    ]
    assert mail.outbox[0].body.split("\n")[0] in ("Dear Olivia Officer,", "Dear Ian Icb,")


def test_a_failed_send_is_retried_with_backoff_then_sent(due_action, flaky, frozen, settings):
    settings.ALERT_RETRY_SECONDS = 60
    flaky.failures = 2
    alert = alerts_to_testshire().get()

    first = deliver_due()
    alert.refresh_from_db()
    assert (first.sent, first.retrying) == (0, 1)
    assert (alert.delivery, alert.attempts) == (Delivery.PENDING, 1)
    assert alert.next_attempt_at == NOW + datetime.timedelta(seconds=60)
    assert alert.last_error == "ConnectionRefusedError: SMTP server refused the connection"

    assert deliver_due().claimed == 0  # not before its next attempt
    frozen.shift(datetime.timedelta(seconds=59))
    assert deliver_due().claimed == 0

    frozen.shift(datetime.timedelta(seconds=1))
    deliver_due()
    alert.refresh_from_db()
    assert alert.attempts == 2
    assert alert.next_attempt_at == NOW + datetime.timedelta(seconds=60 + 120)  # doubled

    frozen.shift(datetime.timedelta(seconds=120))
    assert deliver_due().sent == 1
    alert.refresh_from_db()
    assert (alert.delivery, alert.attempts, alert.last_error) == (Delivery.SENT, 3, "")
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_it_is_failed_and_stays_failed(due_action, flaky, frozen, settings):
    settings.ALERT_MAX_ATTEMPTS = 3
    flaky.failures = 100
    for _ in range(5):
        deliver_due()
        frozen.shift(datetime.timedelta(hours=1))

    alert = alerts_to_testshire().get()
    assert (alert.delivery, alert.attempts, alert.next_attempt_at) == (Delivery.FAILED, 3, None)
    assert "refused" in alert.last_error
    assert mail.outbox == []


def test_the_backoff_is_capped_at_an_hour(settings):
    from send_tracker.alerts.delivery import backoff

    settings.ALERT_RETRY_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_an_inactive_recipient_is_failed_without_trying(due_action, officer):
    officer.is_active = False
    officer.save()

    result = deliver_due()

    assert (result.failed, len(mail.outbox)) == (1, 0)
    assert alerts_to_testshire().get().last_error == "The person's account is no longer active."


def test_nothing_older_than_the_cutoff_is_sent_after_an_outage(make_action, officer, with_emails, settings):
    settings.ALERT_CUTOFF_DAYS = 3
    action_due(make_action, "3A1", D(2026, 4, 30))
    action_due(make_action, "3A2", D(2026, 5, 8))
    with time_machine.travel(at(2026, 4, 21, 8, 0), tick=False):
        sweep()  # 3A1's 14-day alert, written before the mail server went down
    with time_machine.travel(at(2026, 4, 24, 9, 0), tick=False):
        sweep()  # 3A1's 7-day alert and 3A2's 14-day alert, during the outage
    with time_machine.travel(at(2026, 4, 24, 10, 0), tick=False):  # back: 3 days and 2 hours later
        result = deliver_due()

    assert result.expired == 1
    assert sorted(message.subject for message in mail.outbox) == [
        "Action 3A1 is due in 6 days, on 30 April 2026",
        "Action 3A2 is due in 14 days, on 8 May 2026",
    ]
    stale = alerts_to_testshire().get(kind=AlertKind.ACTION_DUE_14, due_date=D(2026, 4, 30))
    assert stale.delivery == Delivery.EXPIRED
    assert stale.sent_at is None
    assert "older than 3 days" in stale.last_error


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_after_its_lease_once(due_action, frozen, settings):
    """The worker claimed the row and died: the one message in flight may go twice, no more."""
    settings.ALERT_LEASE_SECONDS = 600
    [claimed] = claim(NOW, 10)  # a worker's claim; it dies before recording anything
    assert alerts_to_testshire().get().delivery == Delivery.SENDING

    assert deliver_due().claimed == 0  # a live worker might still be sending it
    frozen.shift(datetime.timedelta(seconds=601))
    assert deliver_due().sent == 1
    frozen.shift(datetime.timedelta(seconds=601))
    assert deliver_due().claimed == 0

    alert = alerts_to_testshire().get()
    assert (alert.delivery, alert.attempts) == (Delivery.SENT, 2)
    assert len(mail.outbox) == 1
    # The dead worker's late record of its claim cannot overwrite the newer one.
    from send_tracker.alerts.delivery import _record_failure

    _record_failure(claimed, "late", NOW)
    assert alerts_to_testshire().get().delivery == Delivery.SENT


@pytest.mark.postgres
def test_two_delivery_runs_at_once_send_each_alert_once(
    transactional_db, make_action, officer, other_officer, with_emails
):
    need_postgres()
    with time_machine.travel(NOW, tick=True):
        for n in range(30):
            action_due(make_action, f"3A{n}", D(2026, 4, 30), lead_officer=other_officer)
        sweep()
        assert alerts_to_testshire().filter(delivery=Delivery.PENDING).count() == 60
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                barrier.wait(timeout=30)
                deliver_due(batch_size=7)
            except BaseException as exc:  # reported to the test
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert alerts_to_testshire().filter(delivery=Delivery.SENT).count() == 60
    assert len(mail.outbox) == 60
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 60


def test_a_daily_digest_gathers_a_persons_alerts_in_one_email(make_action, make_risk, officer, with_emails, frozen):
    services.set_preferences(
        user=officer,
        modes={AlertKind.ACTION_DUE_7: DeliveryMode.DIGEST, AlertKind.RISK_REVIEW_OVERDUE: DeliveryMode.DIGEST},
    )
    action_due(make_action, "3A1", D(2026, 4, 30))
    action_due(make_action, "3A2", D(2026, 5, 8))  # its 14-day kind is still straight away
    make_risk(D(2026, 4, 20))
    sweep()

    assert deliver_due().sent == 1
    assert [m.subject for m in mail.outbox] == ["Action 3A2 is due in 13 days, on 8 May 2026"]

    mail.outbox.clear()
    result = send_digests()

    assert (result.emails, result.sent) == (1, 2)
    [digest] = mail.outbox
    assert digest.subject.endswith(": 2 alerts today")
    assert digest.to == ["olivia.officer@testshire.gov.uk"]
    body = digest.body
    assert "Your 2 alerts from the" in body
    # Soonest deadline first.
    assert body.index("Risk R1 was due for review on 20 April 2026") < body.index("Action 3A1 is due in 5 days")
    assert "Risk review overdue, due 20 April 2026" in body
    [(html, mimetype)] = digest.alternatives
    assert mimetype == "text/html"
    assert "Action 3A1 is due in 5 days, on 30 April 2026" in html
    assert "/plan/actions/" in html
    assert set(alerts_to_testshire().values_list("delivery", flat=True)) == {Delivery.SENT}

    assert send_digests().emails == 0


def test_a_digest_that_fails_waits_for_the_next_days_run(make_action, officer, with_emails, flaky, frozen):
    services.set_preferences(user=officer, modes={AlertKind.ACTION_DUE_7: DeliveryMode.DIGEST})
    action_due(make_action, "3A1", D(2026, 4, 30))
    sweep()
    flaky.failures = 1

    assert send_digests().retrying == 1
    alert = alerts_to_testshire().get()
    assert (alert.delivery, alert.attempts) == (Delivery.DIGEST, 1)

    frozen.shift(datetime.timedelta(days=1))
    assert send_digests().emails == 1
    assert alerts_to_testshire().get().delivery == Delivery.SENT


def test_alerts_switched_off_are_never_emailed(make_action, officer, with_emails, frozen):
    services.set_preferences(user=officer, modes={AlertKind.ACTION_DUE_7: DeliveryMode.OFF})
    action_due(make_action, "3A1", D(2026, 4, 30))
    sweep()

    assert deliver_due().claimed == 0
    assert send_digests().claimed == 0
    assert mail.outbox == []
    assert alerts_to_testshire().get().delivery == Delivery.OFF


def test_delivery_is_queued_once_after_the_sweep_commits(
    make_action, officer, with_emails, frozen, django_capture_on_commit_callbacks
):
    from send_tracker.alerts.delivery import queue_delivery

    action_due(make_action, "3A1", D(2026, 4, 30))

    with django_capture_on_commit_callbacks() as first:
        sweep()
    with django_capture_on_commit_callbacks() as second:
        sweep()

    # Besides delivery, the insert tells the unread counts kept in the cache (alerts.unread).
    assert [callback for callback in first if callback is queue_delivery] == [queue_delivery]
    assert second == []  # nothing new, nothing queued


def test_the_admin_lists_failed_and_waiting_deliveries(due_action, flaky, client_for, settings):
    from send_tracker.accounts.models import User

    settings.ALERT_MAX_ATTEMPTS = 1
    flaky.failures = 1
    deliver_due()
    admin = User.objects.create_superuser("root", "root@testshire.gov.uk", "x")
    client = client_for(admin)

    failed = client.get("/admin/alerts/alert/?attention=failed")
    waiting = client.get("/admin/alerts/alert/?attention=waiting")

    assert failed.status_code == waiting.status_code == 200
    assert "Action 3A1 is due in 5 days" in failed.text
    assert "ConnectionRefusedError" in failed.text
    assert "Action 3A1 is due in 5 days" not in waiting.text
