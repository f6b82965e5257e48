"""Source type "sitemap": a sitemap or sitemap index (Google News sitemaps included).

Scrapy's own `Sitemap` class keeps only the direct children of <url>, so the Google News
<news:publication_date> and <news:title> are lost; this reads them too, with the same lxml safety
(no entity resolution, no network). Only entries newer than `max_age` are followed.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

import scrapy
from lxml import etree
from scrapy.http import Response

from crawler.clock import KST
from crawler.sources.base import Lead, OptionTable
from crawler.sources.common import ChannelOptions, ChannelSource, channel_request
from crawler.values import Range

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the protocol's own limit for an uncompressed sitemap
MAX_CHILD_SITEMAPS = 10  # per sitemap index and crawl
DEFAULT_MAX_AGE = 2 * 86400.0


@dataclass(frozen=True, slots=True)
class SitemapOptions(ChannelOptions):
    """A sitemap source's keys: `url` (the sitemap or sitemap index), `max_age`, `max_items`."""

    KEYS: ClassVar[tuple[str, ...]] = ("url", "max_age", "max_items")
    RANGES: ClassVar[Mapping[str, Range]] = {
        "max_age": Range(0, 3650 * 86400, above=True),  # seconds; written as a duration
        **ChannelOptions.RANGES,
    }

    max_age: float = DEFAULT_MAX_AGE  # seconds; older entries are not followed

    @classmethod
    def read(cls, table: OptionTable) -> SitemapOptions:
        return cls(
            url=table.address("url", required=True),
            max_age=table.duration("max_age", cls.RANGES["max_age"], default=DEFAULT_MAX_AGE),
            max_items=cls.read_max_items(table),
        )


class Sitemap(ChannelSource[SitemapOptions]):
    name = "sitemap"
    Options = SitemapOptions

    async def read_channel(self, response: Response) -> AsyncIterator[scrapy.Request]:
        page = parse_sitemap(
            response.body,
            response.url,
            now=datetime.now(KST),
            max_age=self.options.max_age,
            max_items=self.options.max_items,
        )
        if page.error:  # what it did yield (recovered entries) is still followed
            self.crawl.channel_failed(self.source.name, response.url, page.error)
        for child in page.sitemaps[:MAX_CHILD_SITEMAPS]:
            yield channel_request(child, self.source, self.crawl, self.parse, {}, top=False)
        for request in self.follow_leads(page.leads):
            yield request


@dataclass(slots=True)
class SitemapPage:
    leads: list[Lead] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps to read (from an index)
    error: str = ""  # why the body is not (wholly) a readable sitemap; "" when it is one


def parse_sitemap(
    body: bytes, url: str, *, now: datetime, max_age: float, max_items: int
) -> SitemapPage:
    """Recent article URLs of a urlset, newest first (undated last), or recent child sitemaps."""
    xml = _gunzip(body)
    if xml is None:
        return SitemapPage(error="a gzip sitemap that does not decompress within limits")
    oldest = now - timedelta(seconds=max_age)
    page = SitemapPage()
    dated: list[tuple[datetime | None, Lead]] = []
    try:
        root, entries = _entries(xml)
        if root not in {"urlset", "sitemapindex"}:
            page.error = f"not a sitemap (its root is <{root or 'nothing'}>)"
        for element, entry in entries:
            when = _parse_w3c(entry.get("publication_date") or entry.get("lastmod"))
            if when is not None and when < oldest:
                continue
            loc = entry.get("loc", "")
            if not loc.startswith(("http://", "https://")):
                continue
            if element == "sitemap":
                page.sitemaps.append(loc)
            else:
                published = when.isoformat(timespec="seconds") if when else None
                dated.append(
                    (when, Lead(url=loc, title=entry.get("title"), published_at=published))
                )
    except etree.XMLSyntaxError as exc:
        page.error = f"not a readable sitemap ({exc})"
    dated.sort(key=lambda pair: (pair[0] is not None, pair[0] or oldest), reverse=True)
    page.leads = [lead for _, lead in dated[:max_items]]
    return page


def _entries(body: bytes) -> tuple[str, list[tuple[str, dict[str, str]]]]:
    """The root element's name, and every <url> and <sitemap> entry."""
    entries: list[tuple[str, dict[str, str]]] = []
    root = ""
    parser_events = etree.iterparse(
        io.BytesIO(body),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    for _, element in parser_events:
        tag = _local(element.tag)
        if element.getparent() is None:
            root = tag
        if tag not in {"url", "sitemap"}:
            continue
        entry: dict[str, str] = {}
        for child in element.iter():
            name = _local(child.tag)
            if name in {"loc", "lastmod", "publication_date", "title"} and child.text:
                entry.setdefault(name, " ".join(child.text.split()))
        entries.append((tag, entry))
        element.clear()
    return root, entries


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parse_w3c(value: str | None) -> datetime | None:
    """W3C datetime ("2026-01-06", "2026-01-06T16:46+09:00", "…Z"); naive means KST."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=KST) if moment.tzinfo is None else moment.astimezone(KST)


def _gunzip(body: bytes) -> bytes | None:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        # Bounded, so a gzip bomb costs at most MAX_SITEMAP_BYTES.
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = decompressor.decompress(body, MAX_SITEMAP_BYTES)
    except (zlib.error, gzip.BadGzipFile):
        return None
    return None if decompressor.unconsumed_tail else data
