"""Analysing the archive's articles into words (the `words` and `trends` commands are in
newswatch/commands/words.py).

Analysis never runs inside the crawl: a crawl that stored articles starts `newswatch words
--backfill --quiet` as a detached process when it ends (`start_words_after_crawl`), so the
crawl's time and memory are what they were; `newswatch words --backfill` does the same by hand,
with a progress bar. Both take a lock beside the archive, so two never count one article twice,
and commit in batches, so a killed run resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import Archive
from archive import words as archive_words
from crawler.words import Analyser
from newswatch.config import Config

# Set to 0 to keep a crawl from starting the analysis (the test suite does, to stay quiet).
AFTER_CRAWL_ENV = "NEWSWATCH_WORDS_AFTER_CRAWL"


def analyser_for(config: Config, archive: Archive) -> Analyser:
    """The watch terms, the archive's outlets and the shipped organisations, kept whole."""
    outlets = [
        row[0] for row in archive.db.execute("select distinct outlet from articles") if row[0]
    ]
    return Analyser.of([*config.watch.terms, *outlets])


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


def start_words_after_crawl(config: Config, run: dict[str, Any]) -> subprocess.Popen[bytes] | None:
    """Start the analysis of a crawl's new articles in its own process, not waited for."""
    changed = any(row.get("new") or row.get("duplicates") for row in run.get("sources", []))
    if not changed or os.environ.get(AFTER_CRAWL_ENV, "1") == "0":
        return None
    command = [sys.executable, "-m", "newswatch"]
    if config.path is not None:
        command += ["--config", str(config.path)]
    command += ["words", "--backfill", "--quiet"]
    return subprocess.Popen(  # noqa: S603 - our own command line
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # outlives the crawl; never gets the terminal's Ctrl-C
        preexec_fn=lambda: os.nice(10),  # noqa: PLW1509 - no threads run in the crawl by then
    )
