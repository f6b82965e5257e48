"""AutoThrottle that also honours robots.txt Crawl-delay and backs off on 429/503.

Scrapy parses Crawl-delay but does not enforce it (scrapy/scrapy#892), and its AutoThrottle can
lower a host's delay below it again. This keeps a per-host floor: the larger of DOWNLOAD_DELAY and
the host's Crawl-delay (capped at POLITENESS_MAX_WAIT seconds), raised for a while when the host
answers 429 or 503 (Retry-After honoured, capped at POLITENESS_MAX_BACKOFF seconds).
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class PoliteThrottle(AutoThrottle):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawl_delays: dict[str, float] = {}  # slot key → Crawl-delay
        self.backoff_until: dict[str, tuple[float, float]] = {}  # slot key → (until, delay)
        self.max_backoff = crawler.settings.getfloat("POLITENESS_MAX_BACKOFF", 120.0)
        self.max_wait = crawler.settings.getfloat("POLITENESS_MAX_WAIT", 30.0)
        # Off: no slowing down for slow answers (a local mirror, whose "latency" is mostly our
        # own busy event loop); Crawl-delay and 429/503 backoff still hold.
        self.adaptive = crawler.settings.getbool("POLITENESS_ADAPTIVE", True)
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get(
            "USER_AGENT"
        )
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)

    def _robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        asked = robotparser.crawl_delay(self.user_agent)
        if not asked or self.crawler.engine is None:
            return
        # Capped like Retry-After: `Crawl-delay: 86400` must not hold a crawl for a day. Pages that
        # would wait longer than the cap are deferred to later crawls (crawler/middlewares.py).
        delay = min(float(asked), self.max_wait)
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        self.crawl_delays[key] = float(delay)
        # New slots for this host start at the floor; an existing one is raised now.
        downloader.per_slot_settings.setdefault(key, {})["delay"] = float(delay)
        if key in downloader.slots:
            slot = downloader.slots[key]
            slot.delay = max(slot.delay, float(delay))
        if delay < float(asked):  # said at -v: it comes at every crawl that host is in
            logger.info(
                "%s asks for Crawl-delay %g s: waiting %g s between its requests, and leaving"
                " what does not fit in this crawl to the next",
                key,
                float(asked),
                delay,
            )
        else:
            logger.info("%s asks for Crawl-delay %.1f s: honoured", key, delay)

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        if self.adaptive:
            super()._adjust_delay(slot, latency, response)

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        super()._response_downloaded(response, request, spider)
        key = request.meta.get("download_slot")
        if key is None or self.crawler.engine is None:
            return
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is None:
            return
        now = time.monotonic()
        if response.status in {429, 503}:
            wait = min(_retry_after(response) or max(2 * slot.delay, 1.0), self.max_backoff)
            self.backoff_until[key] = (now + wait * 4, wait)
            logger.warning(
                "%s answered %d: waiting %.1f s between requests", key, response.status, wait
            )
        floor = self.crawl_delays.get(key, 0.0)
        until, backoff = self.backoff_until.get(key, (0.0, 0.0))
        if until > now:
            floor = max(floor, backoff)
        slot.delay = max(slot.delay, floor)


def _retry_after(response: Response) -> float | None:
    value = (response.headers.get("Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
