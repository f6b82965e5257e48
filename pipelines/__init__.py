"""Item pipelines, one module each, run in this order: extract → relevance → dedup → archive."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from archive import Archive

# path → (connection, number of stages using it); see open_archive.
_shared: dict[str, tuple[Archive, int]] = {}


def open_archive(path: str) -> Archive:
    """The crawl's connection to the archive at `path`, shared by the dedup and archive stages.

    One connection, so dedup reads what the archive stage has just written from a warm page cache:
    every commit made through another connection empties a connection's cache. Each stage gives
    its use back with `release_archive`; the last one closes the connection.
    """
    archive, users = _shared.get(path) or (Archive(path, background_checkpoints=True), 0)
    _shared[path] = (archive, users + 1)
    return archive


def release_archive(path: str) -> None:
    archive, users = _shared[path]
    if users > 1:
        _shared[path] = (archive, users - 1)
        return
    del _shared[path]
    archive.close()


class Rejected(DropItem):
    """A page judged not worth keeping; the archive remembers it so it is never fetched again.

    `reason` is one of "not_article" or "irrelevant" (also the name of its crawl count).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}", log_level="DEBUG")
        self.reason = reason
        self.detail = detail
