"""Source type "naver-api": the Naver Search Open API for news (docs/sources.md §1.1).

Items carry `link` (the n.news.naver.com copy when Naver hosts one, else the outlet URL) and
`originallink` (the outlet URL). We fetch the Naver copy when there is one: one uniform template for
every outlet. Titles carry <b> tags and HTML entities; dates are RFC 822 with +0900. Each term is
its own search (the API has no OR), paged while a whole page is newer than the last crawl's newest
item (its watermark). The keys come from the environment; without them the source is off.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from crawler.clock import KST
from crawler.sources.base import Lead, OptionTable, SourceOptions, SourceType
from crawler.values import Range

if TYPE_CHECKING:
    from crawler.items import PageItem

logger = logging.getLogger(__name__)

DISPLAY = 100  # the API's largest page
MAX_START = 1000  # only the first 1,000 hits are reachable (start + display - 1 <= 1000)
_TAG = re.compile(r"<[^>]+>")
NAVER_API_ENDPOINT = "https://openapi.naver.com/v1/search/news.json"
NAVER_ID, NAVER_SECRET = "NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET"
DEFAULT_MAX_PAGES = 10


@dataclass(frozen=True, slots=True)
class NaverApiOptions(SourceOptions):
    KEYS: ClassVar[tuple[str, ...]] = ("query", "endpoint", "max_pages")
    # The API reaches 1,000 hits, 100 a page.
    RANGES: ClassVar[Mapping[str, Range]] = {"max_pages": Range(1, 10)}

    query: tuple[str, ...] = ()  # one search per entry
    endpoint: str = NAVER_API_ENDPOINT
    max_pages: int = DEFAULT_MAX_PAGES  # result pages (100 items each) per query per crawl

    @classmethod
    def read(cls, table: OptionTable) -> NaverApiOptions:
        endpoint = table.address("endpoint", default=NAVER_API_ENDPOINT)
        return cls(
            query=table.strings("query") or table.terms,  # one search per term
            endpoint=endpoint,
            max_pages=table.integer(
                "max_pages", cls.RANGES["max_pages"], default=DEFAULT_MAX_PAGES
            ),
        )

    @property
    def address(self) -> str:
        return self.endpoint


class NaverApi(SourceType[NaverApiOptions]):
    name = "naver-api"
    Options = NaverApiOptions

    def start(self, state: Mapping[str, Any]) -> Iterator[scrapy.Request]:
        if not os.environ.get(NAVER_ID) or not os.environ.get(NAVER_SECRET):
            # Off, not failed: configured to need keys it was not given. Said in the summary,
            # `runs` and `sources`; a line on every crawl's stderr would be noise in cron mail.
            why = f"{NAVER_ID} and {NAVER_SECRET} are not set"
            self.crawl.switched_off(self.source.name, why)
            logger.info("source %s: off, %s (Naver API credentials)", self.source.name, why)
            return
        for query in self.options.query:
            yield self._request(query, 1, state.get("watermark"))

    def _request(self, query: str, start: int, watermark: str | None) -> scrapy.Request:
        return scrapy.Request(
            search_url(self.options.endpoint, query, start),
            callback=self.parse,
            errback=self.crawl.source_failed,
            headers={
                "X-Naver-Client-Id": os.environ.get(NAVER_ID, ""),
                "X-Naver-Client-Secret": os.environ.get(NAVER_SECRET, ""),
            },
            cb_kwargs={"query": query, "start": start, "watermark": watermark},
            meta={"source": self.source.name},
            dont_filter=True,
        )

    def parse(
        self, response: Response, query: str, start: int, watermark: str | None
    ) -> Iterator[scrapy.Request]:
        name = self.source.name
        page = parse_response(response.body, response.url)
        if page is None:
            self.crawl.channel_failed(name, response.url, "not a readable Naver API answer")
            return
        self.crawl.count(name, "discovered", len(page.leads))
        dates = [lead.published_at for lead in page.leads if lead.published_at]
        if dates:
            newest = max(dates)
            current = self.crawl.remembered(name).get("watermark")
            self.crawl.remember(name, watermark=max(newest, current or newest))
        for lead in page.leads:
            yield from self.crawl.follow(lead, self.source)
        # Page on while the whole page is newer than what the last crawl saw, within the limits.
        page_number = (start - 1) // DISPLAY + 1
        following = next_start(start)
        older_reached = watermark is not None and any(d <= watermark for d in dates)
        if (
            following
            and len(page.leads) == DISPLAY
            and not older_reached
            and page_number < self.options.max_pages
        ):
            yield self._request(query, following, watermark)

    def original_lead(self, item: PageItem) -> Lead | None:
        """The outlet's own address of a Naver copy that gave no article (a sports or
        entertainment layout we cannot read): the copy's verdict must not drop the original
        unread."""
        originals = [url for url in item.lead_urls if not is_naver_copy(url)]
        if not originals or not is_naver_copy(item.url):
            return None
        alternates = (*originals[1:], item.url)
        return Lead(originals[0], item.lead_title, item.lead_published_at, alternates)


@dataclass(frozen=True, slots=True)
class NaverPage:
    leads: list[Lead]
    total: int


def search_url(endpoint: str, query: str, start: int = 1) -> str:
    # sort=date always: one third-party doc claims it is the default, the official one says sim.
    params = {"query": query, "display": DISPLAY, "start": start, "sort": "date"}
    return f"{endpoint}?{urlencode(params)}"


def next_start(start: int) -> int | None:
    following = start + DISPLAY
    return following if following + DISPLAY - 1 <= MAX_START else None


def parse_response(body: bytes, url: str) -> NaverPage | None:
    """The page's items as leads, newest first; None when the answer is not the API's JSON."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        logger.warning("%s: the Naver API answered something that is not JSON", url)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        logger.warning("%s: the Naver API answer has no items list: %.200s", url, data)
        return None
    leads = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = str(item.get("link") or "").strip()
        original = str(item.get("originallink") or "").strip()
        urls = list(
            dict.fromkeys(u for u in (link, original) if u.startswith(("http://", "https://")))
        )
        if not urls:
            continue
        # Prefer the Naver copy: uniform markup, and its "기사원문" link leads back to the outlet.
        urls.sort(key=lambda u: not is_naver_copy(u))
        leads.append(
            Lead(
                url=urls[0],
                title=_clean(str(item.get("title") or "")) or None,
                published_at=_rfc822(item.get("pubDate")),
                alternates=tuple(dict.fromkeys(urls[1:])),
            )
        )
    total = data.get("total")
    return NaverPage(leads=leads, total=total if isinstance(total, int) else len(leads))


# Naver's own article templates: news (n.news, news, m.news), sports (sports.news, m.sports,
# sports) and entertainment (m.entertain, entertain).
_COPY_DOMAINS = ("news.naver.com", "sports.naver.com", "entertain.naver.com")


def is_naver_copy(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in _COPY_DOMAINS)


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _rfc822(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(KST).isoformat(timespec="seconds")
