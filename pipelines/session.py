"""The crawl's archive session: one connection to the archive, shared by the stages that use it.

An extension, found with `crawler.get_extension(ArchiveSession)` by the dedup and archive stages
and, through the `crawler.archive_access.ArchiveAccess` Protocol, by the spider (which imports no
pipeline). One connection, so dedup reads what the archive stage has just written from a warm page
cache: every commit made through another connection empties a connection's cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from crawler.sources.base import Lead


class ArchiveSession:
    """Opens the archive at ARCHIVE_PATH when first used, closes it when the crawl has closed
    (after the pipelines and the spider, whose signal handlers were connected first)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSession:
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:  # settings.py sets it; without it the crawl would write nowhere
            raise ValueError("ARCHIVE_PATH is not set: the crawl has no archive to write to")
        session = cls(path)
        crawler.signals.connect(session.close, signal=signals.spider_closed)
        return session

    @property
    def archive(self) -> Archive:
        """The crawl's connection (its writes checkpointed by a thread of their own)."""
        if self._archive is None:
            self._archive = Archive(self.path, background_checkpoints=True)
        return self._archive

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    # --- crawler.archive_access.ArchiveAccess ----------------------------------------------

    def source_state(self, source: str) -> Mapping[str, Any]:
        return self.archive.source_state(source)

    def save_source_state(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        for name, state in states.items():
            self.archive.save_source_state(name, **state)
        self.archive.match_leads()

    def keep_leads(self, leads: Iterable[tuple[Lead, str]]) -> None:
        with self.archive.db.atomic():
            for lead, name in leads:
                self.archive.add_lead(
                    lead.url,
                    source=name,
                    title=lead.title,
                    outlet=lead.outlet,
                    published_at=lead.published_at,
                )


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's ArchiveSession; a clear error when EXTENSIONS lacks it (a stage without it
    would have no archive, and Scrapy would silently leave it out if it said NotConfigured)."""
    session = crawler.get_extension(ArchiveSession)
    if session is None:
        raise RuntimeError(
            "the archive stages need the extension pipelines.session.ArchiveSession in"
            " EXTENSIONS (settings.py has it)"
        )
    return session
