"""The alert outbox's SQL: enqueue messages with their article, claim due ones, mark the outcome."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

PENDING, SENT, FAILED = "pending", "sent", "failed"
STORY = "story"


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """What the archive keeps of a channel: its id (a hash) and a masked label, never the URL."""

    id: str
    label: str
    follow_up_outlets: int = 0  # a follow-up each time the story gains this many outlets; 0: never


def message_key(channel_id: str, story_key: str, kind: str) -> str:
    """The stable idempotency key of one message: the same on every retry, after any crash."""
    digest = hashlib.sha256(f"{channel_id}\n{story_key}\n{kind}".encode()).hexdigest()
    return f"newswatch-{digest[:32]}"


def story_key(story_id: int) -> str:
    """Messages are about stories: one per story and channel, however many outlets carry it."""
    return f"story:{story_id}"


def follow_up_kind(outlets_now: int, step: int) -> str | None:
    """'grew:<n>' when a story now covered by n outlets has grown by a multiple of `step` since
    its first message (which had one outlet), else None: one follow-up per `step` outlets, not
    one per article. The kind is part of the outbox key, so each follow-up is queued once."""
    grown = outlets_now - 1
    return f"grew:{outlets_now}" if step > 0 and grown > 0 and grown % step == 0 else None


def enqueue_story(
    db: Database,
    story_key: str,
    article_id: int,
    channels: Iterable[ChannelRef],
    *,
    created_at: str,
    kind: str = STORY,
) -> int:
    """Queue one message about a story per channel; returns how many rows were new.

    Called by Archive.add_article inside the article's transaction, so an article is never
    stored without its alerts or the other way round. A row that exists is left alone.
    """
    return _enqueue(db, story_key, kind, channels, created_at, article_id=article_id)


def enqueue_notice(
    db: Database,
    story_key: str,
    kind: str,
    payload: Mapping[str, Any],
    channels: Iterable[ChannelRef],
    *,
    created_at: str,
) -> int:
    """Queue an operational message (a source broke or recovered) per channel."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return _enqueue(db, story_key, kind, channels, created_at, payload=text)


def _enqueue(
    db: Database,
    story_key: str,
    kind: str,
    channels: Iterable[ChannelRef],
    created_at: str,
    *,
    article_id: int | None = None,
    payload: str | None = None,
) -> int:
    added = 0
    for channel in channels:
        cursor = db.execute(
            "insert or ignore into alert_outbox (channel, channel_label, story_key, kind,"
            " article_id, payload, idempotency_key, status, attempts, next_attempt_at,"
            " created_at) values (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
            [
                channel.id,
                channel.label,
                story_key,
                kind,
                article_id,
                payload,
                message_key(channel.id, story_key, kind),
                created_at,
                created_at,
            ],
        )
        added += cursor.rowcount
    return added


def claim_due(db: Database, channel: str, *, now: str, lease_until: str) -> list[dict[str, Any]]:
    """The channel's pending messages due at `now`, oldest first, leased until `lease_until`.

    The lease (next_attempt_at pushed forward) keeps a second delivery process that runs at the
    same time from sending the same rows; a process that dies mid-send frees them when it ends.
    """
    with db.atomic():
        rows = list(
            db.query(
                "select * from alert_outbox where channel = ? and status = 'pending'"
                " and next_attempt_at <= ? order by id",
                [channel, now],
            )
        )
        for row in rows:
            db.execute(
                "update alert_outbox set next_attempt_at = ? where id = ?", [lease_until, row["id"]]
            )
    return rows


def mark_sent(db: Database, ids: Sequence[int], *, at: str) -> None:
    with db.atomic():
        for row_id in ids:
            db.execute(
                "update alert_outbox set status = 'sent', sent_at = ?, attempts = attempts + 1,"
                " next_attempt_at = null where id = ?",
                [at, row_id],
            )


def mark_attempt_failed(
    db: Database, ids: Sequence[int], *, error: str, retry_at: str, max_attempts: int
) -> None:
    """Count a failed attempt; after `max_attempts` the message is failed and no longer retried."""
    with db.atomic():
        for row_id in ids:
            db.execute(
                "update alert_outbox set attempts = attempts + 1, last_error = ?,"
                " next_attempt_at = ?,"
                " status = case when attempts + 1 >= ? then 'failed' else 'pending' end"
                " where id = ?",
                [error, retry_at, max_attempts, row_id],
            )


def release(db: Database, ids: Sequence[int], *, at: str) -> None:
    """Give leased rows back without counting an attempt (e.g. delivery stopped before them)."""
    with db.atomic():
        for row_id in ids:
            db.execute(
                "update alert_outbox set next_attempt_at = ? where id = ? and status = 'pending'",
                [at, row_id],
            )


def story_articles(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The articles of the story this article belongs to, first seen first (itself if none),
    each with the watches it matches (names, in order)."""
    articles = list(
        db.query(
            "select id, url, title, text, published_at, outlet, first_seen_at from articles"
            " where id = ? or (story_id is not null"
            " and story_id = (select story_id from articles where id = ?))"
            " order by first_seen_at, id",
            [article_id, article_id],
        )
    )
    for article in articles:
        article["watches"] = [
            row[0]
            for row in db.execute(
                "select watch from article_watches where article_id = ? order by watch",
                [article["id"]],
            )
        ]
    return articles


def status(db: Database) -> list[dict[str, Any]]:
    """Per channel: its label and how many messages are pending, sent and failed."""
    return list(
        db.query(
            "select channel, max(channel_label) as label,"
            " sum(status = 'pending') as pending, sum(status = 'sent') as sent,"
            " sum(status = 'failed') as failed from alert_outbox group by channel order by label"
        )
    )


def failed(db: Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select channel, channel_label, story_key, kind, attempts, last_error, created_at"
            " from alert_outbox where status = 'failed' order by id"
        )
    )


def is_backfill(db: Database, run_id: int | None) -> bool:
    """True for the first crawl run recorded in the archive: its articles are not alerted."""
    row = db.execute("select min(id) from crawl_runs").fetchone()
    return row is not None and row[0] == run_id


# --- health: the inputs and state of source-broken / source-recovered notices ------------------


def source_history(db: Database, source: str, *, runs: int) -> list[dict[str, Any]]:
    """The source's rows in its latest finished runs, newest first."""
    return list(
        db.query(
            "select s.run_id, s.discovered, s.failed, s.refused, s.feed_failed, s.not_modified,"
            " s.skipped from crawl_run_sources s"
            " join crawl_runs r on r.id = s.run_id where s.source = ?"
            " and r.status != 'running' order by s.run_id desc limit ?",
            [source, runs],
        )
    )


def recent_runs(db: Database, *, runs: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select id, status, detail from crawl_runs where status != 'running'"
            " order by id desc limit ?",
            [runs],
        )
    )


def conditions(db: Database) -> dict[str, dict[str, Any]]:
    return {row["subject"]: row for row in db.query("select * from alert_conditions")}


def open_condition(
    db: Database,
    subject: str,
    *,
    run_id: int,
    since: str,
    detail: str,
    notice: Mapping[str, Any],
    channels: Sequence[ChannelRef],
) -> None:
    """Record a broken subject and queue its one 'broken' message per channel, together."""
    with db.atomic():
        db.execute(
            "insert or ignore into alert_conditions (subject, broken_at_run, since, detail)"
            " values (?, ?, ?, ?)",
            [subject, run_id, since, detail],
        )
        enqueue_notice(
            db,
            f"{subject}:{run_id}",
            notice["kind"],
            notice,
            channels,
            created_at=since,
        )


def close_condition(
    db: Database,
    subject: str,
    *,
    broken_at_run: int,
    at: str,
    notice: Mapping[str, Any],
    channels: Sequence[ChannelRef],
) -> None:
    """Forget a recovered subject and queue its one 'recovered' message per channel, together."""
    with db.atomic():
        db.execute("delete from alert_conditions where subject = ?", [subject])
        enqueue_notice(
            db,
            f"{subject}:{broken_at_run}",
            notice["kind"],
            notice,
            channels,
            created_at=at,
        )
