"""The Article: what extraction makes of one news page, before the archive gives it an id; and
the Reading of a page (an article, a bot challenge, or neither) that extraction returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.similarity import Sketch
    from crawler.watch import WatchMatch


@dataclass(frozen=True, slots=True)
class Article:
    """One article's clean content and metadata.

    `url` is the article's own address as the page declares it (rel=canonical / og:url), else the
    address it was fetched from. Dates are ISO 8601 with the +09:00 offset, or None when the page
    gives none. `original_url` is set for copies hosted by a portal (Naver): the outlet's URL.
    """

    url: str
    title: str
    text: str
    published_at: str | None = None
    modified_at: str | None = None
    author: str | None = None
    outlet: str | None = None
    original_url: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one fetched page is: a bot challenge, an article, or neither (None, not a challenge)."""

    article: Article | None = None
    sketch: Sketch | None = None  # the article text's similarity sketch (the crawl's workers)
    challenge: bool = False
    packed_page: bytes | None = None  # the page as the archive keeps it (the crawl's workers)
    relevance: int | None = None  # the article's watch-term score, when the crawl asked for it
    watches: tuple[WatchMatch, ...] | None = None  # the watches it matches, when asked
