"""Relevance pipeline: keep an article only if it mentions the watch terms enough."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler import counts
from crawler.items import ArticleItem
from crawler.watch import WatchTerms
from pipelines import Rejected


class RelevancePipeline:
    def __init__(self, terms: WatchTerms, min_score: int, stats: StatsCollector | None) -> None:
        self.terms = terms
        self.min_score = min_score
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        terms = crawler.settings.getlist("WATCH_TERMS")
        if not terms:
            raise NotConfigured("WATCH_TERMS is empty: every article would be kept")
        return cls(
            WatchTerms.of(terms), crawler.settings.getint("WATCH_MIN_SCORE", 1), crawler.stats
        )

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        # The extraction worker scores the article with the same terms (pipelines/extract.py).
        score = item.relevance
        if score is None:
            score = self.terms.score(item.article.title, item.article.text)
        if score < self.min_score:
            counts.count(self.stats, item.source, "irrelevant")
            why = "no watch term" if score == 0 else f"score {score} < {self.min_score}"
            raise Rejected("irrelevant", f"{item.article.url} ({why})")
        item.relevance = score
        return item
