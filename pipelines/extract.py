"""Extract pipeline: a fetched page becomes an Article, or is rejected as not an article."""

from __future__ import annotations

import logging
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler import counts
from crawler.extraction import bot_challenge, extract
from crawler.items import ArticleItem, PageItem
from crawler.urls import canonical_url
from pipelines import Rejected

logger = logging.getLogger(__name__)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class ExtractPipeline:
    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler.stats)

    def process_item(self, item: object) -> object:
        if not isinstance(item, PageItem):
            return item
        media_type = item.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in _HTML_TYPES:
            counts.count(self.stats, item.source, "not_article")
            raise Rejected("not_article", f"{item.final_url} is {media_type}, not HTML")
        if bot_challenge(item.body, item.headers):
            # A fault, not a verdict on the page: counted as failed, not remembered, tried again
            # next crawl. (An empty body never gets here: the spider counts it as failed.)
            counts.count(self.stats, item.source, "failed")
            logger.error(
                "source %s: cannot use %s: a bot challenge (HTTP %d)",
                item.source,
                item.final_url,
                item.status,
            )
            raise DropItem(f"a bot challenge: {item.final_url}", log_level="DEBUG")
        article = extract(item.body, item.final_url, item.headers)
        if article is None:
            counts.count(self.stats, item.source, "not_article")
            raise Rejected("not_article", f"{item.final_url} has no article body")
        article = replace(
            article,
            url=canonical_url(article.url),
            # The feed's date stands in when the page states none.
            published_at=article.published_at or item.lead_published_at,
        )
        # Every address this article answers to: its own, the fetched ones, those the channel
        # named (Naver's originallink, a Google link) and the outlet original of a portal copy.
        urls = [article.url, item.final_url, item.url, *item.lead_urls]
        if article.original_url:
            urls.append(article.original_url)
        canonical = tuple(dict.fromkeys(canonical_url(url) for url in urls))
        return ArticleItem(page=item, article=article, urls=canonical)
