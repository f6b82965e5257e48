"""Extract pipeline: a fetched page becomes an Article, or is rejected as not an article.

Reading a page is CPU-bound and pure (bytes in; a bot challenge, or an Article with its relevance
score and, if relevant, its dedup sketch, out), so it runs in a pool of worker processes
(EXTRACT_WORKERS, default one per core) that the pipeline awaits; the reactor keeps downloading
and archiving while the workers parse. The crawl process does not parse article pages itself
(the newsroom probe, which must know whether a number is published before it moves on, excepted).
EXTRACT_WORKERS = 0 reads pages in-process.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from functools import partial
from typing import TypeVar

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler import counts
from crawler.claims import may_claim, syndicates
from crawler.items import ArticleItem, PageItem
from crawler.reading import Reading, Watch, read_for_crawl, start_worker
from crawler.urls import canonical_url
from crawler.watch import Watches
from crawler.workers import extract_workers, worker_context
from pipelines import Rejected

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")
Reader = Callable[[bytes, str, Mapping[str, str]], Reading]
T = TypeVar("T")


class ExtractorPool:
    """Worker processes that read pages (`read_for_crawl`), rebuilt when one dies.

    Workers are started by a fork server (spawn where there is none), never forked from the crawl
    process itself: that one runs an event loop and threads, which a plain fork copies half-way.
    When a worker dies (a segfault in lxml, the OOM killer), every page in flight fails with
    BrokenProcessPool; each is then retried alone in a one-worker quarantine pool, so only the page
    that kills a worker there is counted failed and the crawl goes on.
    """

    def __init__(self, workers: int, function: Reader = read_for_crawl) -> None:
        self.context = worker_context()
        self.workers = workers
        # Pickled by name: a module-level function or a partial of one (tests swap it).
        self.function = function
        self.pool = self._new_pool(workers)
        self.quarantine: ProcessPoolExecutor | None = None
        self.quarantine_lock = asyncio.Lock()

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            workers, mp_context=self.context, initializer=start_worker, initargs=(os.getpid(),)
        )
        # The executor starts a worker per task submitted while none is idle: start them all now,
        # while the crawl fetches its feeds, rather than when the first pages arrive.
        for _ in range(workers):
            pool.submit(int)
        return pool

    async def read(self, body: bytes, url: str, headers: Mapping[str, str]) -> Reading:
        """function(body, url, headers) in a worker; raises BrokenProcessPool for a killer page."""
        return await self.call(self.function, body, url, dict(headers))

    async def call(self, function: Callable[..., T], *args: object) -> T:
        """function(*args) in a worker (both picklable); raises BrokenProcessPool if it kills
        the worker alone in the quarantine pool too."""
        pool = self.pool
        try:
            return await _run(pool, function, *args)
        except BrokenProcessPool:
            if self.pool is pool:  # the first task to notice replaces the broken pool
                pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool(self.workers)
        async with self.quarantine_lock:
            if self.quarantine is None:
                self.quarantine = self._new_pool(1)
            try:
                return await _run(self.quarantine, function, *args)
            except BrokenProcessPool:
                self.quarantine.shutdown(wait=False, cancel_futures=True)
                self.quarantine = None
                raise

    def close(self) -> None:
        for pool in (self.pool, self.quarantine):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


async def _run(pool: ProcessPoolExecutor, function: Callable[..., T], *args: object) -> T:
    future: Future[T] = pool.submit(function, *args)
    return await asyncio.wrap_future(future)


class ExtractPipeline:
    def __init__(
        self, stats: StatsCollector | None, workers: int = 0, watch: Watch | None = None
    ) -> None:
        self.stats = stats
        self.workers = workers
        # With a watch, the worker scores each article (the relevance stage reads the score) and
        # skips the sketch and packing of those that stage will drop. Without one, all get them.
        self.read: Reader = partial(read_for_crawl, watch=watch)
        self.extractors: ExtractorPool | None = None
        # Done when the page that came in last has left this stage; see process_item.
        self.last_turn: asyncio.Future[None] | None = None
        self.crawler: Crawler | None = None  # to ask the spider for a portal copy's original

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        settings = crawler.settings
        watches = Watches.from_settings(
            settings.getlist("WATCHES"), settings.getlist("WATCH_TERMS")
        )
        min_score = settings.getint("WATCH_MIN_SCORE", 1)
        watch = Watch(watches, min_score) if watches is not None else None
        pipeline = cls(crawler.stats, extract_workers(settings.get("EXTRACT_WORKERS")), watch)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        if self.workers > 0:
            self.extractors = ExtractorPool(self.workers, self.read)

    def close_spider(self) -> None:
        if self.extractors is not None:
            self.extractors.close()
            self.extractors = None

    async def parse(self, function: Callable[..., T], *args: object) -> T:
        """function(*args) in a worker, or here when the crawl has none: for the spider's other
        pure parsing (feeds), which would otherwise hold the reactor."""
        if self.extractors is None:
            return function(*args)
        return await self.extractors.call(function, *args)

    async def process_item(self, item: object) -> object:
        if not isinstance(item, PageItem):
            return item
        if self.extractors is None:
            self._check_type(item)
            reading = self.read(item.body, item.final_url, item.headers)
            return self._article_item(item, reading)
        # Pages are read side by side, yet each waits for the one that came in before it to
        # leave this stage before it goes on itself: dedup and the archive see pages in the order
        # they came, so articles get the same ids and stories whichever worker finished first
        # (a crawl with workers stores exactly what one without them does). The later stages are
        # synchronous, so a page has been archived (or dropped) by the time the next one goes on.
        previous = self.last_turn
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.last_turn = turn
        try:
            try:
                self._check_type(item)
                reading = await self._read_in_worker(self.extractors, item)
            finally:
                if previous is not None:
                    await previous
            return self._article_item(item, reading)
        finally:
            turn.set_result(None)  # its waiter runs after this page's later stages

    async def _read_in_worker(self, extractors: ExtractorPool, item: PageItem) -> Reading:
        try:
            return await extractors.read(item.body, item.final_url, item.headers)
        except BrokenProcessPool:
            # Counted "failed" like any page an error loses to this crawl.
            counts.count(self.stats, item.source, "failed")
            logger.error("extraction of %s killed its worker process: page skipped", item.url)
            # A plain drop, not a Rejected one: the page is not remembered, so the next crawl
            # tries it again (the worker may have died of something else, e.g. memory).
            raise DropItem(
                f"{item.final_url} killed an extraction worker", log_level="DEBUG"
            ) from None

    def _check_type(self, item: PageItem) -> None:
        media_type = item.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in _HTML_TYPES:
            counts.count(self.stats, item.source, "not_article")
            raise Rejected("not_article", f"{item.final_url} is {media_type}, not HTML")

    def _own_address(self, item: PageItem, claimed: str) -> str:
        """The page's rel=canonical / og:url, if it names its own site; else where it was
        fetched from. A claim on another site's address would make this page that article."""
        claimed = canonical_url(claimed)
        if may_claim(item.final_url, claimed):
            return claimed
        self._claim_ignored(item, claimed, "its own address")
        return canonical_url(item.final_url)

    def _original_address(self, item: PageItem, original: str | None) -> str | None:
        """The outlet article a portal copy names (Naver's link), if its host syndicates."""
        if original is None or syndicates(item.final_url):
            return original
        self._claim_ignored(item, original, "the article it copies")
        return None

    def _claim_ignored(self, item: PageItem, claimed: str, as_what: str) -> None:
        counts.count(self.stats, item.source, "claim_ignored")
        if self.stats is not None:
            self.stats.inc_value("extract/claim_ignored")
        logger.warning(
            "source %s: %s names %s as %s, on another site: claim ignored",
            item.source,
            item.final_url,
            claimed,
            as_what,
        )

    def _article_item(self, item: PageItem, reading: Reading) -> ArticleItem:
        if reading.challenge:
            # A fault, not a verdict on the page: counted as failed, not remembered, tried again
            # next crawl. (An empty body never gets here: the spider counts it as failed.)
            counts.count(self.stats, item.source, "failed")
            logger.error(
                "source %s: cannot use %s: a bot challenge (HTTP %d)",
                item.source,
                item.final_url,
                item.status,
            )
            raise DropItem(f"a bot challenge: {item.final_url}", log_level="DEBUG")
        article = reading.article
        if article is None:
            counts.count(self.stats, item.source, "not_article")
            read_original = getattr(self.crawler and self.crawler.spider, "read_original", None)
            if read_original is not None and read_original(item):
                # A portal copy we cannot read (a Naver sports or entertainment layout): the
                # outlet's own address is fetched instead, and its fate (archived with the copy's
                # address among its own, or rejected) is the copy's too; nothing is remembered here.
                raise DropItem(f"{item.final_url}: reading the original", log_level="DEBUG")
            raise Rejected("not_article", f"{item.final_url} has no article body")
        article = replace(
            article,
            url=self._own_address(item, article.url),
            original_url=self._original_address(item, article.original_url),
            # The feed's date stands in when the page states none.
            published_at=article.published_at or item.lead_published_at,
        )
        # Every address this article answers to: its own, the fetched ones, those the channel
        # named (Naver's originallink, a Google link) and the outlet original of a portal copy.
        urls = [article.url, item.final_url, item.url, *item.lead_urls]
        if article.original_url:
            urls.append(article.original_url)
        canonical = tuple(dict.fromkeys(canonical_url(url) for url in urls))
        return ArticleItem(
            page=item,
            article=article,
            urls=canonical,
            relevance=reading.relevance,
            watches=reading.watches,
            sketch=reading.sketch,
            packed_page=reading.packed_page,
        )
