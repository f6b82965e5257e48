"""Operational alerts: say once when a source or the crawl breaks, and once when it recovers.

A source is broken when `archive.health.diagnose` says so (the same rule `newswatch sources` warns
with: its own request failed in each of its last crawls, or it went quiet after yielding); it has
recovered at the first later crawl where the rule no longer holds. The crawl is broken when the
last BROKEN_AFTER_RUNS crawls all failed, and recovered at the next one that finishes.
"""

from __future__ import annotations

from typing import Any

from alerts.channels import label
from alerts.config import AlertsConfig
from archive import Archive, outbox
from archive.health import WINDOW, diagnose

BROKEN_AFTER_RUNS = WINDOW
HISTORY = 50  # runs read per source


def check_health(archive: Archive, config: AlertsConfig, *, now: str) -> None:
    """Queue source-broken/-recovered and crawl-failing/-recovered notices for every channel."""
    if not config.alerts:
        return
    db = archive.db
    channels = [outbox.ChannelRef(id=c.id, label=label(c)) for c in config.alerts]
    open_now = outbox.conditions(db)
    for source in config.sources:
        subject = f"source:{source.name}"
        # Enough history for diagnose to tell "went quiet" from "never yielded".
        history = outbox.source_history(db, source.name, runs=HISTORY)
        if not history:
            continue
        latest = history[0]
        warning = diagnose(history, BROKEN_AFTER_RUNS)
        if subject not in open_now:
            if warning:
                first = history[BROKEN_AFTER_RUNS - 1]["run_id"]
                outbox.open_condition(
                    db,
                    subject,
                    run_id=first,
                    since=now,
                    detail=f"{warning} (runs {first}-{latest['run_id']})",
                    notice=_notice(
                        "source-broken",
                        f"newswatch: source '{source.name}' is broken",
                        f"Source '{source.name}' ({source.address}) looks broken:"
                        f" {warning} (#{first} to #{latest['run_id']}).",
                        "newswatch keeps trying it and will say when it works again.",
                    ),
                    channels=channels,
                )
        elif not warning and latest["run_id"] > open_now[subject]["broken_at_run"]:
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
