"""Source type "rss": an RSS 2.0, RSS 1.0 or Atom feed, read conditionally every crawl."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from crawler.sources.base import Lead, OptionTable, SourceOptions, SourceType
from crawler.sources.common import changed, channel_request, content_type
from crawler.sources.feeds import FeedPage, read_feed
from crawler.values import Range

logger = logging.getLogger(__name__)

DEFAULT_MAX_ITEMS = 200


@dataclass(frozen=True, slots=True)
class RssOptions(SourceOptions):
    KEYS: ClassVar[tuple[str, ...]] = ("url", "max_items")
    RANGES: ClassVar[Mapping[str, Range]] = {"max_items": Range(1, 100_000)}

    url: str = ""  # the feed
    max_items: int = DEFAULT_MAX_ITEMS  # article URLs followed per crawl

    @classmethod
    def read(cls, table: OptionTable) -> RssOptions:
        return cls(
            url=table.address("url", required=True),
            max_items=table.integer(
                "max_items", cls.RANGES["max_items"], default=DEFAULT_MAX_ITEMS
            ),
        )

    @property
    def address(self) -> str:
        return self.url


class Rss(SourceType[RssOptions]):
    name = "rss"
    Options = RssOptions

    def start(self, state: Mapping[str, Any]) -> Iterator[scrapy.Request]:
        yield channel_request(
            self.options.url, self.source, self.crawl, self.parse, state, top=True
        )

    async def parse(self, response: Response, top: bool) -> AsyncIterator[scrapy.Request]:
        if not changed(response, self.source, self.crawl, top=top):
            return
        leads = await self._leads(response)
        self.crawl.count(self.source.name, "discovered", len(leads))
        for lead in leads:
            for request in self.crawl.follow(lead, self.source):
                yield request

    async def _leads(self, response: Response) -> list[Lead]:
        """The feed's leads; a feed that is unreadable or malformed counts as the source failing."""
        name, max_items = self.source.name, self.options.max_items
        read = partial(read_feed, max_items=max_items)
        try:
            feed = await self.crawl.parse_aside(
                read, response.body, response.url, content_type(response)
            )
        except BrokenProcessPool:
            feed = FeedPage(error="reading it killed an extraction worker")
        if feed.error:  # a 200 that is not a feed: the source failed, like a 5xx
            self.crawl.channel_failed(name, response.url, feed.error)
            return []
        # Kept in Scrapy's stats; crawl_run_sources has no column for them yet.
        self.crawl.count(name, "ignored_items", feed.ignored)
        self.crawl.count(name, "beyond_max_items", feed.beyond)
        notes = "".join(
            (
                f"; {feed.ignored} items without an http(s) link ignored" if feed.ignored else "",
                f"; {feed.beyond} items past max_items = {max_items} not read"
                if feed.beyond
                else "",
            )
        )
        if feed.malformed:  # read up to the fault; counted, so the next crawl reads it again
            self.crawl.channel_failed(
                name,
                response.url,
                f"malformed XML ({feed.malformed}); following the {len(feed.leads)} items"
                f" read before it{notes}",
            )
        elif notes:
            logger.warning(
                "source %s: %s: following %d items%s", name, response.url, len(feed.leads), notes
            )
        return feed.leads
