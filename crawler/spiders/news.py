"""The news spider: reads each configured source, follows its article links, yields fetched pages.

It discovers and fetches, nothing else. One method per source type turns the channel's answer
into leads (crawler/discovery/); every lead becomes one article request. Skipping what the archive
already knows happens in `crawler.middlewares.KnownUrlFilter`; judging pages happens in the
pipelines. What a source must remember between crawls (validators for conditional requests,
watermarks) is saved when the crawl closes, and only for sources that had no failure, so a crash
never makes newswatch skip something it did not finish.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import KST, Archive, now_kst
from crawler import counts, failures
from crawler.discovery import Lead, google_news, naver, sitemap
from crawler.discovery.rss import FeedPage, read_feed
from crawler.items import PageItem
from crawler.middlewares import CrawlInterrupted, HostDeferred, PrivateAddressRefused
from crawler.urls import canonical_url, is_google_news
from pipelines.extract import ExtractPipeline

logger = logging.getLogger(__name__)
T = TypeVar("T")

NAVER_ID, NAVER_SECRET = "NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET"
MAX_CHILD_SITEMAPS = 10  # per sitemap index and crawl
MAX_NEWSROOM_PROBES = 50  # post numbers tried per crawl, however many are found


class _ReportedByErrback(logging.Filter):
    """Drops Scrapy's own warning for failures an errback here reports, so each is one line."""

    MESSAGES = ("larger than download max size", "Got data loss in", "during decompression")

    def filter(self, record: logging.LogRecord) -> bool:
        return not any(message in record.getMessage() for message in self.MESSAGES)


_REPORTED_BY_ERRBACK = _ReportedByErrback()


class NewsSpider(scrapy.Spider):
    name = "news"

    sources: list[dict[str, Any]]
    archive_path: str
    pending_state: defaultdict[str, dict[str, Any]]
    troubled: set[str]
    newsroom_seen: defaultdict[str, set[int]]
    unresolved: list[tuple[Lead, str]]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = list(crawler.settings.getlist("NEWSWATCH_SOURCES"))
        only = kwargs.get("source")  # `-a source=NAME` crawls one source
        if only:
            spider.sources = [s for s in spider.sources if s["name"] == only]
        spider.archive_path = crawler.settings.get("ARCHIVE_PATH")
        spider.pending_state = defaultdict(dict)  # source → state to save if it ends well
        spider.troubled = set()  # sources with a failure this crawl: their state is not saved
        spider.newsroom_seen = defaultdict(set)  # source → post numbers requested
        spider.unresolved = []  # (lead, source): Google News leads kept without an outlet URL
        for name in (
            "scrapy.core.downloader.handlers.http11",
            "scrapy.downloadermiddlewares.httpcompression",
        ):
            logging.getLogger(name).addFilter(_REPORTED_BY_ERRBACK)
        return spider

    # --- start ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with Archive(self.archive_path) as archive:
            states = {s["name"]: archive.source_state(s["name"]) for s in self.sources}
        for source in self.sources:
            counts.count(self.crawler.stats, source["name"], "discovered", 0)
            for request in self._source_requests(source, states[source["name"]]):
                yield request

    def _source_requests(
        self, source: dict[str, Any], state: dict[str, Any]
    ) -> Iterator[scrapy.Request]:
        kind, name = source["type"], source["name"]
        if kind in {"rss", "sitemap", "google-news"}:
            url = source["url"]
            if kind == "google-news":
                url = google_news.search_url(
                    source["endpoint"], source["query"][0], source["max_age"]
                )
            yield self._discovery_request(url, source, state, top=True)
        elif kind == "naver-api":
            client_id, secret = os.environ.get(NAVER_ID), os.environ.get(NAVER_SECRET)
            if not client_id or not secret:
                # Off, not failed: configured to need keys it was not given. Said in the summary,
                # `runs` and `sources`; a line on every crawl's stderr would be noise in cron mail.
                why = f"{NAVER_ID} and {NAVER_SECRET} are not set"
                counts.switched_off(self.crawler.stats, name, why)
                logger.info("source %s: off, %s (Naver API credentials)", name, why)
                return
            for query in source["query"]:
                yield self._naver_request(source, query, 1, state.get("watermark"))
        elif kind == "lg-newsroom":
            last = int(state.get("watermark") or source["start"] - 1)
            for seq in range(last + 1, last + 1 + source["probe"]):
                yield from self._newsroom_request(source, seq)

    def _discovery_request(
        self, url: str, source: dict[str, Any], state: dict[str, Any], *, top: bool
    ) -> scrapy.Request:
        headers = {}
        # Conditional request: an unchanged feed costs one small 304 response.
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        return scrapy.Request(
            url,
            callback=self.parse_channel,
            errback=self.source_failed,
            headers=headers,
            cb_kwargs={"source": source, "top": top},
            meta={"source": source["name"], "handle_httpstatus_list": [304]},
            dont_filter=True,  # read every crawl, even if an article shares its URL
        )

    # --- feeds, sitemaps, Google News -------------------------------------------------------

    async def parse_channel(
        self, response: Response, source: dict[str, Any], top: bool
    ) -> AsyncIterator[Any]:
        name, kind = source["name"], source["type"]
        if response.status == 304:
            counts.count(self.crawler.stats, name, "not_modified")
            return
        if top:  # validators belong to the configured URL, not to child sitemaps
            self._remember_validators(response, name)
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if kind == "sitemap":
            page = sitemap.parse_sitemap(
                response.body,
                response.url,
                now=datetime.now(KST),
                max_age=source["max_age"],
                max_items=source["max_items"],
            )
            if page.error:  # what it did yield (recovered entries) is still followed
                self._channel_failed(name, response.url, page.error)
            for child in page.sitemaps[:MAX_CHILD_SITEMAPS]:
                yield self._discovery_request(child, source, {}, top=False)
            leads = page.leads
        elif kind == "google-news":
            leads = google_news.parse_search(response.body, response.url, content_type)
        else:
            leads = await self._feed_leads(response, source, content_type)
        counts.count(self.crawler.stats, name, "discovered", len(leads))
        for lead in leads:
            if is_google_news(lead.url):
                for request in self._resolve_google(lead, source):
                    yield request
            else:
                yield self._article_request(lead, source)

    async def _feed_leads(
        self, response: Response, source: dict[str, Any], content_type: str
    ) -> list[Lead]:
        """The feed's leads; a feed that is unreadable or malformed counts as the source failing."""
        name = source["name"]
        read = partial(read_feed, max_items=source["max_items"])
        try:
            feed = await self._parse_aside(read, response.body, response.url, content_type)
        except BrokenProcessPool:
            feed = FeedPage(error="reading it killed an extraction worker")
        if feed.error:  # a 200 that is not a feed: the source failed, like a 5xx
            self._channel_failed(name, response.url, feed.error)
            return []
        # Kept in Scrapy's stats; crawl_run_sources has no column for them yet.
        counts.count(self.crawler.stats, name, "ignored_items", feed.ignored)
        counts.count(self.crawler.stats, name, "beyond_max_items", feed.beyond)
        notes = "".join(
            (
                f"; {feed.ignored} items without an http(s) link ignored" if feed.ignored else "",
                f"; {feed.beyond} items past max_items = {source['max_items']} not read"
                if feed.beyond
                else "",
            )
        )
        if feed.malformed:  # read up to the fault; counted, so the next crawl reads it again
            self._channel_failed(
                name,
                response.url,
                f"malformed XML ({feed.malformed}); following the {len(feed.leads)} items"
                f" read before it{notes}",
            )
        elif notes:
            logger.warning(
                "source %s: %s: following %d items%s",
                name,
                response.url,
                len(feed.leads),
                notes,
            )
        return feed.leads

    async def _parse_aside(self, function: Callable[..., T], *args: object) -> T:
        """function(*args), a pure parse of a channel's answer, in the extraction workers when the
        crawl has them (in this process when not). feedparser reads about 7,000 items a second:
        in this process, a crawl's feeds held the reactor while the workers, with no article
        to read yet, sat idle."""
        extract = self.crawler.get_item_pipeline(ExtractPipeline)
        if extract is None:  # a crawl configured without the pipeline (tests)
            return function(*args)
        return await extract.parse(function, *args)

    def _remember_validators(self, response: Response, name: str) -> None:
        if response.request is None or response.request.url != response.url:
            return  # validators of a redirect target do not belong to the configured URL
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        self.pending_state[name].update(
            etag=etag.decode("latin-1") if etag else None,
            last_modified=modified.decode("latin-1") if modified else None,
        )

    # Google News links never reach parse_article: Google's pages are not articles.

    def _resolve_google(self, lead: Lead, source: dict[str, Any]) -> Iterator[scrapy.Request]:
        token = google_news.article_token(lead.url)
        decoded = google_news.decode_offline(token) if token else None
        if decoded:
            yield self._article_request(self._resolved(lead, decoded), source)
        elif token and source["resolve"]:
            yield scrapy.Request(
                google_news.decoding_page_url(source["endpoint"], token),
                callback=self.parse_google_page,
                errback=self.google_failed,
                cb_kwargs={"source": source, "lead": lead, "token": token},
                meta={"source": source["name"], "lead": lead},
            )
        else:
            self._keep_unresolved(lead, source, "cannot decode the link")

    def parse_google_page(
        self, response: Response, source: dict[str, Any], lead: Lead, token: str
    ) -> Iterator[scrapy.Request]:
        params = google_news.decoding_params(response.body)
        if params is None:
            self._keep_unresolved(lead, source, "no decoding parameters on Google's page")
            return
        signature, timestamp = params
        yield scrapy.Request(
            google_news.batchexecute_url(source["endpoint"]),
            method="POST",
            body=google_news.batchexecute_body(token, signature, timestamp),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
            callback=self.parse_google_rpc,
            errback=self.google_failed,
            cb_kwargs={"source": source, "lead": lead},
            meta={"source": source["name"]},
            dont_filter=True,
        )

    def parse_google_rpc(
        self, response: Response, source: dict[str, Any], lead: Lead
    ) -> Iterator[scrapy.Request]:
        decoded = google_news.parse_batchexecute(response.body)
        if decoded is None:
            self._keep_unresolved(lead, source, "Google's decoding answer had no URL")
            return
        yield self._article_request(self._resolved(lead, decoded), source)

    def google_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = next(s for s in self.sources if s["name"] == request.meta["source"])
        lead = request.cb_kwargs["lead"]
        self._keep_unresolved(lead, source, _reason(failure))

    @staticmethod
    def _resolved(lead: Lead, url: str) -> Lead:
        return Lead(url, lead.title, lead.published_at, (lead.url, *lead.alternates), lead.outlet)

    def _keep_unresolved(self, lead: Lead, source: dict[str, Any], why: str) -> None:
        counts.count(self.crawler.stats, source["name"], "unresolved")
        logger.warning("source %s: keeping %s as a lead (%s)", source["name"], lead.url, why)
        # Written when the crawl closes: during it, the archive stage holds the write lock while a
        # batch is open (pipelines/archive.py), and a write on another connection would wait on it.
        self.unresolved.append((lead, source["name"]))

    # --- Naver Search API -------------------------------------------------------------------

    def _naver_request(
        self, source: dict[str, Any], query: str, start: int, watermark: str | None
    ) -> scrapy.Request:
        return scrapy.Request(
            naver.search_url(source["endpoint"], query, start),
            callback=self.parse_naver,
            errback=self.source_failed,
            headers={
                "X-Naver-Client-Id": os.environ.get(NAVER_ID, ""),
                "X-Naver-Client-Secret": os.environ.get(NAVER_SECRET, ""),
            },
            cb_kwargs={"source": source, "query": query, "start": start, "watermark": watermark},
            meta={"source": source["name"]},
            dont_filter=True,
        )

    def parse_naver(
        self,
        response: Response,
        source: dict[str, Any],
        query: str,
        start: int,
        watermark: str | None,
    ) -> Iterator[scrapy.Request]:
        name = source["name"]
        page = naver.parse_response(response.body, response.url)
        if page is None:
            self._channel_failed(name, response.url, "not a readable Naver API answer")
            return
        counts.count(self.crawler.stats, name, "discovered", len(page.leads))
        dates = [lead.published_at for lead in page.leads if lead.published_at]
        if dates:
            newest = max(dates)
            current = self.pending_state[name].get("watermark")
            self.pending_state[name]["watermark"] = max(newest, current or newest)
        for lead in page.leads:
            yield self._article_request(lead, source)
        # Page on while the whole page is newer than what the last crawl saw, within the limits.
        page_number = (start - 1) // naver.DISPLAY + 1
        following = naver.next_start(start)
        older_reached = watermark is not None and any(d <= watermark for d in dates)
        if (
            following
            and len(page.leads) == naver.DISPLAY
            and not older_reached
            and page_number < source["max_pages"]
        ):
            yield self._naver_request(source, query, following, watermark)

    # --- LG AI Research newsroom ------------------------------------------------------------

    def _newsroom_request(self, source: dict[str, Any], seq: int) -> Iterator[scrapy.Request]:
        seen = self.newsroom_seen[source["name"]]
        if seq in seen or len(seen) >= MAX_NEWSROOM_PROBES:
            return
        seen.add(seq)
        lead = Lead(source["url"].format(seq=seq))
        yield scrapy.Request(
            canonical_url(lead.url),
            callback=self.parse_newsroom,
            errback=self.newsroom_missing,
            cb_kwargs={"source": source, "lead": lead, "seq": seq},
            meta={"source": source["name"], "lead": lead},
        )

    def parse_newsroom(
        self, response: Response, source: dict[str, Any], lead: Lead, seq: int
    ) -> Iterator[Any]:
        # Unpublished numbers may answer 200 with an empty template: only a page that extracts
        # as an article moves the watermark, and such pages are not remembered as rejected.
        # (Imported here: a crawl with extraction workers reads no other page in this process.)
        from crawler.extraction import extract  # noqa: PLC0415

        if extract(response.body, response.url, _headers(response)) is None:
            return
        name = source["name"]
        counts.count(self.crawler.stats, name, "discovered")
        current = int(self.pending_state[name].get("watermark") or 0)
        self.pending_state[name]["watermark"] = str(max(current, seq))
        yield from self.parse_article(response, source, lead, remember_not_article=False)
        yield from self._newsroom_request(source, seq + source["probe"])

    def newsroom_missing(self, failure: Failure) -> None:
        # A number not published yet (404) is the normal end of the probe, not a failure.
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in {404, 410}:
            return
        if failure.check(CrawlInterrupted):
            return
        # The probe is this source's channel: a newsroom that cannot be reached is a failed source.
        self.source_failed(failure)

    # --- articles ---------------------------------------------------------------------------

    def _article_request(self, lead: Lead, source: dict[str, Any]) -> scrapy.Request:
        return scrapy.Request(
            canonical_url(lead.url),  # tracking parameters never reach the outlet
            callback=self.parse_article,
            errback=self.page_failed,
            cb_kwargs={"source": source, "lead": lead},
            meta={"source": source["name"], "lead": lead},
            # KnownUrlFilter already makes one request per article. Scrapy's dupefilter would
            # silently drop the second visit of a redirect loop (A → B → A): no errback, no count.
            dont_filter=True,
        )

    def parse_article(
        self,
        response: Response,
        source: dict[str, Any],
        lead: Lead,
        remember_not_article: bool = True,
    ) -> Iterator[PageItem]:
        if not response.body.strip():
            # A 200 with nothing in it is a server fault, not a page to remember as no article.
            self.troubled.add(source["name"])
            counts.count(self.crawler.stats, source["name"], "failed")
            logger.error("source %s: cannot fetch %s: empty body", source["name"], response.url)
            return
        counts.count(self.crawler.stats, source["name"], "fetched")
        yield PageItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            body=response.body,
            headers=_headers(response),
            status=response.status,
            source=source["name"],
            discovered_via=source["type"],
            discovered_at=now_kst(),
            lead_title=lead.title,
            lead_published_at=lead.published_at,
            lead_urls=lead.alternates,
            remember_not_article=remember_not_article,
        )

    def read_original(self, item: PageItem) -> bool:
        """Fetch the outlet's own address of a Naver copy that gave no article (a sports or
        entertainment layout we cannot read): the copy's verdict must not drop the original
        unread. True when a request for it was scheduled."""
        originals = [url for url in item.lead_urls if not naver.is_naver_copy(url)]
        source = next((s for s in self.sources if s["name"] == item.source), None)
        if not originals or source is None or not naver.is_naver_copy(item.url):
            return False
        alternates = (*originals[1:], item.url)
        lead = Lead(originals[0], item.lead_title, item.lead_published_at, alternates)
        logger.info("source %s: %s gave no article; reading %s", item.source, item.url, lead.url)
        self.crawler.engine.crawl(self._article_request(lead, source))
        return True

    # --- failures and the end ---------------------------------------------------------------

    def source_failed(self, failure: Failure) -> None:
        """The source's own request failed: the source failed, with the reason."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(CrawlInterrupted):
            return  # the crawl is stopping: not the source's fault
        if _refused(failure):  # by robots.txt or the private-address guard: nothing was read
            counts.count(self.crawler.stats, request.meta["source"], "refused")
            reason = f"refused: {failure.value}"
        else:
            reason = self._reason(failure)
        self._channel_failed(request.meta["source"], request.url, reason)

    def _channel_failed(self, source: str, url: str, reason: str) -> None:
        self.troubled.add(source)
        configured = next((s.get("url") for s in self.sources if s["name"] == source), None)
        # The summary names the configured address; a child sitemap or a query page says its own.
        first = counts.outcome(self.crawler.stats.get_stats(), source).status != "failed"
        counts.channel_failed(
            self.crawler.stats, source, reason if url == configured else f"{reason} at {url}"
        )
        # One error line per failed source; its other requests' failures (more queries, newsroom
        # probes, child sitemaps) are counted, and said at -v.
        level = logging.ERROR if first else logging.INFO
        logger.log(level, "source %s: cannot read %s: %s", source, url, reason)

    def page_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta["source"]
        # The URL the lead named, not where its redirects ended (a redirect loop's other end).
        url = request.meta.get("redirect_urls", [request.url])[0]
        if failure.check(CrawlInterrupted):
            return  # neither fetched nor failed: the next crawl reads it
        if failure.check(HostDeferred):
            counts.count(self.crawler.stats, source, "deferred")
            logger.info("source %s: %s deferred to a later crawl: %s", source, url, failure.value)
            return
        if _refused(failure):
            counts.count(self.crawler.stats, source, "refused")
            # robots.txt saying no is routine (a line at -v); a link or a redirect to a private
            # address is what a hostile feed does, and worth a warning.
            level = logging.WARNING if failure.check(PrivateAddressRefused) else logging.INFO
            logger.log(level, "source %s: not fetching %s: %s", source, url, failure.value)
            return
        self.troubled.add(source)
        counts.count(self.crawler.stats, source, "failed")
        logger.error("source %s: cannot fetch %s: %s", source, url, self._reason(failure))

    def _reason(self, failure: Failure) -> str:
        if failure.check(DownloadCancelledError) and not str(failure.value):
            # Cancelled while reading an undeclared body past the limit (Scrapy says no more).
            limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            return f"body larger than download max size ({limit}), download cancelled"
        return _reason(failure, timeout=self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))

    def closed(self, reason: str) -> None:
        if self.unresolved:
            try:
                with Archive(self.archive_path) as archive, archive.db.atomic():
                    for lead, name in self.unresolved:
                        archive.add_lead(
                            lead.url,
                            source=name,
                            title=lead.title,
                            outlet=lead.outlet,
                            published_at=lead.published_at,
                        )
            except sqlite3.Error as exc:
                # The archive failed (full, locked): the next crawl finds them again.
                logger.error("cannot record %d unresolved lead(s): %s", len(self.unresolved), exc)
        if reason != "finished":
            return  # an interrupted crawl keeps the old state: the next one redoes the work
        with Archive(self.archive_path) as archive:
            for name, state in self.pending_state.items():
                if name not in self.troubled and state:
                    archive.save_source_state(name, **state)
            archive.match_leads()


def _headers(response: Response) -> dict[str, str]:
    return {
        k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
        for k, v in response.headers.items()
    }


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
        from crawler.extraction import bot_challenge  # noqa: PLC0415 - see parse_newsroom

        if bot_challenge(response.body, _headers(response)):
            return f"a bot challenge (HTTP {response.status})"
        return f"HTTP {response.status}"
    assert failure.value is not None
    return failures.describe(failure.value, timeout=timeout)
