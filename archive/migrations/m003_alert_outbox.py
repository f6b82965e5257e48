"""The alert outbox and the conditions currently alerted as broken."""

from __future__ import annotations

from sqlite_utils import Database


def m003_alert_outbox(db: Database) -> None:
    # The alert outbox (DESIGN.md, "Alerts"): the crawl writes one row per message to send, in the
    # same transaction as the article; delivery sends due rows and marks them. One row per
    # channel, story and kind, so enqueueing twice is a no-op.
    db.table("alert_outbox").create(
        {
            "id": int,
            "channel": str,  # hash of the [[alerts]] url as written; never the expanded URL
            "channel_label": str,  # the URL with secrets masked, for people
            "story_key": str,  # article:<id> until stories land; source:<name>:<run> for notices
            "kind": str,  # story | grew:<outlets> | source-broken | source-recovered | crawl-…
            "article_id": int,
            "payload": str,  # JSON facts for notices (no article)
            "idempotency_key": str,
            "status": str,  # pending | sent | failed
            "attempts": int,
            "next_attempt_at": str,  # ISO 8601 KST; due when <= now (also the send lease)
            "last_error": str,  # secrets masked
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"channel", "story_key", "kind", "status", "attempts", "created_at"},
    )
    db.table("alert_outbox").create_index(["channel", "story_key", "kind"], unique=True)
    db.table("alert_outbox").create_index(["channel", "status", "next_attempt_at"])
    # Conditions currently alerted as broken (a source, or the crawl itself), so each break is
    # announced once and its recovery once.
    db.table("alert_conditions").create(
        {"subject": str, "broken_at_run": int, "since": str, "detail": str},
        pk="subject",
        not_null={"broken_at_run", "since"},
    )
