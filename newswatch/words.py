"""Analysing the archive's articles into words (the `words` and `trends` commands are in
newswatch/commands/words.py).

A crawl analyses what it stored when it has finished, in its own process and still under the
crawl lock (`analyse_crawled`, called by newswatch/crawl.py): the articles it added and those
whose text it updated, nothing older. Its alerts are delivered after that, so a digest carries
its stories' labels. The analysis runs after the fetching, not beside it, because it costs about
as much CPU per article as reading the page does and would slow the crawl by that much (bench/
RESULTS.md, Throughput). (Earlier, a crawl started `newswatch words --backfill` as a detached
process when it ended: systemd kills what a oneshot service leaves behind, two crawls back to
back raced their own analysis, and the digest went out before the labels were computed.)

`newswatch words --backfill` analyses every article without words, or with the words of an older
text: an archive made before the words existed. Both take a lock beside the archive, so two never
count one article twice, and commit in batches, so a killed run resumes where it stopped. Both
analyse in the extraction worker processes ([crawl] extract_workers) when there is more than one
batch to do.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from archive import Archive
from archive import words as archive_words
from crawler.words import Analyser, Words, analyse_texts, analyser_of
from crawler.workers import extract_workers, worker_context
from newswatch.config import Config

BATCH = 100  # articles a worker analyses at once, and the backfill commits at once

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
    watch's terms and the outlets the archive has seen. The crawl and the backfill use the same
    list, so an article's words do not depend on which of them analysed it."""
    outlets = [row[0] for row in archive.db.execute(_OUTLETS) if row[0]]
    terms = [term for watch in config.watches for term in watch.terms]
    return tuple(dict.fromkeys([*terms, *outlets]))


def analyser_for(config: Config, archive: Archive) -> Analyser:
    return analyser_of(known_names(config, archive))


def lock_path(archive_path: Path) -> Path:
    return archive_path.with_name(archive_path.name + ".words-lock")


@contextlib.contextmanager
def words_lock(archive_path: Path, *, wait: bool = True) -> Iterator[bool]:
    """One analysis at a time per archive (flock: released when its holder dies). Yields whether
    it is held: with `wait` the next one waits its turn, without it gives up at once."""
    fd = os.open(lock_path(archive_path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Backfill:
    articles: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Mark:
    """Where the archive stood when a crawl began: its newest article and newest text version."""

    article: int
    version: int

    @classmethod
    def of(cls, db: Database) -> Mark:
        article = db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
        version = db.execute("select coalesce(max(id), 0) from article_versions").fetchone()[0]
        return cls(int(article), int(version))


def analyse_archive(
    config: Config,
    *,
    batch: int = BATCH,
    on_start: Callable[[int], None] = lambda _total: None,
    on_batch: Callable[[int], None] = lambda _done: None,
) -> Backfill:
    """Analyse every article whose words are missing or stale, committing every `batch`."""
    with words_lock(config.archive_path), Archive(config.archive_path) as archive:
        on_start(archive_words.count_pending(archive.db))
        return _analyse(config, archive, _after(archive.db, 0, batch), on_batch)


def analyse_crawled(config: Config, since: Mark, *, batch: int = BATCH) -> Backfill | None:
    """Analyse what a crawl stored (articles after `since.article`) or changed (text versions
    after `since.version`). None when a backfill holds the lock: it walks on to the newest
    articles, so it analyses the new ones too (an update of one it has passed waits for the
    next backfill)."""
    with words_lock(config.archive_path, wait=False) as held:
        if not held:
            return None
        with Archive(config.archive_path) as archive:
            db = archive.db
            changed = archive_words.pending_versions(db, after_version=since.version)
            older = [row for row in changed if row.id <= since.article]  # new ones come next
            batches = itertools.chain(_chunks(older, batch), _after(db, since.article, batch))
            return _analyse(config, archive, batches)


def _after(db: Database, after: int, batch: int) -> Iterator[list[archive_words.Pending]]:
    while rows := archive_words.pending(db, after=after, limit=batch):
        yield rows
        after = rows[-1].id


def _chunks(rows: list[archive_words.Pending], size: int) -> Iterator[list[archive_words.Pending]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _analyse(
    config: Config,
    archive: Archive,
    batches: Iterable[list[archive_words.Pending]],
    on_batch: Callable[[int], None] = lambda _done: None,
) -> Backfill:
    names = known_names(config, archive)
    started = time.perf_counter()
    done = 0
    workers = extract_workers(config.crawl.extract_workers)
    for rows, words in _analysed(names, iter(batches), workers):
        archive_words.store(
            archive.db,
            [
                archive_words.Analysed(r.id, r.week, r.text_hash, w)
                for r, w in zip(rows, words, strict=True)
            ],
        )
        done += len(rows)
        on_batch(len(rows))
    return Backfill(done, time.perf_counter() - started)


Batch = tuple[list[archive_words.Pending], list[Words]]


def _analysed(
    names: tuple[str, ...],
    batches: Iterator[list[archive_words.Pending]],
    workers: int,
) -> Iterator[Batch]:
    """Each batch with its words, in order. A single batch (a crawl's few articles) is analysed
    here, where starting worker processes would cost more than they save; more go to `workers`
    processes, a few batches ahead of the one being stored."""
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None) if workers > 0 else None
    if second is None:
        analyser = analyser_of(names)
        for rows in itertools.chain([first], batches):
            yield rows, [analyser.analyse(r.title, r.text) for r in rows]
        return
    yield from _in_pool(names, itertools.chain([first, second], batches), workers)


def _in_pool(
    names: tuple[str, ...], batches: Iterator[list[archive_words.Pending]], workers: int
) -> Iterator[Batch]:
    ahead: collections.deque[tuple[list[archive_words.Pending], Future[list[Words]]]]
    ahead = collections.deque()
    # The fork server's workers have crawler.words imported already (crawler/workers.py PRELOAD).
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context())
    try:
        for rows in batches:
            texts = [(r.title, r.text) for r in rows]
            ahead.append((rows, pool.submit(analyse_texts, names, texts)))
            if len(ahead) > 2 * workers:
                done, future = ahead.popleft()
                yield done, future.result()
        while ahead:
            done, future = ahead.popleft()
            yield done, future.result()
    finally:  # also when the caller stops early (Ctrl-C): queued batches are dropped
        pool.shutdown(wait=True, cancel_futures=True)
