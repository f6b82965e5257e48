"""Crawl middlewares: refuse private addresses, defer what a slow host cannot serve, and follow
<meta http-equiv="refresh"> redirects without decoding every page to look for one. (Skipping
what the archive already knows is pipelines/known.py.)"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from crawler.urls import is_public_address

logger = logging.getLogger(__name__)


class CrawlInterrupted(IgnoreRequest):
    """The crawl is stopping (Ctrl-C, SIGTERM): a request it will not make. Not a failure: the
    page stays unknown, so the next crawl reads it."""


class HostDeferred(IgnoreRequest):
    """A request left for a later crawl: its host's delay would hold this crawl up too long."""


class HostBudget:
    """Downloader middleware: defers a host's pages that would wait past POLITENESS_MAX_WAIT.

    A host's Crawl-delay (crawler/politeness.py) is honoured between its requests, capped at the
    same POLITENESS_MAX_WAIT. Its pages queue in the host's downloader slot, and Scrapy counts
    queued requests against CONCURRENT_REQUESTS: one host with a long delay and many pages would
    hold every other host up, and the crawl would run for hours (`Crawl-delay: 86400`). A page
    whose turn would come more than POLITENESS_MAX_WAIT seconds from now is not queued: it is
    counted `deferred`, stays unknown, and a later crawl fetches it (and defers the rest).
    Runs after RobotsTxtMiddleware (100), so a host's Crawl-delay is known when its first page
    gets here.
    """

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostBudget:
        return cls(crawler, crawler.settings.getfloat("POLITENESS_MAX_WAIT", 30.0))

    def process_request(self, request: Request) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None or slot.delay <= 0:
            return
        # This page's turn: the delay since the host's last request (robots.txt counts), then a
        # delay for each request ahead of it in the slot (the one in flight included).
        ahead = len(slot.queue) + len(slot.transferring)
        wait = max(0.0, slot.lastseen + slot.delay - time.monotonic()) + ahead * slot.delay
        if wait > self.max_wait:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("deferred/host_delay")
            raise HostDeferred(
                f"its host asks for {slot.delay:g} s between requests; its turn would come in"
                f" {wait:.0f} s, past the {self.max_wait:g} s a crawl waits for one host"
            )


class PrivateAddressRefused(IgnoreRequest):
    """A request whose host resolves to a loopback, private or link-local address."""


class PrivateAddressGuard:
    """Downloader middleware: refuse requests to non-public addresses unless allowed.

    A hostile feed must not make the crawler read internal services into an archive that may be
    published. Redirects pass through here again, so a redirect to such an address is refused too.
    The check resolves the name itself; a DNS answer that changes between this check and the
    connection (rebinding) is not caught, and is the one gap left.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressGuard:
        if crawler.settings.getbool("NEWSWATCH_ALLOW_PRIVATE"):
            # No message: Scrapy logs a WARNING for every NotConfigured that has one, and this is
            # the configuration asked for (allow_private = true), on every crawl, not a problem.
            logger.debug("private addresses allowed: the private-address guard is off")
            raise NotConfigured
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        for address in await _addresses(host):
            if not is_public_address(address):
                if self.crawler.stats is not None:
                    self.crawler.stats.inc_value("refused/private_address")
                raise PrivateAddressRefused(
                    f"{host} is a non-public address ({address}); set allow_private = true to allow"
                )


async def _addresses(host: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return []  # unresolvable: let the download fail and be counted like any other failure
    return [str(info[4][0]) for info in infos]


# How far into the body Scrapy looks for the tag: its first 4,096 characters, at most 4 bytes each.
_REFRESH_WINDOW = 4 * 4096
# The tag as bytes: "<meta", then within it "refresh". No ASCII-compatible charset has ">" as part
# of a multi-byte character, so [^>]* stays inside the tag. Pages that only mention the word (a
# script's refreshToken, in many of the throughput mirror's pages: bench/RESULTS.md, Throughput)
# need no decoding either.
_REFRESH = re.compile(rb"<meta\b[^>]*refresh", re.IGNORECASE)


class QuickMetaRefresh(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, asked only about pages that can hold the tag.

    Scrapy's own decodes every HTML response to find the tag, and a page that declares no charset
    is decoded by guessing it over the whole body: a tenth of the crawl process's time. The tag
    is spelled in ASCII, so a page whose first bytes hold no "<meta" with "refresh" inside has
    none; pages in UTF-16 or UTF-32 (NUL bytes between the letters) still go to Scrapy.
    """

    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Request | Response:
        if not may_refresh(response.body[:_REFRESH_WINDOW]):
            return response
        return super().process_response(request, response)


def may_refresh(head: bytes) -> bool:
    """Whether the first bytes of a page can hold a <meta http-equiv="refresh"> tag."""
    return b"\x00" in head or _REFRESH.search(head) is not None
