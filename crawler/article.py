"""The Article: what extraction makes of one news page, before the archive gives it an id."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
