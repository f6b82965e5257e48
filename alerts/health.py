"""Operational alerts: say once when a source or the crawl breaks, and once when it recovers.

A source is broken when its feed could not be read (nothing discovered, and the fetch failed or
was refused) in each of its last BROKEN_AFTER_RUNS finished crawls; it has recovered at the first
later crawl that reads it. The crawl is broken when the last BROKEN_AFTER_RUNS crawls all failed,
and recovered at the next one that finishes. (Issue 4's source health may refine "broken".)
"""

from __future__ import annotations

from typing import Any

from alerts.channels import label
from archive import Archive, outbox
from newswatch.config import Config

BROKEN_AFTER_RUNS = 3


def _feed_failed(row: dict[str, Any]) -> bool:
    return not row["discovered"] and bool(row["failed"] or row["refused"])


def check_health(archive: Archive, config: Config, *, now: str) -> None:
    """Queue source-broken/-recovered and crawl-failing/-recovered notices for every channel."""
    if not config.alerts:
        return
    db = archive.db
    channels = [outbox.ChannelRef(id=c.id, label=label(c)) for c in config.alerts]
    open_now = outbox.conditions(db)
    for source in config.sources:
        subject = f"source:{source.name}"
        history = outbox.source_history(db, source.name, runs=BROKEN_AFTER_RUNS)
        if not history:
            continue
        latest = history[0]
        if subject not in open_now:
            if len(history) == BROKEN_AFTER_RUNS and all(_feed_failed(r) for r in history):
                first = history[-1]["run_id"]
                outbox.open_condition(
                    db,
                    subject,
                    run_id=first,
                    since=now,
                    detail=f"feed unreadable in runs {first}-{latest['run_id']}",
                    notice=_notice(
                        "source-broken",
                        f"newswatch: source '{source.name}' is broken",
                        f"The feed of source '{source.name}' ({source.url}) could not be read in"
                        f" the last {BROKEN_AFTER_RUNS} crawls (#{first} to #{latest['run_id']}).",
                        "newswatch keeps trying it and will say when it works again.",
                    ),
                    channels=channels,
                )
        elif not _feed_failed(latest) and latest["run_id"] > open_now[subject]["broken_at_run"]:
            outbox.close_condition(
                db,
                subject,
                broken_at_run=open_now[subject]["broken_at_run"],
                at=now,
                notice=_notice(
                    "source-recovered",
                    f"newswatch: source '{source.name}' works again",
                    f"The feed of source '{source.name}' was read again in crawl"
                    f" #{latest['run_id']} ({latest['discovered']} items).",
                ),
                channels=channels,
            )
    _check_crawls(archive, channels, open_now, now=now)


def _check_crawls(
    archive: Archive,
    channels: list[outbox.ChannelRef],
    open_now: dict[str, dict[str, Any]],
    *,
    now: str,
) -> None:
    runs = outbox.recent_runs(archive.db, runs=BROKEN_AFTER_RUNS)
    if not runs:
        return
    if "crawl" not in open_now:
        if len(runs) == BROKEN_AFTER_RUNS and all(r["status"] == "failed" for r in runs):
            outbox.open_condition(
                archive.db,
                "crawl",
                run_id=runs[-1]["id"],
                since=now,
                detail=str(runs[0]["detail"] or ""),
                notice=_notice(
                    "crawl-failing",
                    "newswatch: crawls keep failing",
                    f"The last {BROKEN_AFTER_RUNS} crawls failed (#{runs[-1]['id']} to"
                    f" #{runs[0]['id']}); the latest said: {runs[0]['detail'] or 'failed'}.",
                ),
                channels=channels,
            )
    elif runs[0]["status"] == "ok" and runs[0]["id"] > open_now["crawl"]["broken_at_run"]:
        outbox.close_condition(
            archive.db,
            "crawl",
            broken_at_run=open_now["crawl"]["broken_at_run"],
            at=now,
            notice=_notice(
                "crawl-recovered",
                "newswatch: crawls work again",
                f"Crawl #{runs[0]['id']} finished normally.",
            ),
            channels=channels,
        )


def _notice(kind: str, subject: str, *lines: str) -> dict[str, Any]:
    return {"kind": kind, "subject": subject, "lines": list(lines)}
