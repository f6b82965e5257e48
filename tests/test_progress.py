"""The live progress line names the sources still pending and the request waiting longest."""

from __future__ import annotations

from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler import counts
from newswatch.progress import CrawlProgress


def test_the_line_names_pending_sources_and_the_slowest_request() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    progress = CrawlProgress(crawler)
    counts.count(crawler.stats, "yna", "fetched", 3)
    counts.count(crawler.stats, "mk", "new")
    slow = Request("https://www.mk.co.kr/rss/30000001/", meta={"source": "mk"})
    quick = Request("https://www.yna.co.kr/view/AKR1", meta={"source": "yna"})
    progress.in_flight = {id(slow): (100.0, "mk", slow.url), id(quick): (110.0, "yna", quick.url)}
    assert progress.line(112.4).splitlines() == [
        "crawling 2 sources  discovered 0  known 0  fetched 3  new 1  duplicates 0  irrelevant 0"
        "  not article 0  refused 0  failed 0",
        "waiting on mk, yna",
        "slowest: https://www.mk.co.kr/rss/30000001/ (mk, 12 s)",
    ]
    progress.left(slow)
    assert progress.line(112.4).splitlines()[1:] == [
        "waiting on yna",
        "slowest: https://www.yna.co.kr/view/AKR1 (yna, 2 s)",
    ]
    progress.left(quick)
    assert len(progress.line(112.4).splitlines()) == 1


def test_urls_from_feeds_lose_their_control_characters() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    progress = CrawlProgress(crawler)
    request = Request("https://example.com/a", meta={"source": "x\x1b[2Jy"})
    progress.reached(request)
    assert "\x1b" not in progress.line(0.0)
