"""Items that travel from the spider through the pipelines: a fetched page, then an article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.article import Article
from crawler.similarity import Sketch
from crawler.watch import WatchMatch


@dataclass(slots=True)
class PageItem:
    """A fetched page, as the spider yields it to the pipelines."""

    url: str  # the address we asked for (canonical form of the lead)
    final_url: str  # after redirects
    body: bytes
    headers: dict[str, str]
    status: int
    source: str  # config source name
    discovered_via: str  # channel type: rss, sitemap, …
    discovered_at: str  # ISO 8601 +09:00
    lead_title: str | None = None
    lead_published_at: str | None = None
    lead_urls: tuple[str, ...] = ()  # other addresses the channel gave for this article
    # False where "not an article" may be temporary (an unpublished newsroom post number).
    remember_not_article: bool = True

    def __repr__(
        self,
    ) -> str:  # keeps Scrapy's "Dropped: …" log lines to one line, without the body
        return f"<PageItem {self.final_url} from {self.source}>"


@dataclass(slots=True)
class ArticleItem:
    """A page after extraction, enriched by each later pipeline."""

    page: PageItem
    article: Article
    urls: tuple[str, ...]  # every canonical address this page answers to, article.url first
    relevance: int | None = None  # watch-term score: the extraction worker's, or the stage's
    # The watches it matches (the best one's score is `relevance`); None until scored.
    watches: tuple[WatchMatch, ...] | None = None
    duplicate_of: int | None = None  # archived article id, set by dedup
    duplicate_reason: str | None = None  # url | text_hash | near_duplicate
    similarity: float | None = None  # Jaccard with duplicate_of, or the story's closest article
    version_of: int | None = None  # archived article id whose text this page changes (an update)
    story_id: int | None = None  # story to join, set by dedup; None starts a new story
    sketch: Sketch | None = None  # the text's similarity sketch, computed once (extraction)
    packed_page: bytes | None = None  # page.body as the archive keeps it (extraction)
    # Set by the archive pipeline once stored, for later pipelines (alerts: one per new story).
    article_id: int | None = None
    story_is_new: bool | None = None
    # The alert channels that want it (archive.outbox.ChannelRef, set by the alert routing stage;
    # typed loosely: the crawler layer does not know the archive's types).
    alert_channels: tuple[Any, ...] = ()

    @property
    def source(self) -> str:
        return self.page.source

    def __repr__(self) -> str:
        return f"<ArticleItem {self.article.url} {self.article.title[:40]!r} from {self.source}>"
