"""What the crawl's Scrapy components below the archive layer need from the archive, as a Protocol.

The spider never imports the archive or a pipeline: it finds the component that implements this
(pipelines/session.py ArchiveSession, an extension) with `crawler.get_extension(ArchiveAccess)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

from crawler.sources.base import Lead


@runtime_checkable
class ArchiveAccess(Protocol):
    """The crawl's archive, as the spider uses it."""

    def source_state(self, source: str) -> Mapping[str, Any]:
        """What the last crawl kept for the source ({} before its first crawl)."""
        ...

    def save_source_state(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        """Keep each source's state for the next crawl, and link kept leads to articles."""
        ...

    def keep_leads(self, leads: Iterable[tuple[Lead, str]]) -> None:
        """Keep (lead, source) pairs whose article could not be fetched, to match by title."""
        ...
