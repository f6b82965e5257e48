"""Extract pipeline: a fetched page becomes an Article, or is rejected as not an article.

Reading a page is CPU-bound and pure (bytes in; a bot challenge, or an Article with its relevance
score and, if relevant, its dedup sketch, out), so it runs in a pool of worker processes
(EXTRACT_WORKERS, default one per core) that the pipeline awaits; the reactor keeps downloading
and archiving while the workers parse. The pool is the crawl's ExtractionPool extension
(crawler/extensions.py), which the spider also uses for feeds and the newsroom probe; the crawl
process itself parses no page. EXTRACT_WORKERS = 0 reads pages in-process.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler import counts
from crawler.article import Reading
from crawler.claims import may_claim, syndicates
from crawler.extensions import ExtractionPool
from crawler.items import ArticleItem, PageItem
from crawler.pool import ExtractorPool
from crawler.urls import canonical_url
from pipelines import Rejected

__all__ = ["ExtractPipeline", "ExtractorPool"]  # ExtractorPool: where tests used to find it

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class ExtractPipeline:
    """Reads each page with the crawl's ExtractionPool (crawler/extensions.py)."""

    def __init__(self, stats: StatsCollector | None, pool: ExtractionPool | None = None) -> None:
        self.stats = stats
        self.pool = pool or ExtractionPool()  # none given: pages are read in this process
        # Done when the page that came in last has left this stage; see process_item.
        self.last_turn: asyncio.Future[None] | None = None
        self.crawler: Crawler | None = None  # to ask the spider for a portal copy's original

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        pool = crawler.get_extension(ExtractionPool)
        if pool is None:
            raise RuntimeError(
                "ExtractPipeline needs the extension crawler.extensions.ExtractionPool in"
                " EXTENSIONS (settings.py has it)"
            )
        pipeline = cls(crawler.stats, pool)
        pipeline.crawler = crawler
        return pipeline

    async def process_item(self, item: object) -> object:
        if not isinstance(item, PageItem):
            return item
        extractors = self.pool.extractors
        if extractors is None:
            self._check_type(item)
            reading = self.pool.read_page(item.body, item.final_url, item.headers)
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
                reading = await self._read_in_worker(extractors, item)
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
