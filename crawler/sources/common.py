"""Requests for a source's own channel (a feed, a sitemap, a search feed), read conditionally.

Shared by the source types whose channel is one URL read every crawl; they never import each other.
`ChannelSource` is such a type's start and its 304 handling, `ChannelOptions` the keys of a type
whose channel is the URL it is configured with.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import scrapy
from scrapy.http import Response

from crawler.sources.base import (
    Crawl,
    Lead,
    OptionsT,
    OptionTable,
    Source,
    SourceOptions,
    SourceType,
)
from crawler.values import Range

DEFAULT_MAX_ITEMS = 200


@dataclass(frozen=True, slots=True)
class ChannelOptions(SourceOptions):
    """The keys of a type whose channel is the one URL it is configured with (a feed, a
    sitemap); a type with more keys subclasses it and reads them in its own `read`."""

    KEYS: ClassVar[tuple[str, ...]] = ("url", "max_items")
    RANGES: ClassVar[Mapping[str, Range]] = {"max_items": Range(1, 100_000)}

    url: str = ""  # the channel
    max_items: int = DEFAULT_MAX_ITEMS  # article URLs followed per crawl

    @classmethod
    def read(cls, table: OptionTable) -> Self:
        return cls(url=table.address("url", required=True), max_items=cls.read_max_items(table))

    @classmethod
    def read_max_items(cls, table: OptionTable) -> int:
        return table.integer("max_items", cls.RANGES["max_items"], default=DEFAULT_MAX_ITEMS)

    @property
    def address(self) -> str:
        return self.url


class ChannelSource(SourceType[OptionsT]):
    """A source type whose channel is one URL read every crawl, conditionally: an unchanged
    channel (304) is counted and not read, a changed one goes to `read_channel`."""

    def channel_url(self) -> str:
        """The URL read every crawl: the configured address, unless the type builds one."""
        return self.options.address

    def start(self, state: Mapping[str, Any]) -> Iterator[scrapy.Request]:
        yield channel_request(
            self.channel_url(), self.source, self.crawl, self.parse, state, top=True
        )

    async def parse(self, response: Response, top: bool) -> AsyncIterator[scrapy.Request]:
        if not changed(response, self.source, self.crawl, top=top):
            return
        async for request in self.read_channel(response):
            yield request

    def read_channel(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """The requests a changed answer leads to: its leads' articles, child channels."""
        raise NotImplementedError

    def follow_leads(self, leads: Iterable[Lead]) -> Iterator[scrapy.Request]:
        """The article requests of the leads the channel listed, which are counted."""
        leads = list(leads)
        self.crawl.count(self.source.name, "discovered", len(leads))
        for lead in leads:
            yield from self.crawl.follow(lead, self.source)


def channel_request(
    url: str,
    source: Source,
    crawl: Crawl,
    callback: Callable[..., Any],
    state: Mapping[str, Any],
    *,
    top: bool,
) -> scrapy.Request:
    """A GET of the channel at `url`, conditional on the validators in `state`; the callback
    gets `top` (the configured URL, not a child sitemap) as a keyword."""
    headers = {}
    # Conditional request: an unchanged feed costs one small 304 response.
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return scrapy.Request(
        url,
        callback=callback,
        errback=crawl.source_failed,
        headers=headers,
        cb_kwargs={"top": top},
        meta={"source": source.name, "handle_httpstatus_list": [304]},
        dont_filter=True,  # read every crawl, even if an article shares its URL
    )


def changed(response: Response, source: Source, crawl: Crawl, *, top: bool) -> bool:
    """Whether the channel has something to read: False (counted) for a 304. The validators of
    the configured URL are remembered for the next crawl's conditional request."""
    if response.status == 304:
        crawl.count(source.name, "not_modified")
        return False
    if top:  # validators belong to the configured URL, not to child sitemaps
        _remember_validators(response, source, crawl)
    return True


def response_headers(response: Response) -> dict[str, str]:
    """The response's headers as one lower-case name to one value, as extraction takes them."""
    return {
        k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
        for k, v in response.headers.items()
    }


def content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _remember_validators(response: Response, source: Source, crawl: Crawl) -> None:
    if response.request is None or response.request.url != response.url:
        return  # validators of a redirect target do not belong to the configured URL
    etag = response.headers.get("ETag")
    modified = response.headers.get("Last-Modified")
    crawl.remember(
        source.name,
        etag=etag.decode("latin-1") if etag else None,
        last_modified=modified.decode("latin-1") if modified else None,
    )
