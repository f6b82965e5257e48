"""The news spider: reads each configured source, follows its article links, yields fetched pages.

It only discovers and fetches. Skipping what the archive already knows happens in
`crawler.middlewares.KnownUrlFilter`; everything that judges a page happens in the pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import now_kst
from crawler import counts
from crawler.discovery import Lead
from crawler.discovery.rss import parse_feed
from crawler.items import PageItem
from crawler.urls import canonical_url

logger = logging.getLogger(__name__)


class NewsSpider(scrapy.Spider):
    name = "news"

    sources: list[dict[str, Any]]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = list(crawler.settings.getlist("NEWSWATCH_SOURCES"))
        only = kwargs.get("source")  # `-a source=NAME` crawls one source
        if only:
            spider.sources = [s for s in spider.sources if s["name"] == only]
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            yield scrapy.Request(
                source["url"],
                callback=self.parse_feed,
                errback=self.source_failed,
                cb_kwargs={"source": source["name"]},
                meta={"source": source["name"]},
                dont_filter=True,  # a feed is read every crawl, even if an article shares its URL
            )

    def parse_feed(self, response: Response, source: str) -> Iterator[scrapy.Request]:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        leads = parse_feed(response.body, response.url, content_type)
        counts.count(self.crawler.stats, source, "discovered", len(leads))
        for lead in leads:
            yield self._article_request(lead, source)

    def _article_request(self, lead: Lead, source: str) -> scrapy.Request:
        return scrapy.Request(
            canonical_url(lead.url),  # tracking parameters never reach the outlet
            callback=self.parse_article,
            errback=self.page_failed,
            cb_kwargs={"source": source, "lead": lead},
            meta={"source": source, "lead": lead},
        )

    def parse_article(self, response: Response, source: str, lead: Lead) -> Iterator[PageItem]:
        counts.count(self.crawler.stats, source, "fetched")
        yield PageItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            body=response.body,
            headers={
                k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                for k, v in response.headers.items()
            },
            status=response.status,
            source=source,
            discovered_via="rss",
            discovered_at=now_kst(),
            lead_title=lead.title,
            lead_published_at=lead.published_at,
        )

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta["source"]
        if failure.check(IgnoreRequest):
            counts.count(self.crawler.stats, source, "refused")
            logger.error("source %s: not reading %s: %s", source, request.url, failure.value)
            return
        counts.count(self.crawler.stats, source, "failed")
        logger.error("source %s: cannot read %s: %s", source, request.url, _reason(failure))

    def page_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta["source"]
        if failure.check(IgnoreRequest):  # refused by us (private address) or by robots.txt
            counts.count(self.crawler.stats, source, "refused")
            logger.warning("source %s: not fetching %s: %s", source, request.url, failure.value)
            return
        counts.count(self.crawler.stats, source, "failed")
        logger.error("source %s: cannot fetch %s: %s", source, request.url, _reason(failure))


def _reason(failure: Failure) -> str:
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
