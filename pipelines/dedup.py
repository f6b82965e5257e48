"""Dedup pipeline: is this article archived already, a copy of one, an update, or part of a story?

In order: any of its URLs is archived (same text: a duplicate; changed text: a new version of that
article); exactly the same normalised text; a near-duplicate by character-shingle Jaccard (a wire
reprint with a new byline, lead or footer); else it is a new article, in the story of the most
similar article published within the story window, or in a new story.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from archive import Archive
from archive import stories as story_index
from crawler.items import ArticleItem
from crawler.similarity import Sketch, text_hash
from pipelines.session import ArchiveSession, archive_session

# Defaults as in settings.py, measured on the labelled set (tests/test_similarity_labelled.py).
DEFAULT_NEAR_DUPLICATE = 0.5
DEFAULT_SAME_STORY = 0.08
DEFAULT_STORY_WINDOW_DAYS = 3


class DedupPipeline:
    """Marks duplicates, versions and stories on the item; the archive pipeline writes them."""

    def __init__(
        self,
        session: ArchiveSession,
        stats: StatsCollector | None,
        *,
        near_duplicate: float = DEFAULT_NEAR_DUPLICATE,
        same_story: float = DEFAULT_SAME_STORY,
        window_days: int = DEFAULT_STORY_WINDOW_DAYS,
    ) -> None:
        if not 0 < same_story <= near_duplicate <= 1:
            # A bug in the settings, not a stage switched off (Scrapy would drop it silently).
            raise ValueError(
                f"need 0 < DEDUP_SAME_STORY ({same_story}) <= DEDUP_NEAR_DUPLICATE"
                f" ({near_duplicate}) <= 1"
            )
        self.session = session
        self.stats = stats
        self.near_duplicate = near_duplicate
        self.same_story = same_story
        self.window_days = window_days
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        settings = crawler.settings
        return cls(
            archive_session(crawler),
            crawler.stats,
            near_duplicate=settings.getfloat("DEDUP_NEAR_DUPLICATE", DEFAULT_NEAR_DUPLICATE),
            same_story=settings.getfloat("DEDUP_SAME_STORY", DEFAULT_SAME_STORY),
            window_days=settings.getint("DEDUP_STORY_WINDOW_DAYS", DEFAULT_STORY_WINDOW_DAYS),
        )

    def open_spider(self) -> None:
        self.archive = self.session.archive  # the archive stage's connection too

    def close_spider(self) -> None:
        self.archive = None  # the session closes it when the crawl has closed

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        assert self.archive is not None
        # The extraction worker computes the sketch; a pipeline test, or no workers, may not.
        digest = item.sketch.text_hash if item.sketch else text_hash(item.article.text)
        existing = self.archive.article_id_for_urls(item.urls)
        if existing is not None:
            if story_index.text_hash_of(self.archive, existing) == digest:
                return self._duplicate(item, existing, "url")
            item.version_of = existing  # same address, changed text: a correction or an update
            self._inc("dedup/version")
            return item
        existing = self.archive.article_id_for_text_hash(digest)
        if existing is not None:
            return self._duplicate(item, existing, "text_hash", similarity=1.0)
        if item.sketch is None:
            item.sketch = Sketch.of(item.article.text)
        seen = item.article.published_at or item.page.discovered_at
        match = story_index.find_match(
            self.archive,
            item.sketch,
            story_index.day_of(seen),
            near_duplicate=self.near_duplicate,
            same_story=self.same_story,
            window_days=self.window_days,
        )
        if match.kind == "near_duplicate":
            assert match.article_id is not None
            return self._duplicate(
                item, match.article_id, "near_duplicate", similarity=match.similarity
            )
        if match.kind == "same_story" and match.story_id is not None:
            item.story_id = match.story_id
            item.similarity = match.similarity
            self._inc("dedup/same_story")
        else:  # also an archived article from before stories existed, which has none
            self._inc("dedup/new_story")
        return item

    def _duplicate(
        self, item: ArticleItem, article_id: int, reason: str, *, similarity: float | None = None
    ) -> ArticleItem:
        item.duplicate_of = article_id
        item.duplicate_reason = reason
        item.similarity = similarity
        self._inc(f"dedup/{reason}")
        return item

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
