"""Analysing the archive's articles into words (the `words` and `trends` commands are in
newswatch/commands/words.py).

A crawl analyses the articles it stores as it stores them: its extraction workers analyse each
relevant article (crawler/reading.py), with the names `known_names` lists kept whole, and the
archive stage writes the words in the article's own savepoint (archive/store.py add_article), so
a digest sent after the crawl already has its stories' labels. (Earlier, a crawl started
`newswatch words --backfill` as a detached process when it ended; systemd kills what a oneshot
service leaves behind, and the digest went out before the labels were computed.)

`newswatch words --backfill` analyses what has no words yet, or words of an older text: an
archive made before the words existed, articles an update changed. It takes a lock beside the
archive, so two never count one article twice, and commits in batches, so a killed run resumes
where it stopped.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive import Archive
from archive import words as archive_words
from crawler.words import Analyser, analyser_of
from newswatch.config import Config

# The archive's distinct outlets, skipping through the outlet index with one look-up per outlet:
# a crawl reads them when it starts, and `select distinct` would read the whole index, a second
# or more from a cold cache on a large archive.
_OUTLETS = (
    "with recursive o(outlet) as (select min(outlet) from articles union all"
    " select (select min(outlet) from articles where outlet > o.outlet) from o"
    " where o.outlet is not null) select outlet from o"
)


def known_names(config: Config, archive: Archive) -> tuple[str, ...]:
    """The names analysis keeps whole beside the shipped organisations and outlets: every
    watch's terms and the outlets the archive has seen. The crawl's workers and the backfill use
    the same list, so an article's words do not depend on which of them analysed it."""
    outlets = [row[0] for row in archive.db.execute(_OUTLETS) if row[0]]
    terms = [term for watch in config.watches for term in watch.terms]
    return tuple(dict.fromkeys([*terms, *outlets]))


def analyser_for(config: Config, archive: Archive) -> Analyser:
    return analyser_of(known_names(config, archive))


def lock_path(archive_path: Path) -> Path:
    return archive_path.with_name(archive_path.name + ".words-lock")


@contextlib.contextmanager
def words_lock(archive_path: Path) -> Iterator[None]:
    """One analysis at a time per archive; the next waits (flock: released when its holder dies)."""
    fd = os.open(lock_path(archive_path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Backfill:
    articles: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def analyse_archive(
    config: Config,
    *,
    batch: int = 200,
    on_start: Callable[[int], None] = lambda _total: None,
    on_batch: Callable[[int], None] = lambda _done: None,
) -> Backfill:
    """Analyse every article whose words are missing or stale, committing every `batch`."""
    with words_lock(config.archive_path), Archive(config.archive_path) as archive:
        db = archive.db
        analyser = analyser_for(config, archive)
        on_start(archive_words.count_pending(db))
        started = time.perf_counter()
        done, after = 0, 0
        while rows := archive_words.pending(db, after=after, limit=batch):
            archive_words.store(
                db,
                [
                    archive_words.Analysed(
                        row.id, row.week, row.text_hash, analyser.analyse(row.title, row.text)
                    )
                    for row in rows
                ],
            )
            done += len(rows)
            after = rows[-1].id
            on_batch(len(rows))
        return Backfill(done, time.perf_counter() - started)
