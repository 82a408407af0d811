"""Emailing alerts: claim rows, send, record the attempt. A separate step from the sweep.

The rules that keep an alert from being lost or doubled:
- A row is claimed before it is sent: in one short transaction the pending rows are locked with
  SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite's IMMEDIATE transactions serialise the
  same statements) and marked "sending" with the time of the claim. Two workers never claim the
  same row.
- Each send is recorded at once, row by row: sent, or the error and the next attempt after an
  exponential backoff; after ALERT_MAX_ATTEMPTS it is "failed" and the admin lists it.
- A worker that dies mid-send leaves its rows "sending". After ALERT_LEASE_SECONDS the next run
  claims them again. Only the message that was in flight can go twice; the rest of the batch had
  not been sent. So a crash leads to at most one repeat.
- After an outage nothing stale goes out: a row older than ALERT_CUTOFF_DAYS that was never sent
  becomes "expired" instead (it is still in the person's alerts list in the tracker).
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from send_tracker.accounts.models import User

from .choices import Delivery
from .models import Alert

logger = logging.getLogger(__name__)

ERROR_LIMIT = 2_000


@dataclass
class DeliveryResult:
    """What one delivery run did, for logs and tests."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    expired: int = 0
    emails: int = 0


def absolute(path: str) -> str:
    return settings.ALERT_BASE_URL.rstrip("/") + path


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 ... times ALERT_RETRY_SECONDS after the n-th failed attempt, at most an hour."""
    seconds = settings.ALERT_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 3600))


def expire_stale(now: datetime.datetime) -> int:
    """Rows never sent that are older than the cutoff become "expired" rather than being sent."""
    cutoff = now - datetime.timedelta(days=settings.ALERT_CUTOFF_DAYS)
    lease_start = now - datetime.timedelta(seconds=settings.ALERT_LEASE_SECONDS)
    # A row a live worker is sending right now is left to it; one stuck past its lease is not.
    stale = Q(delivery__in=[Delivery.PENDING, Delivery.DIGEST]) | Q(
        delivery=Delivery.SENDING, claimed_at__lt=lease_start
    )
    return (
        Alert.objects.filter(stale, created_at__lt=cutoff)
        .exclude(delivery__in=[Delivery.SENT, Delivery.FAILED, Delivery.EXPIRED, Delivery.OFF])
        .update(
            delivery=Delivery.EXPIRED,
            next_attempt_at=None,
            last_error=f"Not emailed: older than {settings.ALERT_CUTOFF_DAYS} days when delivery ran.",
        )
    )


def claim(now: datetime.datetime, batch_size: int) -> list[Alert]:
    """Claim up to batch_size rows due to be emailed: pending ones whose next attempt has come,
    and ones left "sending" by a worker that stopped more than a lease ago."""
    lease_start = now - datetime.timedelta(seconds=settings.ALERT_LEASE_SECONDS)
    claimable = Q(delivery=Delivery.PENDING, next_attempt_at__lte=now) | Q(
        delivery=Delivery.SENDING, claimed_at__lt=lease_start
    )
    with transaction.atomic():
        ids = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(claimable)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        Alert.objects.filter(pk__in=ids).update(delivery=Delivery.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return list(Alert.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))


def _record_sent(alert: Alert) -> None:
    # Conditional on our own claim: if the row was reclaimed meanwhile, the later claim records it.
    Alert.objects.filter(pk=alert.pk, delivery=Delivery.SENDING, claimed_at=alert.claimed_at).update(
        delivery=Delivery.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )


def _record_failure(alert: Alert, error: str, now: datetime.datetime, *, final: bool = False) -> str:
    """Retry later with backoff, or give up after the last attempt. Returns the new state."""
    if final or alert.attempts >= settings.ALERT_MAX_ATTEMPTS:
        state, next_attempt = Delivery.FAILED, None
    else:
        state, next_attempt = Delivery.PENDING, now + backoff(alert.attempts)
    Alert.objects.filter(pk=alert.pk, delivery=Delivery.SENDING, claimed_at=alert.claimed_at).update(
        delivery=state, next_attempt_at=next_attempt, last_error=error[:ERROR_LIMIT]
    )
    return state


def _release(alerts: Sequence[Alert]) -> None:
    """Give back claimed rows not yet tried (the task is being stopped), uncounted."""
    for alert in alerts:
        Alert.objects.filter(pk=alert.pk, delivery=Delivery.SENDING, claimed_at=alert.claimed_at).update(
            delivery=Delivery.PENDING, claimed_at=None, attempts=F("attempts") - 1
        )


def _email_context(recipient: User) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "recipient": recipient,
        "alerts_url": absolute(reverse("alerts:list")),
        "preferences_url": absolute(reverse("alerts:preferences")),
    }


def alert_email(alert: Alert) -> EmailMultiAlternatives:
    """One alert as an email, with a plain text body and an HTML alternative."""
    context = _email_context(alert.recipient) | {"alert": alert, "url": absolute(alert.link)}
    message = EmailMultiAlternatives(
        subject=" ".join(alert.title.split()),
        body=render_to_string("emails/alert.txt", context),
        to=[alert.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/alert.html", context), "text/html")
    return message


def digest_email(recipient: User, alerts: Sequence[Alert]) -> EmailMultiAlternatives:
    """A person's digest alerts in one email, soonest deadline first."""
    items = [{"alert": alert, "url": absolute(alert.link)} for alert in alerts]
    context = _email_context(recipient) | {"items": items, "count": len(items)}
    noun = "alert" if len(items) == 1 else "alerts"
    message = EmailMultiAlternatives(
        subject=f"{settings.SERVICE_NAME}: {len(items)} {noun} today",
        body=render_to_string("emails/digest.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(render_to_string("emails/digest.html", context), "text/html")
    return message


def close_quietly(connection: Any) -> None:
    """Close an email connection; failing to close a broken one must not hide the first error."""
    try:
        connection.close()
    except Exception:
        logger.debug("Closing the email connection failed", exc_info=True)


def _undeliverable(recipient: User) -> str:
    if not recipient.is_active:
        return "The person's account is no longer active."
    if not recipient.email:
        return "The person has no email address."
    return ""


def _count(result: DeliveryResult, state: str) -> None:
    if state == Delivery.FAILED:
        result.failed += 1
    else:
        result.retrying += 1


def _send_batch(alerts: list[Alert], result: DeliveryResult) -> None:
    """Send claimed alerts one by one on one connection, recording each outcome as it happens."""
    connection = get_connection()
    untried = list(alerts)
    try:
        try:
            connection.open()
        except SoftTimeLimitExceeded:
            raise
        except Exception as exc:  # Any backend error: SMTP refused, a Notify HTTP error, DNS.
            logger.warning("Could not open the email connection: %s", exc)
            for alert in untried:
                _count(result, _record_failure(alert, f"{type(exc).__name__}: {exc}", timezone.now()))
            untried = []
            return
        while untried:
            alert = untried.pop(0)
            now = timezone.now()
            problem = _undeliverable(alert.recipient)
            if problem:
                _record_failure(alert, problem, now, final=True)
                result.failed += 1
                continue
            try:
                if not connection.send_messages([alert_email(alert)]):
                    raise RuntimeError("The email backend did not accept the message.")
            except SoftTimeLimitExceeded:
                # The message in flight may have gone: it stays "sending" and is claimed again
                # after the lease, the one repeat a stop can cause.
                raise
            except Exception as exc:
                _count(result, _record_failure(alert, f"{type(exc).__name__}: {exc}", now))
                logger.warning("Alert %s not sent (attempt %s): %s", alert.pk, alert.attempts, exc)
            else:
                _record_sent(alert)
                result.sent += 1
                result.emails += 1
    finally:
        # Stopped part-way (the soft time limit): the rows not yet tried go back, uncounted.
        _release(untried)
        try:
            connection.close()
        except Exception:  # Closing a broken connection must not hide the first error.
            logger.debug("Closing the email connection failed", exc_info=True)


def deliver_due(batch_size: int = 500, *, budget_seconds: float | None = None) -> DeliveryResult:
    """Email every alert that is due to go straight away, batch by batch, within a time budget.

    What is left when the budget runs out is picked up by the next run (every minute).
    """
    budget = settings.ALERT_DELIVERY_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    result = DeliveryResult(expired=expire_stale(timezone.now()))
    while time.monotonic() - started < budget:
        batch = claim(timezone.now(), batch_size)
        if not batch:
            break
        result.claimed += len(batch)
        _send_batch(batch, result)
    if result.claimed or result.expired:
        logger.info("Alert delivery: %s", result)
    return result


def claim_digests(now: datetime.datetime, user_batch: int, run_started: datetime.datetime) -> dict[int, list[Alert]]:
    """Claim the digest rows of up to user_batch people: recipient id -> their alerts.

    Rows this run already tried and gave back (their send failed) are left for the next day's run:
    claiming them again at once would spend every attempt in one run against a server that is down.
    """
    waiting = Q(delivery=Delivery.DIGEST) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=run_started))
    with transaction.atomic():
        recipient_ids = list(
            Alert.objects.filter(waiting)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:user_batch]
        )
        if not recipient_ids:
            return {}
        ids = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(waiting, recipient_id__in=recipient_ids)
            .values_list("pk", flat=True)
        )
        Alert.objects.filter(pk__in=ids).update(delivery=Delivery.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    claimed: dict[int, list[Alert]] = defaultdict(list)
    for alert in Alert.objects.filter(pk__in=ids).select_related("recipient").order_by("due_date", "pk"):
        claimed[alert.recipient_id].append(alert)
    return claimed


def send_digests(user_batch: int = 200, *, budget_seconds: float | None = None) -> DeliveryResult:
    """One email per person gathering their digest alerts. A failed digest goes back to wait for
    the next day's run (or, after the last attempt, is marked failed)."""
    budget = settings.ALERT_DELIVERY_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    run_started = timezone.now()
    result = DeliveryResult(expired=expire_stale(run_started))
    connection = get_connection()
    try:
        while time.monotonic() - started < budget:
            claimed = claim_digests(timezone.now(), user_batch, run_started)
            if not claimed:
                break
            for alerts in claimed.values():
                result.claimed += len(alerts)
                recipient = alerts[0].recipient
                ids = [alert.pk for alert in alerts]
                claimed_at = alerts[0].claimed_at
                mine = Alert.objects.filter(pk__in=ids, delivery=Delivery.SENDING, claimed_at=claimed_at)
                problem = _undeliverable(recipient)
                if problem:
                    mine.update(delivery=Delivery.FAILED, last_error=problem)
                    result.failed += len(alerts)
                    continue
                try:
                    if not connection.send_messages([digest_email(recipient, alerts)]):
                        raise RuntimeError("The email backend did not accept the message.")
                except SoftTimeLimitExceeded:
                    mine.update(delivery=Delivery.DIGEST, claimed_at=None, attempts=F("attempts") - 1)
                    raise
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]
                    final = max(alert.attempts for alert in alerts) >= settings.ALERT_MAX_ATTEMPTS
                    mine.update(delivery=Delivery.FAILED if final else Delivery.DIGEST, last_error=error)
                    result.failed += len(alerts) if final else 0
                    result.retrying += 0 if final else len(alerts)
                else:
                    mine.update(delivery=Delivery.SENT, sent_at=timezone.now(), last_error="")
                    result.sent += len(alerts)
                    result.emails += 1
    finally:
        close_quietly(connection)
    if result.claimed or result.expired:
        logger.info("Alert digests: %s", result)
    return result


# The task that runs delivery, and how the sweep queues it, are here rather than in tasks.py, which
# runs the sweep: so the sweep and the tasks do not import each other.


@shared_task(name="alerts.deliver_alerts", ignore_result=True, time_limit=300, soft_time_limit=240)
def deliver_alerts(batch_size: int = 500) -> int:
    """Email the alerts due to go straight away; returns how many were sent."""
    return deliver_due(batch_size).sent


def queue_delivery() -> None:
    """Ask a worker to email the alerts just written, without letting a broker outage fail the
    caller: the rows are safe in the database and the next periodic run sends them."""
    try:
        deliver_alerts.apply_async(
            retry=True, retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
        )
    except Exception as exc:  # kombu raises transport-specific errors for a broker that is down.
        logger.warning(
            "Could not queue alert delivery (%s: %s); the next periodic run will send them.", type(exc).__name__, exc
        )
