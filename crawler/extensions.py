"""Crawl extensions: the crawl_runs record of every crawl."""

from __future__ import annotations

import logging
import os
import sqlite3

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

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
        if not path:
            raise NotConfigured("ARCHIVE_PATH is not set")
        recorder = cls(crawler, path)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_error, signal=signals.item_error)
        return recorder

    def spider_opened(self) -> None:
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
        status = "ok" if reason == "finished" else "failed"
        detail = self.crawler.stats.get_value(STAT_ARCHIVE_ERROR) or (
            "" if reason == "finished" else f"closed: {reason}"
        )
        try:
            with Archive(self.archive_path) as archive:
                archive.finish_run(
                    self.run_id, status=status, counts=totals, per_source=per_source, detail=detail
                )
        except sqlite3.Error as exc:
            # The archive's fault (full, locked) may outlast the crawl; the row stays 'running' and
            # the scheduler marks it failed. Say so once instead of a traceback.
            logger.error("cannot record the end of crawl run %d: %s", self.run_id, exc)


def _sum(per_source: dict[str, dict[str, int]], name: str) -> int:
    return sum(table.get(name, 0) for table in per_source.values())
