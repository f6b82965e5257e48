"""Archive pipeline: write each article, the new URLs of a copy, or a known article's new version.

It also listens for rejected pages (not articles, irrelevant) and remembers their URLs, so the next
crawl skips them before fetching.

Writes are committed in batches: one commit every ARCHIVE_COMMIT_INTERVAL seconds (0: a commit per
page). Each page's writes are still whole or absent (a savepoint within the batch). A commit costs
nearly as much for one article as for fifty: an article's 48 similarity-index rows land on 48 pages
of that index, and the articles after it dirty the same pages again. On the throughput mirror,
commits per page took a large share of the crawl process's time (bench/RESULTS.md, Throughput). What
a batch risks: a crawl killed outright loses the writes since the last commit, which the archive
then never claimed, so the next crawl fetches those pages again; a batch that cannot be committed
(disk full) counts its pages as failed, like the page whose write failed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro

from archive import Archive, NewArticle, RawPage
from archive import stories as story_index
from archive.batch import Batch
from crawler import counts
from crawler.items import ArticleItem, PageItem
from crawler.urls import canonical_url
from pipelines import Rejected
from pipelines.run_recorder import STAT_ARCHIVE_ERROR
from pipelines.session import ArchiveSession, archive_session

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(
        self,
        session: ArchiveSession,
        stats: StatsCollector | None,
        *,
        commit_interval: float = 0.0,
    ) -> None:
        self.session = session
        self.archive_path = session.path
        self.commit_interval = commit_interval
        # Since the last commit: (source, count, URL) of each page counted as stored or duplicate.
        self.uncommitted: list[tuple[str, str, str]] = []
        self.batch_started = 0.0
        self.commit_timer: asyncio.TimerHandle | None = None
        self.stats = stats
        self.archive: Archive | None = None
        self.batch: Batch | None = None
        self.crawler: Crawler | None = None
        self.failed: str | None = None  # the archive's error, once a write failed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(
            archive_session(crawler),
            crawler.stats,
            commit_interval=crawler.settings.getfloat("ARCHIVE_COMMIT_INTERVAL"),
        )
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        self.archive = self.session.archive  # dedup's connection too
        self.batch = self.archive.batch()
        self._index_search()  # what a killed crawl stored and never indexed

    def close_spider(self) -> None:
        if self.archive is not None:
            self.commit()
            if self.failed is None:
                self._index_search()
            self.archive = self.batch = None  # the session closes it when the crawl has closed

    def _index_search(self) -> None:
        assert self.archive is not None
        try:
            indexed = self.archive.index_search()
        except sqlite3.Error as exc:
            # Nothing lost: search reads unindexed articles directly; the next crawl indexes them.
            logger.warning(
                "archive %s: search index not updated (%s); the next crawl will do it",
                self.archive_path,
                _sqlite_error(exc),
            )
            return
        if indexed:
            logger.info("indexed %d new articles for search", indexed)

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        if self.failed is not None:
            counts.count(self.stats, item.source, "failed")
            raise DropItem(f"not stored, the archive failed: {item.article.url}", log_level="DEBUG")
        try:
            self._begin()
            assert self.batch is not None
            with self.batch.page():  # this page's writes whole or absent, whatever the batch's fate
                stored = self._store(item)
        except sqlite3.Error as exc:
            # Disk full, locked past the busy timeout, I/O error: this page's writes rolled back,
            # so nothing is half-written; later writes would fail the same way, so stop the crawl.
            self._archive_failed(f"cannot store {item.article.url}: {_sqlite_error(exc)}")
            counts.count(self.stats, item.source, "failed")
            self._end_failed_batch()
            raise DropItem(f"not stored: {item.article.url}", log_level="DEBUG") from exc
        self._commit_if_due()
        return stored

    # --- batched commits --------------------------------------------------------------------

    def _begin(self) -> None:
        """Open a batch for the writes that follow, unless one is open or batches are off."""
        assert self.batch is not None
        if self.commit_interval <= 0 or not self.batch.begin():
            return
        self.batch_started = time.monotonic()
        try:  # while the crawl waits on the network, the timer commits what is waiting
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a pipeline driven by hand): commits at writes
            return
        self.commit_timer = loop.call_later(self.commit_interval, self.commit)

    def _commit_if_due(self) -> None:
        if time.monotonic() - self.batch_started >= self.commit_interval:
            self.commit()

    def commit(self) -> None:
        """Commit the open batch; if that fails, its pages count as failed and the crawl stops."""
        if self.commit_timer is not None:
            self.commit_timer.cancel()
            self.commit_timer = None
        if self.batch is None or not self.batch.open:
            self.uncommitted.clear()
            return
        try:
            self.batch.commit()
        except sqlite3.Error as exc:
            self._batch_lost(exc)
            return
        self.uncommitted.clear()

    def _end_failed_batch(self) -> None:
        """After a failed write: keep the batch's earlier pages if SQLite still can."""
        assert self.batch is not None
        if self.batch.open:
            self.commit()
        elif self.uncommitted:  # SQLite rolled the whole transaction back itself (a full disk)
            self._uncount(self.uncommitted)
            self.uncommitted.clear()

    def _batch_lost(self, exc: sqlite3.Error) -> None:
        assert self.batch is not None
        self.batch.rollback()
        lost, self.uncommitted = self.uncommitted, []
        if not lost:
            what = "the records of rejected pages"
        elif len(lost) == 1:
            what = lost[0][2]
        else:
            what = f"{len(lost)} pages ({lost[0][2]} and {len(lost) - 1} more)"
        self._archive_failed(f"cannot store {what}: {_sqlite_error(exc)}")
        self._uncount(lost)

    def _uncount(self, lost: list[tuple[str, str, str]]) -> None:
        for source, name, url in lost:
            counts.count(self.stats, source, name, -1)
            counts.count(self.stats, source, "failed")
            logger.info("not stored after all (its batch was rolled back): %s", url)

    def _stored(self, item: ArticleItem, name: str) -> None:
        counts.count(self.stats, item.source, name)
        self.uncommitted.append((item.source, name, item.article.url))

    def _archive_failed(self, what: str) -> None:
        if self.failed is not None:
            return
        self.failed = f"archive {self.archive_path}: {what}"
        logger.error("%s; stopping the crawl", self.failed)  # the one line that says it
        if self.stats is not None:
            self.stats.set_value(STAT_ARCHIVE_ERROR, self.failed)
        if self.crawler is not None and self.crawler.crawling:  # not a pipeline driven by hand
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))

    def _store(self, item: ArticleItem) -> ArticleItem:
        assert self.archive is not None
        article, page = item.article, item.page
        if item.version_of is not None:
            version_id = story_index.record_version(
                self.archive,
                item.version_of,
                title=article.title,
                text=article.text,
                modified_at=article.modified_at,
                seen_at=page.discovered_at,
            )
            self.archive.add_urls(
                item.version_of, item.urls, item.source, outlet=article.outlet, matched_by="url"
            )
            # An update is neither a new article nor a new alert; it counts as a duplicate.
            self._stored(item, "duplicates")
            logger.info(
                "article %d changed (version %d kept): %s", item.version_of, version_id, article.url
            )
            return item
        if item.duplicate_of is not None:
            added = self.archive.add_urls(
                item.duplicate_of,
                item.urls,
                item.source,
                outlet=article.outlet,
                matched_by=item.duplicate_reason or "url",
                similarity=item.similarity,
            )
            self._stored(item, "duplicates")
            logger.info(
                "duplicate of article %d (%s): %s, %d new URL(s)",
                item.duplicate_of,
                item.duplicate_reason,
                article.url,
                added,
            )
            return item
        relevance = item.relevance or 0  # None: no relevance stage ran (no watch terms)
        stored = self.archive.add_article(
            NewArticle(
                url=article.url,
                title=article.title,
                text=article.text,
                published_at=article.published_at,
                modified_at=article.modified_at,
                outlet=article.outlet,
                author=article.author,
                original_url=article.original_url,
                source=page.source,
                discovered_via=page.discovered_via,
                relevance=relevance,
                other_urls=item.urls[1:],
                page=RawPage(
                    url=page.final_url,
                    status=page.status,
                    content_type=page.headers.get("content-type", ""),
                    body=page.body,
                    packed=item.packed_page,
                ),
            ),
            seen_at=page.discovered_at,
            story_id=item.story_id,
            sketch=item.sketch,
            alert=item.alert_channels,  # chosen by the alert routing stage (pipelines/alerts.py)
            watches=[(m.watch, m.where) for m in item.watches or ()],
        )
        item.article_id, item.story_is_new = stored.article_id, stored.story_is_new
        item.story_id = stored.story_id
        self._stored(item, "new")
        logger.info(
            "stored article %d in story %d%s: %s (%s)",
            stored.article_id,
            stored.story_id,
            " (new)" if stored.story_is_new else "",
            article.title,
            article.url,
        )
        return item

    def item_dropped(self, item: object, exception: BaseException) -> None:
        if not isinstance(exception, Rejected) or self.archive is None:
            return
        if isinstance(item, ArticleItem):
            urls, source = item.urls, item.source
        elif isinstance(item, PageItem):
            if exception.reason == "not_article" and not item.remember_not_article:
                return
            pages = (item.url, item.final_url, *item.lead_urls)
            urls = tuple(dict.fromkeys(canonical_url(url) for url in pages))
            source = item.source
        else:
            return
        if self.failed is not None:
            return
        try:
            self._begin()
            self.archive.reject(
                urls, reason=exception.reason, detail=exception.detail, source=source
            )
        except sqlite3.Error as exc:
            self._archive_failed(
                f"cannot record {urls[0]} as {exception.reason}: {_sqlite_error(exc)}"
            )
            self._end_failed_batch()
            return
        self._commit_if_due()


def _sqlite_error(exc: sqlite3.Error) -> str:
    """SQLite's own words and code name ("database or disk is full (SQLITE_FULL)")."""
    name = getattr(exc, "sqlite_errorname", "")
    return f"{exc} ({name})" if name else str(exc)
