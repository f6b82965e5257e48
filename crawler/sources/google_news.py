"""Source type "google-news": Google News search RSS for the watch's terms (docs/sources.md §1.2).

Its items link to news.google.com; the crawl decodes each to the outlet's URL
(crawler/sources/google_links.py) and keeps an undecodable one as a lead to match by title later.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from crawler.sources.base import (
    GOOGLE_NEWS_ENDPOINT,
    Lead,
    OptionTable,
    SourceOptions,
)
from crawler.sources.common import ChannelSource, content_type
from crawler.sources.feeds import parse_feed
from crawler.values import Range

_PUBLISHER_SUFFIX = re.compile(r"\s+-\s+[^-]{1,40}$")  # "제목 - 매일경제"
DEFAULT_MAX_AGE = 2 * 86400.0


@dataclass(frozen=True, slots=True)
class GoogleNewsOptions(SourceOptions):
    KEYS: ClassVar[tuple[str, ...]] = ("query", "endpoint", "max_age", "resolve")
    RANGES: ClassVar[Mapping[str, Range]] = {
        "max_age": Range(0, 3650 * 86400, above=True),  # seconds; written as a duration
    }

    query: tuple[str, ...] = ()  # one search (only the first is read)
    endpoint: str = GOOGLE_NEWS_ENDPOINT  # the service's base URL
    max_age: float = DEFAULT_MAX_AGE  # seconds; older items are not asked for
    resolve: bool = True  # decode Google's links to the outlet's URLs with requests to Google

    @classmethod
    def read(cls, table: OptionTable) -> GoogleNewsOptions:
        endpoint = table.address("endpoint", default=GOOGLE_NEWS_ENDPOINT)
        # The base URL: "https://news.google.com/rss" would be asked for /rss/rss/search.
        if f"{urlsplit(endpoint).path.rstrip('/')}/".endswith(("/rss/", "/rss/search/")):
            raise table.error(
                "endpoint",
                f"is the service's base URL, such as {GOOGLE_NEWS_ENDPOINT!r} (newswatch adds"
                f" /rss/search?q=...), not {endpoint!r}",
            )
        # One search for every term, quoted so Google matches each as a phrase.
        default_query = (" OR ".join(f'"{t}"' for t in table.terms),)
        return cls(
            query=table.strings("query") or default_query,
            endpoint=endpoint,
            max_age=table.duration("max_age", cls.RANGES["max_age"], default=DEFAULT_MAX_AGE),
            resolve=table.boolean("resolve", default=True),
        )

    @property
    def address(self) -> str:
        return self.endpoint

    def google_links(self) -> tuple[str, bool]:
        return self.endpoint, self.resolve


class GoogleNews(ChannelSource[GoogleNewsOptions]):
    name = "google-news"
    Options = GoogleNewsOptions

    def channel_url(self) -> str:
        return search_url(self.options.endpoint, self.options.query[0], self.options.max_age)

    async def read_channel(self, response: Response) -> AsyncIterator[scrapy.Request]:
        leads = parse_search(response.body, response.url, content_type(response))
        for request in self.follow_leads(leads):
            yield request


def search_url(endpoint: str, query: str, max_age: float) -> str:
    """The Korean-edition search feed for `query`, limited to the last `max_age` seconds."""
    when = "1h" if max_age <= 3600 else "1d" if max_age <= 86400 else "7d"
    params = {"q": f"{query} when:{when}", "hl": "ko", "gl": "KR", "ceid": "KR:ko"}
    return f"{endpoint.rstrip('/')}/rss/search?{urlencode(params)}"


def parse_search(body: bytes, url: str, content_type: str = "") -> list[Lead]:
    """Items with Google's links, the " - 매체명" suffix taken off their titles."""
    leads = []
    for lead in parse_feed(body, url, content_type):
        title = lead.title
        if title and lead.outlet and title.endswith(f" - {lead.outlet}"):
            title = title[: -len(f" - {lead.outlet}")]
        elif title:
            title = _PUBLISHER_SUFFIX.sub("", title)
        leads.append(Lead(lead.url, title, lead.published_at, lead.alternates, lead.outlet))
    return leads
