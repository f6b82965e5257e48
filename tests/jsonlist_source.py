"""A source type defined outside crawler/: a JSON list of articles, read past the newest id seen.

The worked example of docs/adding-a-source-type.md, and the proof (tests/test_source_registry.py)
that a new source type is this one module plus its test: its options, the request it starts, how
it reads the answer into leads, and the state it keeps between crawls. The answer looks like
{"articles": [{"id": 7, "url": "https://…", "title": "…"}, …]}.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from crawler.sources.base import Lead, OptionTable, SourceOptions, SourceType
from crawler.values import Range

DEFAULT_MAX_ITEMS = 50


@dataclass(frozen=True, slots=True)
class JsonListOptions(SourceOptions):
    KEYS: ClassVar[tuple[str, ...]] = ("url", "max_items")
    RANGES: ClassVar[Mapping[str, Range]] = {"max_items": Range(1, 1000)}

    url: str = ""  # the list's address
    max_items: int = DEFAULT_MAX_ITEMS  # articles followed per crawl

    @classmethod
    def read(cls, table: OptionTable) -> JsonListOptions:
        return cls(
            url=table.address("url", required=True),
            max_items=table.integer(
                "max_items", cls.RANGES["max_items"], default=DEFAULT_MAX_ITEMS
            ),
        )

    @property
    def address(self) -> str:
        return self.url


class JsonList(SourceType[JsonListOptions]):
    name = "json-list"
    Options = JsonListOptions

    def start(self, state: Mapping[str, Any]) -> Iterator[scrapy.Request]:
        after = int(state.get("watermark") or 0)  # the newest id the last crawl saw
        yield scrapy.Request(
            f"{self.options.url}?after={after}",
            callback=self.parse,
            errback=self.crawl.source_failed,
            meta={"source": self.source.name},
            dont_filter=True,  # read every crawl
        )

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        name = self.source.name
        try:
            items = json.loads(response.body)["articles"][: self.options.max_items]
            leads = [(int(i["id"]), Lead(str(i["url"]), title=i.get("title"))) for i in items]
        except (ValueError, KeyError, TypeError):
            self.crawl.channel_failed(name, response.url, "not a JSON list of articles")
            return
        self.crawl.count(name, "discovered", len(leads))
        if leads:  # saved when the crawl closes, if nothing of this source failed
            self.crawl.remember(name, watermark=str(max(number for number, _ in leads)))
        for _, lead in leads:
            yield from self.crawl.follow(lead, self.source)
