"""The crawl_runs record of every crawl (an extension; it writes to the archive)."""

from __future__ import annotations

import logging
import os
import sqlite3

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from crawler import counts

STAT_RUN_ID = "newswatch/run_id"
STAT_ARCHIVE_ERROR = "newswatch/archive_error"  # set by pipelines/archive.py when a write failed

logger = logging.getLogger(__name__)


class RunRecorder:
    """Writes a crawl_runs row when the crawl opens and its counts when it closes.

    A crawl that is killed leaves its row as 'running' with its pid, which the scheduler reads as
    failed. Counts come from the per-source stats the spider and pipelines keep.
    """

    def __init__(self, crawler: Crawler, archive_path: str) -> None:
        self.crawler = crawler
        self.archive_path = archive_path
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:  # settings.py sets it; without it the run would be recorded nowhere
            raise ValueError("ARCHIVE_PATH is not set: no archive to record the crawl run in")
        recorder = cls(crawler, path)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_error, signal=signals.item_error)
        return recorder

    def spider_opened(self) -> None:
        # `newswatch crawl` writes the row before Scrapy starts (newswatch/crawl.py), which is
        # how it knows the archive takes writes before it sends a request; `scrapy crawl` does not.
        self.run_id = self.crawler.settings.getint("NEWSWATCH_RUN_ID") or None
        if self.run_id is None:
            with Archive(self.archive_path) as archive:
                self.run_id = archive.start_run(os.getpid())
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(STAT_RUN_ID, self.run_id)

    def item_error(self, item: object) -> None:
        # An unexpected exception in a pipeline: the page is lost for this crawl, so count it.
        source = getattr(item, "source", None)
        if source:
            counts.count(self.crawler.stats, source, "failed")

    def spider_closed(self, reason: str) -> None:
        if self.run_id is None or self.crawler.stats is None:
            return
        per_source = counts.per_source(self.crawler.stats.get_stats())
        totals = {
            "discovered": _sum(per_source, "discovered"),
            "fetched": _sum(per_source, "fetched"),
            "stored": _sum(per_source, "new"),
            "duplicates": _sum(per_source, "duplicates"),
            "irrelevant": _sum(per_source, "irrelevant"),
            "not_article": _sum(per_source, "not_article"),
            "refused": _sum(per_source, "refused"),
            "errors": _sum(per_source, "failed") + _sum(per_source, "feed_failed"),
        }
        stats = self.crawler.stats.get_stats()
        outcomes = {name: counts.outcome(stats, name) for name in per_source}
        status, detail = run_status(
            reason, outcomes, archive_error=self.crawler.stats.get_value(STAT_ARCHIVE_ERROR)
        )
        try:
            with Archive(self.archive_path) as archive:
                archive.finish_run(
                    self.run_id,
                    status=status,
                    counts=totals,
                    per_source=per_source,
                    outcomes={n: (o.status, o.reason) for n, o in outcomes.items()},
                    detail=detail,
                )
        except sqlite3.Error as exc:
            # The archive's fault (full, locked) may outlast the crawl; the row stays 'running' and
            # the scheduler marks it failed. Say so once instead of a traceback.
            logger.error("cannot record the end of crawl run %d: %s", self.run_id, exc)


INTERRUPTED = frozenset({"shutdown", "interrupted"})  # Scrapy's close reason for a signal


def run_status(
    reason: str, outcomes: dict[str, counts.Outcome], *, archive_error: str | None = None
) -> tuple[str, str]:
    """A crawl's status and detail from how it closed and what became of each source.

    ok: every source that ran was read. partial: some could not be read (the others were).
    failed: none could be read or run (nothing was monitored), or the archive failed.
    interrupted: stopped by a signal before it finished.
    """
    if archive_error:
        return "failed", archive_error
    if reason in INTERRUPTED:
        return "interrupted", "stopped by a signal before it finished"
    if reason != "finished":
        return "failed", f"closed: {reason}"
    failed = sorted(name for name, o in outcomes.items() if o.status == "failed")
    read = [name for name, o in outcomes.items() if o.status == "ok"]
    if not read:
        off = sorted(name for name, o in outcomes.items() if o.status == "off")
        what = []
        if failed:
            what.append(f"{len(failed)} failed ({', '.join(failed)})")
        if off:
            what.append(f"{len(off)} off ({', '.join(off)})")
        return "failed", "no source could be read: " + ("; ".join(what) or "no sources")
    if failed:
        return "partial", f"{len(failed)} of {len(outcomes)} sources failed: {', '.join(failed)}"
    return "ok", ""


def _sum(per_source: dict[str, dict[str, int]], name: str) -> int:
    return sum(table.get(name, 0) for table in per_source.values())
