"""Crawl extensions that do not touch the archive: the extraction pool the spider and the
extract stage share, and the -v log line of each rejected page. (Those that touch the archive
are in pipelines/.)"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import ClassVar, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.article import Reading
from crawler.pool import READ_FOR_CRAWL, ExtractorPool, Reader
from crawler.watch import Watch, Watches
from crawler.workers import extract_workers

logger = logging.getLogger(__name__)
T = TypeVar("T")


class ExtractionPool:
    """The crawl's extraction workers (EXTRACT_WORKERS; 0: pages are read in this process), shared
    by the extract stage (pages) and the spider (feeds), found with crawler.get_extension.

    With a watch (WATCHES), a worker scores each article (the relevance stage reads the score) and
    skips the sketch and packing of those that stage will drop. Without one, all get them.
    """

    def __init__(self, workers: int = 0, watch: Watch | None = None) -> None:
        self.workers = workers
        self.read_page: Reader = partial(READ_FOR_CRAWL, watch=watch)
        self.extractors: ExtractorPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        settings = crawler.settings
        watches = Watches.from_settings(
            settings.getlist("WATCHES"), settings.getlist("WATCH_TERMS")
        )
        watch = (
            Watch(watches, settings.getint("WATCH_MIN_SCORE", 1)) if watches is not None else None
        )
        pool = cls(extract_workers(settings.get("EXTRACT_WORKERS")), watch)
        # Started when the crawl opens (its workers start while the feeds are fetched) and shut
        # down when it has closed, after the pipelines.
        crawler.signals.connect(pool.open, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def open(self) -> None:
        if self.workers > 0 and self.extractors is None:
            self.extractors = ExtractorPool(self.workers, self.read_page)

    def close(self) -> None:
        if self.extractors is not None:
            self.extractors.close()
            self.extractors = None

    async def read(self, body: bytes, url: str, headers: Mapping[str, str]) -> Reading:
        """The page read in a worker (in this process when the crawl has none)."""
        if self.extractors is None:
            return self.read_page(body, url, headers)
        return await self.extractors.read(body, url, headers)

    async def parse(self, function: Callable[..., T], *args: object) -> T:
        """function(*args) in a worker, or here when the crawl has none: for the spider's other
        pure parsing (feeds), which would otherwise hold the reactor."""
        if self.extractors is None:
            return function(*args)
        return await self.extractors.call(function, *args)


class PageLog:
    """At -v (INFO), one line for each page the pipelines rejected, with why. Stored pages and
    duplicates are said by the archive stage ("stored article 12 …", "duplicate of article 3 …"),
    pages refused or failed by the spider."""

    WORDS: ClassVar[dict[str, str]] = {"irrelevant": "irrelevant", "not_article": "not an article"}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLog:
        log = cls()
        crawler.signals.connect(log.item_dropped, signal=signals.item_dropped)
        return log

    def item_dropped(self, item: object, exception: BaseException) -> None:
        reason = getattr(exception, "reason", None)
        if reason in self.WORDS:
            logger.info("%s: %s", self.WORDS[reason], getattr(exception, "detail", exception))
