"""A live progress display for crawls run on a terminal (a Scrapy extension).

It shows the counts as they change, the sources with requests still in flight, and the request
that has waited longest, so a crawl held up by one slow feed says which. Log lines are printed
above it (through rich's stderr redirection), never through it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import Request, signals
from scrapy.crawler import Crawler

from archive.runs import PAGE_COUNTS
from crawler import counts
from newswatch.tables import safe

MAX_NAMED = 4  # pending sources named; the rest are counted


class CrawlProgress:
    """Shows discovered / fetched / new / duplicate / irrelevant / failed counts as they change."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.in_flight: dict[int, tuple[float, str, str]] = {}  # id → (since, source, url)
        # Drawn afresh at each refresh, so the slowest request's wait keeps counting.
        self.live = Live(
            console=Console(stderr=True),
            refresh_per_second=4,
            transient=True,
            get_renderable=lambda: Text(self.line(time.monotonic())),
        )
        self._streams: list[tuple[logging.StreamHandler[IO[str]], IO[str]]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        progress = cls(crawler)
        crawler.signals.connect(progress.opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(progress.left, signal=signals.request_left_downloader)
        crawler.signals.connect(progress.closed, signal=signals.spider_closed)
        return progress

    def opened(self) -> None:
        self.live.start()
        # Scrapy's log handler was made before the display and writes to the real stderr, under
        # the display's line. Pointed at the redirected stderr, each log line prints above it.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in {
                sys.__stderr__,
                self.live.console.file,
            }:
                previous = handler.setStream(sys.stderr)
                if previous is not None:
                    self._streams.append((handler, previous))

    def reached(self, request: Request) -> None:
        source = str(request.meta.get("source") or "")
        self.in_flight[id(request)] = (time.monotonic(), source, request.url)

    def left(self, request: Request) -> None:
        self.in_flight.pop(id(request), None)

    def line(self, now: float) -> str:
        """The display's text: counts, pending sources, the longest-waiting request."""
        assert self.crawler.stats is not None
        table = counts.per_source(self.crawler.stats.get_stats())
        total = {name: sum(row.get(name, 0) for row in table.values()) for name in PAGE_COUNTS}
        line = "  ".join(f"{name.replace('_', ' ')} {value}" for name, value in total.items())
        text = f"crawling {len(table)} sources  {line}"
        pending = Counter(source for _, source, _ in self.in_flight.values() if source)
        if pending:
            named = [name for name, _ in pending.most_common(MAX_NAMED)]
            more = len(pending) - len(named)
            text += f"\nwaiting on {', '.join(named)}" + (f" (+{more} more)" if more else "")
        if self.in_flight:
            since, source, url = min(self.in_flight.values())
            by = f"{source}, " if source else ""  # robots.txt requests belong to no source
            text += f"\nslowest: {url} ({by}{now - since:.0f} s)"
        return safe(text)  # URLs come from feeds: no control characters (newlines pass)

    def closed(self) -> None:
        for handler, stream in self._streams:
            handler.setStream(stream)
        self.live.stop()
