"""Archive pipeline: write each article, the new URLs of a copy, or a known article's new version.

It also listens for rejected pages (not articles, irrelevant) and remembers their URLs, so the next
crawl skips them before fetching.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from archive import Archive, NewArticle, RawPage
from archive import stories as story_index
from crawler import counts
from crawler.items import ArticleItem, PageItem
from crawler.urls import canonical_url
from pipelines import Rejected

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, archive_path: str, stats: StatsCollector | None) -> None:
        self.archive_path = archive_path
        self.stats = stats
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVE_PATH is not set")
        pipeline = cls(path, crawler.stats)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        self.archive = Archive(self.archive_path)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        assert self.archive is not None
        article, page = item.article, item.page
        if item.version_of is not None:
            version_id = story_index.record_version(
                self.archive,
                item.version_of,
                title=article.title,
                text=article.text,
                modified_at=article.modified_at,
                seen_at=page.discovered_at,
            )
            self.archive.add_urls(
                item.version_of, item.urls, item.source, outlet=article.outlet, matched_by="url"
            )
            # An update is neither a new article nor a new alert; it counts as a duplicate.
            counts.count(self.stats, item.source, "duplicates")
            logger.info(
                "article %d changed (version %d kept): %s", item.version_of, version_id, article.url
            )
            return item
        if item.duplicate_of is not None:
            added = self.archive.add_urls(
                item.duplicate_of,
                item.urls,
                item.source,
                outlet=article.outlet,
                matched_by=item.duplicate_reason or "url",
                similarity=item.similarity,
            )
            counts.count(self.stats, item.source, "duplicates")
            logger.info(
                "duplicate of article %d (%s): %s, %d new URL(s)",
                item.duplicate_of,
                item.duplicate_reason,
                article.url,
                added,
            )
            return item
        stored = self.archive.add_article(
            NewArticle(
                url=article.url,
                title=article.title,
                text=article.text,
                published_at=article.published_at,
                modified_at=article.modified_at,
                outlet=article.outlet,
                author=article.author,
                original_url=article.original_url,
                source=page.source,
                discovered_via=page.discovered_via,
                relevance=item.relevance,
                other_urls=item.urls[1:],
                page=RawPage(
                    url=page.final_url,
                    status=page.status,
                    content_type=page.headers.get("content-type", ""),
                    body=page.body,
                ),
            ),
            seen_at=page.discovered_at,
            story_id=item.story_id,
            sketch=item.sketch,
        )
        item.article_id, item.story_is_new = stored.article_id, stored.story_is_new
        item.story_id = stored.story_id
        counts.count(self.stats, item.source, "new")
        logger.info(
            "stored article %d in story %d%s: %s (%s)",
            stored.article_id,
            stored.story_id,
            " (new)" if stored.story_is_new else "",
            article.title,
            article.url,
        )
        return item

    def item_dropped(self, item: object, exception: BaseException) -> None:
        if not isinstance(exception, Rejected) or self.archive is None:
            return
        if isinstance(item, ArticleItem):
            urls, source = item.urls, item.source
        elif isinstance(item, PageItem):
            urls = tuple(dict.fromkeys((canonical_url(item.url), canonical_url(item.final_url))))
            source = item.source
        else:
            return
        self.archive.reject(urls, reason=exception.reason, detail=exception.detail, source=source)
