"""Relevance pipeline: keep an article only if it matches at least one watch well enough."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler import counts
from crawler.items import ArticleItem
from crawler.watch import Watches
from pipelines import Rejected


class RelevancePipeline:
    def __init__(self, watches: Watches, min_score: int, stats: StatsCollector | None) -> None:
        self.watches = watches
        self.min_score = min_score
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        watches = Watches.from_settings(
            crawler.settings.getlist("WATCHES"), crawler.settings.getlist("WATCH_TERMS")
        )
        if watches is None:
            raise NotConfigured("WATCHES and WATCH_TERMS are empty: every article would be kept")
        return cls(watches, crawler.settings.getint("WATCH_MIN_SCORE", 1), crawler.stats)

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        # The extraction worker scores the article with the same terms (pipelines/extract.py).
        if item.watches is None:
            found = self.watches.match(item.article.title, item.article.text)
            item.watches = tuple(m for m in found if m.score >= self.min_score)
            if item.relevance is None:
                item.relevance = max((m.score for m in found), default=0)
        score = item.relevance or 0
        if not item.watches:
            counts.count(self.stats, item.source, "irrelevant")
            # Score 0: no watch's term occurs; else some occur, but too few (WATCH_MIN_SCORE).
            why = "no watch term" if score == 0 else f"best score {score} < {self.min_score}"
            raise Rejected("irrelevant", f"{item.article.url} ({why})")
        return item
