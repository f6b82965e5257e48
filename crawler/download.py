"""Scrapy's HTTP/1.1 download handler, keeping open every connection a crawl through a proxy uses.

Scrapy caches at most CONCURRENT_REQUESTS_PER_DOMAIN idle connections per address. Without a proxy
that is one address per host and never more than that many connections to it, so nothing changes
here. Through an HTTP proxy every request goes to the one address of the proxy, with up to
CONCURRENT_REQUESTS of them in flight: Scrapy then closed the connections past the per-host number
as they fell idle and opened new ones for the next requests. A crawl of the throughput mirror
(per-host concurrency 8, 16 in all) reconnected for most of its pages; with this handler it keeps
its 16 connections, and the crawl process spends less CPU (bench/RESULTS.md, Throughput).
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler


class PooledHTTP11DownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # _pool is Twisted's HTTPConnectionPool, which Scrapy's handler sizes from
        # CONCURRENT_REQUESTS_PER_DOMAIN (scrapy/core/downloader/handlers/http11.py).
        self._pool.maxPersistentPerHost = max(
            self._pool.maxPersistentPerHost, crawler.settings.getint("CONCURRENT_REQUESTS")
        )
