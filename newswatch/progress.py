"""A one-line live progress display for crawls run on a terminal (a Scrapy extension)."""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import signals
from scrapy.crawler import Crawler

from archive.store import PAGE_COUNTS
from crawler import counts


class CrawlProgress:
    """Shows discovered / fetched / new / duplicate / irrelevant / failed counts as they change."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.live = Live(
            Text(""), console=Console(stderr=True), refresh_per_second=4, transient=True
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        progress = cls(crawler)
        crawler.signals.connect(progress.opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.update, signal=signals.response_received)
        crawler.signals.connect(progress.update, signal=signals.item_scraped)
        crawler.signals.connect(progress.update, signal=signals.item_dropped)
        crawler.signals.connect(progress.closed, signal=signals.spider_closed)
        return progress

    def opened(self) -> None:
        self.live.start()

    def update(self) -> None:
        assert self.crawler.stats is not None
        table = counts.per_source(self.crawler.stats.get_stats())
        total = {name: sum(row.get(name, 0) for row in table.values()) for name in PAGE_COUNTS}
        line = "  ".join(f"{name} {value}" for name, value in total.items())
        self.live.update(Text(f"crawling {len(table)} sources  {line}"))

    def closed(self) -> None:
        self.live.stop()
