"""The news spider: reads each configured source, follows its article links, yields fetched pages.

It discovers and fetches, nothing else. Each source's type (crawler/sources/) starts its requests
and turns the channel's answer into leads; the spider makes every lead one article request, and
knows no type by name. Skipping what the archive already knows happens in
`pipelines.known.KnownUrlFilter`; judging pages happens in the pipelines. What a source must
remember between crawls (validators for conditional requests, watermarks) is saved when the crawl
closes, and only for sources that had no failure, so a crash never makes newswatch skip something
it did not finish. The archive is reached through the crawl's ArchiveAccess component.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, TypeVar

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import counts, failures
from crawler.archive_access import ArchiveAccess
from crawler.challenge import bot_challenge
from crawler.clock import now_kst
from crawler.extensions import ExtractionPool
from crawler.items import PageItem
from crawler.middlewares import CrawlInterrupted, HostDeferred, PrivateAddressRefused
from crawler.sources import google_links, registry
from crawler.sources.base import Lead, Source, SourceType
from crawler.sources.common import response_headers
from crawler.urls import canonical_url, is_google_news, readable_url

logger = logging.getLogger(__name__)
T = TypeVar("T")


class _ReportedByErrback(logging.Filter):
    """Drops Scrapy's own warning for failures an errback here reports, so each is one line."""

    MESSAGES = ("larger than download max size", "Got data loss in", "during decompression")

    def filter(self, record: logging.LogRecord) -> bool:
        return not any(message in record.getMessage() for message in self.MESSAGES)


_REPORTED_BY_ERRBACK = _ReportedByErrback()


class NewsSpider(scrapy.Spider):
    """The crawl of the configured sources; it is the `Crawl` each source type runs in."""

    name = "news"

    sources: list[Source]
    channels: dict[str, SourceType[Any]]
    pending_state: defaultdict[str, dict[str, Any]]
    troubled: set[str]
    unresolved: list[tuple[Lead, str]]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        sources = [registry.from_settings(s) for s in crawler.settings.getlist("NEWSWATCH_SOURCES")]
        only = kwargs.get("source")  # `-a source=NAME` crawls one source
        spider.sources = [s for s in sources if not only or s.name == only]
        spider.channels = {s.name: registry.source_type(s.type)(s, spider) for s in spider.sources}
        spider.pending_state = defaultdict(dict)  # source → state to save if it ends well
        spider.troubled = set()  # sources with a failure this crawl: their state is not saved
        spider.unresolved = []  # (lead, source): Google News leads kept without an outlet URL
        for name in (
            "scrapy.core.downloader.handlers.http11",
            "scrapy.downloadermiddlewares.httpcompression",
        ):
            logging.getLogger(name).addFilter(_REPORTED_BY_ERRBACK)
        return spider

    @property
    def archive(self) -> ArchiveAccess:
        access = self.crawler.get_extension(ArchiveAccess)  # type: ignore[type-abstract]
        if access is None:
            raise RuntimeError(
                "the news spider needs the archive session extension"
                " (pipelines.session.ArchiveSession in EXTENSIONS)"
            )
        return access

    # --- start ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        archive = self.archive
        states = {s.name: dict(archive.source_state(s.name)) for s in self.sources}
        for source in self.sources:
            self.count(source.name, "discovered", 0)
            for request in self.channels[source.name].start(states[source.name]):
                yield request

    # --- what a source type may ask of the crawl (crawler.sources.base.Crawl) ---------------

    def count(self, source: str, what: str, n: int = 1) -> None:
        counts.count(self.crawler.stats, source, what, n)

    def switched_off(self, source: str, why: str) -> None:
        counts.switched_off(self.crawler.stats, source, why)

    def remember(self, source: str, **state: str | None) -> None:
        self.pending_state[source].update(state)

    def remembered(self, source: str) -> Mapping[str, Any]:
        return self.pending_state[source]

    async def parse_aside(self, function: Callable[..., T], *args: object) -> T:
        """function(*args), a pure parse of a channel's answer, in the extraction workers when the
        crawl has them (in this process when not). In this process, feedparser held the reactor
        while the workers, with no article to read yet, sat idle (bench/RESULTS.md,
        Throughput)."""
        pool = self.crawler.get_extension(ExtractionPool)
        if pool is None:  # a crawl configured without the pool (tests)
            return function(*args)
        return await pool.parse(function, *args)

    def follow(self, lead: Lead, source: Source) -> Iterator[scrapy.Request]:
        if is_google_news(lead.url):
            yield from self._resolve_google(lead, source)
        else:
            yield self._article_request(lead, source)

    def read_article(
        self, response: Response, source: Source, lead: Lead, *, remember_not_article: bool
    ) -> Iterator[PageItem]:
        return self.parse_article(response, source, lead, remember_not_article=remember_not_article)

    # Google News links never reach parse_article: Google's pages are not articles.

    def _resolve_google(self, lead: Lead, source: Source) -> Iterator[scrapy.Request]:
        endpoint, resolve = source.options.google_links()
        token = google_links.article_token(lead.url)
        decoded = google_links.decode_offline(token) if token else None
        if decoded:
            yield self._article_request(self._resolved(lead, decoded), source)
        elif token and resolve:
            yield scrapy.Request(
                google_links.decoding_page_url(endpoint, token),
                callback=self.parse_google_page,
                errback=self.google_failed,
                cb_kwargs={"source": source, "lead": lead, "token": token},
                meta={"source": source.name, "lead": lead},
            )
        else:
            self._keep_unresolved(lead, source, "cannot decode the link")

    def parse_google_page(
        self, response: Response, source: Source, lead: Lead, token: str
    ) -> Iterator[scrapy.Request]:
        params = google_links.decoding_params(response.body)
        if params is None:
            self._keep_unresolved(lead, source, "no decoding parameters on Google's page")
            return
        signature, timestamp = params
        endpoint, _ = source.options.google_links()
        yield scrapy.Request(
            google_links.batchexecute_url(endpoint),
            method="POST",
            body=google_links.batchexecute_body(token, signature, timestamp),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
            callback=self.parse_google_rpc,
            errback=self.google_failed,
            cb_kwargs={"source": source, "lead": lead},
            meta={"source": source.name},
            dont_filter=True,
        )

    def parse_google_rpc(
        self, response: Response, source: Source, lead: Lead
    ) -> Iterator[scrapy.Request]:
        decoded = google_links.parse_batchexecute(response.body)
        if decoded is None:
            self._keep_unresolved(lead, source, "Google's decoding answer had no URL")
            return
        yield self._article_request(self._resolved(lead, decoded), source)

    def google_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.cb_kwargs["source"]
        lead = request.cb_kwargs["lead"]
        self._keep_unresolved(lead, source, _reason(failure))

    @staticmethod
    def _resolved(lead: Lead, url: str) -> Lead:
        return Lead(url, lead.title, lead.published_at, (lead.url, *lead.alternates), lead.outlet)

    def _keep_unresolved(self, lead: Lead, source: Source, why: str) -> None:
        self.count(source.name, "unresolved")
        logger.warning("source %s: keeping %s as a lead (%s)", source.name, lead.url, why)
        # Written when the crawl closes: during it, the archive stage holds the write lock while a
        # batch is open (pipelines/archive.py), and a write then would have to join that batch.
        self.unresolved.append((lead, source.name))

    # --- articles ---------------------------------------------------------------------------

    def _article_request(self, lead: Lead, source: Source) -> scrapy.Request:
        return scrapy.Request(
            canonical_url(lead.url),  # tracking parameters never reach the outlet
            callback=self.parse_article,
            errback=self.page_failed,
            cb_kwargs={"source": source, "lead": lead},
            meta={"source": source.name, "lead": lead},
            # KnownUrlFilter already makes one request per article. Scrapy's dupefilter would
            # silently drop the second visit of a redirect loop (A → B → A): no errback, no count.
            dont_filter=True,
        )

    def parse_article(
        self,
        response: Response,
        source: Source,
        lead: Lead,
        remember_not_article: bool = True,
    ) -> Iterator[PageItem]:
        if not response.body.strip():
            # A 200 with nothing in it is a server fault, not a page to remember as no article.
            self.troubled.add(source.name)
            self.count(source.name, "failed")
            logger.error("source %s: cannot fetch %s: empty body", source.name, response.url)
            return
        self.count(source.name, "fetched")
        yield PageItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            body=response.body,
            headers=response_headers(response),
            status=response.status,
            source=source.name,
            discovered_via=source.type,
            discovered_at=now_kst(),
            lead_title=lead.title,
            lead_published_at=lead.published_at,
            lead_urls=lead.alternates,
            remember_not_article=remember_not_article,
        )

    def read_original(self, item: PageItem) -> bool:
        """Fetch another address of a page that gave no article, when its source type names one
        (the outlet's own page of a Naver copy we cannot read): the copy's verdict must not drop
        the original unread. True when a request for it was scheduled."""
        channel = self.channels.get(item.source)
        lead = channel.original_lead(item) if channel is not None else None
        if channel is None or lead is None:
            return False
        logger.info("source %s: %s gave no article; reading %s", item.source, item.url, lead.url)
        self.crawler.engine.crawl(self._article_request(lead, channel.source))
        return True

    # --- failures and the end ---------------------------------------------------------------

    def source_failed(self, failure: Failure) -> None:
        """The source's own request failed: the source failed, with the reason."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(CrawlInterrupted):
            return  # the crawl is stopping: not the source's fault
        if _refused(failure):  # by robots.txt or the private-address guard: nothing was read
            self.count(request.meta["source"], "refused")
            reason = f"refused: {failure.value}"
        else:
            reason = self._reason(failure)
        self.channel_failed(request.meta["source"], request.url, reason)

    def channel_failed(self, source: str, url: str, reason: str) -> None:
        self.troubled.add(source)
        channel = self.channels.get(source)
        configured = channel.source.address if channel is not None else None
        # The summary names the configured address; a child sitemap or a query page says its own.
        first = counts.outcome(self.crawler.stats.get_stats(), source).status != "failed"
        shown = url if url == configured else readable_url(url)
        counts.channel_failed(
            self.crawler.stats, source, reason if url == configured else f"{reason} at {shown}"
        )
        # One error line per failed source; its other requests' failures (more queries, newsroom
        # probes, child sitemaps) are counted, and said at -v.
        level = logging.ERROR if first else logging.INFO
        logger.log(level, "source %s: cannot read %s: %s", source, shown, reason)

    def page_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta["source"]
        # The URL the lead named, not where its redirects ended (a redirect loop's other end).
        url = request.meta.get("redirect_urls", [request.url])[0]
        if failure.check(CrawlInterrupted):
            return  # neither fetched nor failed: the next crawl reads it
        if failure.check(HostDeferred):
            self.count(source, "deferred")
            logger.info("source %s: %s deferred to a later crawl: %s", source, url, failure.value)
            return
        if _refused(failure):
            self.count(source, "refused")
            # robots.txt saying no is routine (a line at -v); a link or a redirect to a private
            # address is what a hostile feed does, and worth a warning.
            level = logging.WARNING if failure.check(PrivateAddressRefused) else logging.INFO
            logger.log(level, "source %s: not fetching %s: %s", source, url, failure.value)
            return
        self.troubled.add(source)
        self.count(source, "failed")
        logger.error("source %s: cannot fetch %s: %s", source, url, self._reason(failure))

    def _reason(self, failure: Failure) -> str:
        if failure.check(DownloadCancelledError) and not str(failure.value):
            # Cancelled while reading an undeclared body past the limit (Scrapy says no more).
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            return f"body larger than download max size ({limit}), download cancelled"
        return _reason(failure, timeout=self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))

    def closed(self, reason: str) -> None:
        archive = self.archive
        if self.unresolved:
            try:
                archive.keep_leads(self.unresolved)
            except sqlite3.Error as exc:
                # The archive failed (full, locked): the next crawl finds them again.
                logger.error("cannot record %d unresolved lead(s): %s", len(self.unresolved), exc)
        if reason != "finished":
            return  # an interrupted crawl keeps the old state: the next one redoes the work
        archive.save_source_state(
            {
                name: state
                for name, state in self.pending_state.items()
                if name not in self.troubled and state
            }
        )


def _refused(failure: Failure) -> bool:
    """Refused by us, not failed: a private address, or robots.txt. Other IgnoreRequests (an HTTP
    error status, a redirect loop, a body that inflates past the limit) are failures."""
    if failure.check(PrivateAddressRefused):
        return True
    # RobotsTxtMiddleware raises a plain IgnoreRequest; tests/test_crawl_end_to_end.py pins it.
    return bool(failure.check(IgnoreRequest)) and str(failure.value) == "Forbidden by robots.txt"


def _reason(failure: Failure, *, timeout: float | None = None) -> str:
    response = getattr(failure.value, "response", None)
    if response is not None:
        if bot_challenge(response.body, response_headers(response)):
            return f"a bot challenge (HTTP {response.status})"
        return f"HTTP {response.status}"
    assert failure.value is not None
    return failures.describe(failure.value, timeout=timeout)
