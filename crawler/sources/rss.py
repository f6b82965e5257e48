"""Source type "rss": an RSS 2.0, RSS 1.0 or Atom feed, read conditionally every crawl."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial

import scrapy
from scrapy.http import Response

from crawler.sources.base import Lead
from crawler.sources.common import ChannelOptions, ChannelSource, content_type
from crawler.sources.feeds import FeedPage, read_feed

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RssOptions(ChannelOptions):
    """An rss source's keys: `url` (the feed) and `max_items`."""


class Rss(ChannelSource[RssOptions]):
    name = "rss"
    Options = RssOptions

    async def read_channel(self, response: Response) -> AsyncIterator[scrapy.Request]:
        for request in self.follow_leads(await self._leads(response)):
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
