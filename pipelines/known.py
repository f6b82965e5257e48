"""Skipping what the archive already knows, before a page is fetched (a spider middleware)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from archive import Archive
from crawler import counts
from crawler.urls import article_key

logger = logging.getLogger(__name__)


class KnownUrlFilter:
    """Spider middleware: one fetch per article, across crawls and across channels.

    An article request is dropped when any of its addresses (the URL and the other addresses its
    channel named) has an identity key the archive holds: archived, or rejected as irrelevant or
    not an article. That is what lets a second crawl of an unchanged feed fetch no page at all;
    the archive, not process memory, is the record, so every new crawl process knows every URL
    ever judged. (Modelled on scrapy-deltafetch, with the archive as its store.)

    Within one crawl, the first request for an article claims its keys; later requests for the same
    article from other channels are dropped, and their addresses are recorded with the article
    when the crawl closes.
    """

    def __init__(self, archive_path: str, crawler: Crawler) -> None:
        self.archive_path = archive_path  # read through a connection of its own (see _seen)
        self.crawler = crawler
        self.archive: Archive | None = None
        self.claims: dict[str, tuple[str, ...]] = {}  # key → addresses of the claiming request
        self.aliases: list[tuple[tuple[str, ...], tuple[str, ...], str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownUrlFilter:
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:  # settings.py sets it; without it every article would be fetched again
            raise ValueError("ARCHIVE_PATH is not set: no archive to tell known URLs")
        middleware = cls(path, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for entry in result:
            if isinstance(entry, Request) and "lead" in entry.meta and self._seen(entry):
                counts.count(self.crawler.stats, entry.meta["source"], "known")
                continue
            yield entry

    def _seen(self, request: Request) -> bool:
        urls = tuple(dict.fromkeys((request.url, *request.meta["lead"].urls)))
        if self.archive is None:
            self.archive = Archive(self.archive_path)
        if self.archive.known_urls(urls):
            # Still record these addresses with the article (or its rejection) at close.
            self.aliases.append((urls, urls, request.meta["source"]))
            return True
        keys = [article_key(url) for url in urls]
        claimed = next((self.claims[k] for k in keys if k in self.claims), None)
        if claimed is not None:
            self.aliases.append((claimed, urls, request.meta["source"]))
            return True
        for key in keys:
            self.claims[key] = urls
        return False

    def spider_closed(self) -> None:
        if self.aliases:
            if self.archive is None:
                self.archive = Archive(self.archive_path)
            try:
                with self.archive.db.atomic():
                    for claimed, urls, source in self.aliases:
                        # Recorded like the claiming page's fate: with its article, or rejection.
                        self.archive.record_aliases(claimed, urls, source=source)
            except sqlite3.Error as exc:
                # The archive failed (full, locked): the addresses are found again next crawl.
                logger.error("cannot record %d known address(es): %s", len(self.aliases), exc)
        if self.archive is not None:
            self.archive.close()
