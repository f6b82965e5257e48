"""Source health: from each source's recent crawl_run_sources rows, is it working?

A site redesign or a block must not go unnoticed. Two symptoms count, each over the last
`window` crawls of the source: its own request (feed, sitemap, API) failed every time, or it
discovered nothing every time (304 answers excepted) although it used to discover articles.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from archive.store import Archive

WINDOW = 3  # crawls; one failure is weather, three in a row is a broken source


@dataclass(frozen=True, slots=True)
class SourceHealth:
    name: str
    runs: int  # crawls that included this source
    last_run_at: str | None
    last_success_at: str | None  # last crawl where its own request worked
    last_new_at: str | None  # when it last found a new article
    discovered_last: int  # items in the last crawl
    warning: str | None  # why it looks broken, or None
    last_status: str | None = None  # ok, failed or off at its last crawl (None: never crawled)
    last_reason: str = ""  # why it failed or was off at its last crawl
    failing_since: str | None = None  # start of the first crawl of its current run of failures


def diagnose(rows: Sequence[dict[str, Any]], window: int = WINDOW) -> str | None:
    """The warning for a source's runs, newest first (a pure function)."""
    recent = rows[:window]
    if len(recent) < window:
        return None
    if all(r["feed_failed"] or (r["refused"] and not r["discovered"]) for r in recent):
        return f"its own request failed in the last {window} crawls"
    if all(r["skipped"] for r in recent):
        return None  # not configured to run (e.g. no credentials): said once per crawl already
    quiet = all(not r["discovered"] and not r["not_modified"] for r in recent)
    used_to = any(r["discovered"] for r in rows[window:])
    if quiet and used_to:
        return f"it found no items in the last {window} crawls, after finding some before"
    return None


def source_health(
    archive: Archive, names: Iterable[str], window: int = WINDOW
) -> list[SourceHealth]:
    report = []
    for name in names:
        rows = [
            dict(
                zip(
                    (
                        "started_at",
                        "discovered",
                        "new",
                        "feed_failed",
                        "refused",
                        "skipped",
                        "not_modified",
                        "status",
                        "reason",
                    ),
                    row,
                    strict=True,
                )
            )
            for row in archive.db.execute(
                "select r.started_at, s.discovered, s.new, s.feed_failed, s.refused, s.skipped,"
                " s.not_modified, s.status, s.reason"
                " from crawl_run_sources s join crawl_runs r on r.id = s.run_id"
                " where s.source = ? order by r.id desc limit 50",
                [name],
            )
        ]
        failing = list(itertools.takewhile(lambda r: r["status"] == "failed", rows))
        success = next(
            (r["started_at"] for r in rows if not r["feed_failed"] and not r["skipped"]), None
        )
        new_at = archive.db.execute(
            "select max(first_seen_at) from articles where source = ?", [name]
        ).fetchone()[0]
        report.append(
            SourceHealth(
                name=name,
                runs=len(rows),
                last_run_at=rows[0]["started_at"] if rows else None,
                last_success_at=success,
                last_new_at=new_at,
                discovered_last=rows[0]["discovered"] or 0 if rows else 0,
                warning=diagnose(rows, window),
                last_status=rows[0]["status"] if rows else None,
                last_reason=(rows[0]["reason"] or "") if rows else "",
                failing_since=failing[-1]["started_at"] if failing else None,
            )
        )
    return report
