"""Source type "lg-newsroom": the LG AI Research newsroom, whose posts are numbered
(docs/sources.md §1.4). Each crawl probes the numbers past the newest one seen (its watermark)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.middlewares import CrawlInterrupted
from crawler.sources.base import Lead, OptionTable, SourceOptions, SourceType
from crawler.sources.common import response_headers
from crawler.urls import canonical_url
from crawler.values import Range
from crawler.workers import Named

# Newsroom posts are numbered; 678 is K-EXAONE 2.0 of 2026-07-31 (docs/sources.md §1.4, reported).
LG_NEWSROOM_URL = "https://www.lgresearch.ai/news/view?seq={seq}"
LG_NEWSROOM_START = 678
DEFAULT_PROBE = 3
MAX_NEWSROOM_PROBES = 50  # post numbers tried per crawl, however many are found
# Whether a number is published: read in an extraction worker, like the article pipeline does.
EXTRACT = Named("crawler.extraction", "extract")


@dataclass(frozen=True, slots=True)
class LgNewsroomOptions(SourceOptions):
    KEYS: ClassVar[tuple[str, ...]] = ("url", "start", "probe")
    RANGES: ClassVar[Mapping[str, Range]] = {
        "start": Range(1, 1_000_000_000),
        "probe": Range(1, 1000),
    }

    url: str = LG_NEWSROOM_URL  # the post URL template, with {seq}
    start: int = LG_NEWSROOM_START  # first post number read on an empty archive
    probe: int = DEFAULT_PROBE  # post numbers past the newest seen tried each crawl

    @classmethod
    def read(cls, table: OptionTable) -> LgNewsroomOptions:
        url = table.address("url", default=LG_NEWSROOM_URL)
        if "{seq}" not in url:
            raise table.error("url", "must contain {seq}, where the post number goes")
        return cls(
            url=url,
            start=table.integer("start", cls.RANGES["start"], default=LG_NEWSROOM_START),
            probe=table.integer("probe", cls.RANGES["probe"], default=DEFAULT_PROBE),
        )

    @property
    def address(self) -> str:
        return self.url


class LgNewsroom(SourceType[LgNewsroomOptions]):
    name = "lg-newsroom"
    Options = LgNewsroomOptions

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.seen: set[int] = set()  # post numbers requested this crawl

    def start(self, state: Mapping[str, Any]) -> Iterator[scrapy.Request]:
        last = int(state.get("watermark") or self.options.start - 1)
        for seq in range(last + 1, last + 1 + self.options.probe):
            yield from self._request(seq)

    def _request(self, seq: int) -> Iterator[scrapy.Request]:
        if seq in self.seen or len(self.seen) >= MAX_NEWSROOM_PROBES:
            return
        self.seen.add(seq)
        lead = Lead(self.options.url.format(seq=seq))
        yield scrapy.Request(
            canonical_url(lead.url),
            callback=self.parse,
            errback=self.missing,
            cb_kwargs={"lead": lead, "seq": seq},
            meta={"source": self.source.name, "lead": lead},
        )

    async def parse(self, response: Response, lead: Lead, seq: int) -> AsyncIterator[Any]:
        # Unpublished numbers may answer 200 with an empty template: only a page that extracts
        # as an article moves the watermark, and such pages are not remembered as rejected.
        name = self.source.name
        try:
            article = await self.crawl.parse_aside(
                EXTRACT, response.body, response.url, response_headers(response)
            )
        except BrokenProcessPool:
            self.crawl.channel_failed(name, response.url, "reading it killed an extraction worker")
            return
        if article is None:
            return
        self.crawl.count(name, "discovered")
        current = int(self.crawl.remembered(name).get("watermark") or 0)
        self.crawl.remember(name, watermark=str(max(current, seq)))
        for item in self.crawl.read_article(
            response, self.source, lead, remember_not_article=False
        ):
            yield item
        for request in self._request(seq + self.options.probe):
            yield request

    def missing(self, failure: Failure) -> None:
        # A number not published yet (404) is the normal end of the probe, not a failure.
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in {404, 410}:
            return
        if failure.check(CrawlInterrupted):
            return
        # The probe is this source's channel: a newsroom that cannot be reached is a failed source.
        self.crawl.source_failed(failure)
