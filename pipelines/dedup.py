"""Dedup pipeline: is this article already archived? By any of its URLs, then by exact text."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from archive import Archive, text_hash
from crawler.items import ArticleItem


class DedupPipeline:
    """Marks duplicates (item.duplicate_of); the archive pipeline records their extra URLs."""

    def __init__(self, archive_path: str, stats: StatsCollector | None) -> None:
        self.archive_path = archive_path
        self.stats = stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVE_PATH is not set")
        return cls(path, crawler.stats)

    def open_spider(self) -> None:
        self.archive = Archive(self.archive_path)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        assert self.archive is not None
        existing = self.archive.article_id_for_urls(item.urls)
        reason = "url"
        if existing is None:
            existing = self.archive.article_id_for_text_hash(text_hash(item.article.text))
            reason = "text_hash"
        if existing is not None:
            item.duplicate_of = existing
            item.duplicate_reason = reason
            if self.stats is not None:
                self.stats.inc_value(f"dedup/{reason}")
        return item
