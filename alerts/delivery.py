"""Delivery: send each channel's due outbox messages through apprise and mark the outcome.

A message is marked sent in its own transaction right after apprise reports success. A crash
between the two leaves it pending, so it is sent again: generic JSON webhooks get the same
Idempotency-Key and can drop the copy; other services may show it twice, never zero times.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import apprise

from alerts import compose
from alerts.channels import apprise_log, body_format, delivery_url, label, mask
from alerts.config import AlertChannel, AlertsConfig
from alerts.health import check_health
from archive import KST, Archive, outbox, words

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_BACKOFF = timedelta(hours=6)
LEASE = timedelta(minutes=10)  # a delivery that dies mid-send frees its messages after this


def _now() -> datetime:
    return datetime.now(KST)


def _iso(moment: datetime) -> str:
    return moment.astimezone(KST).isoformat(timespec="seconds")


@dataclass
class ChannelOutcome:
    label: str
    sent: int = 0
    failed_attempts: int = 0
    gave_up: int = 0
    error: str = ""


@dataclass
class DeliveryReport:
    channels: list[ChannelOutcome] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(c.sent for c in self.channels)


def send_message(channel: AlertChannel, message: compose.Message, *, key: str) -> str | None:
    """Send one message now; None when the service took it, else the reason (secrets masked)."""
    fmt = body_format(channel)
    with apprise_log() as log:
        notifier = apprise.Apprise()
        if not notifier.add(delivery_url(channel, key)):
            return "apprise could not use this URL"
        try:
            ok = notifier.notify(body=message.body(fmt), title=message.subject, body_format=fmt)
        except Exception as exc:  # a plugin bug must not stop the other channels
            return mask(f"apprise raised {type(exc).__name__}: {exc}", channel)[:500]
    if ok:
        return None
    lines = [line for line in log.getvalue().splitlines() if line.strip()]
    return mask(" | ".join(lines[-3:]) or "apprise reported a failure", channel)[:500]


def deliver(config: AlertsConfig, *, clock: Clock = _now) -> DeliveryReport:
    """Send every configured channel's due messages; check source health first.

    Stable entry point for the scheduler (issue 6) and `newswatch alerts send`: keep this name
    and signature. A failing channel keeps its messages for a later run and does not hold up
    the others.
    """
    report = DeliveryReport()
    if not config.alerts:
        return report
    with Archive(config.archive_path) as archive:
        check_health(archive, config, now=_iso(clock()))
        for channel in config.alerts:
            report.channels.append(_deliver_channel(archive, channel, clock))
    return report


def _deliver_channel(archive: Archive, channel: AlertChannel, clock: Clock) -> ChannelOutcome:
    outcome = ChannelOutcome(label=label(channel))
    now = clock()
    rows = outbox.claim_due(archive.db, channel.id, now=_iso(now), lease_until=_iso(now + LEASE))
    if not rows:
        return outcome
    batches: list[list[dict[str, Any]]]
    if channel.mode == "digest":
        stories = [r for r in rows if r["article_id"] is not None]
        notices = [[r] for r in rows if r["article_id"] is None]
        batches = ([stories] if stories else []) + notices
    else:
        batches = [[r] for r in rows]
    for index, batch in enumerate(batches):
        ids = [r["id"] for r in batch]
        message = _message(archive, batch, digest=channel.mode == "digest")
        key = batch[0]["idempotency_key"] if len(batch) == 1 else _batch_key(channel, batch)
        error = (
            send_message(channel, message, key=key)
            if message
            else "the article is no longer in the archive"
        )
        if error is None:
            outbox.mark_sent(archive.db, ids, at=_iso(clock()))
            outcome.sent += len(ids)
            continue
        attempts = batch[0]["attempts"] + 1
        # Capped in seconds before a timedelta is made: 60 s doubled 99 times overflows one.
        wait = min(MAX_BACKOFF.total_seconds(), channel.backoff * 2.0 ** min(attempts - 1, 64))
        retry_at = clock() + timedelta(seconds=wait)
        outbox.mark_attempt_failed(
            archive.db, ids, error=error, retry_at=_iso(retry_at), max_attempts=channel.max_attempts
        )
        outcome.failed_attempts += len(ids)
        outcome.gave_up += sum(1 for r in batch if r["attempts"] + 1 >= channel.max_attempts)
        outcome.error = error
        logger.warning("alert to %s failed (attempt %d): %s", outcome.label, attempts, error)
        # The channel is down: keep the rest, in order, for the next run.
        rest = [r["id"] for later in batches[index + 1 :] for r in later]
        outbox.release(archive.db, rest, at=_iso(retry_at))
        break
    return outcome


def _batch_key(channel: AlertChannel, batch: Sequence[dict[str, Any]]) -> str:
    # Stable while the digest holds the same messages (a retry of it); new messages make a new key.
    return outbox.message_key(channel.id, ",".join(str(r["id"]) for r in batch), "digest")


def _message(
    archive: Archive, batch: Sequence[dict[str, Any]], *, digest: bool
) -> compose.Message | None:
    if batch[0]["article_id"] is None:
        payload = json.loads(batch[0]["payload"] or "{}")
        return compose.notice(str(payload.get("subject", "newswatch")), payload.get("lines", []))
    stories = [outbox.story_articles(archive.db, r["article_id"]) for r in batch]
    if not all(stories):
        return None
    labels = words.labels_of_articles(archive.db, [r["article_id"] for r in batch])
    if digest:
        return compose.digest(stories, labels)
    return compose.story(
        stories[0], follow_up=batch[0]["kind"].startswith("grew:"), label=labels[0]
    )


def send_test(channels: Sequence[AlertChannel]) -> dict[str, str | None]:
    """Send the sample message to each channel now (outside the outbox); label → error or None."""
    sample = compose.sample()
    stamp = _iso(_now())
    return {
        label(c): send_message(c, sample, key=outbox.message_key(c.id, f"test:{stamp}", "test"))
        for c in channels
    }
