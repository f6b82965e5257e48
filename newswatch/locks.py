"""The crawl lock: one crawl at a time per archive, and whether a crawl holds it now.

Light on imports (no Scrapy): `newswatch runs` and the scheduler ask it whether a crawl is running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path


class CrawlBusyError(Exception):
    """Another crawl holds the archive's crawl lock and the caller chose not to wait."""


def lock_path(archive_path: Path) -> Path:
    """The crawl lock beside the archive file itself: news.db → news.db.crawl-lock.

    Keyed on the file, not the spelling: the path is resolved first (symlinks to the file or to a
    folder on its way, `..`, relative forms), so every name of one archive shares one lock. A path
    that does not exist yet resolves too (a dangling symlink to its target). A bind-mounted folder
    needs nothing more: the lock sits in that folder, one file whichever mount reaches it.
    """
    try:
        file = archive_path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        file = archive_path.absolute()  # opening the archive then fails with its own error
    return file.with_name(file.name + ".crawl-lock")


@contextlib.contextmanager
def crawl_lock(archive_path: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold the archive's crawl lock: one crawl at a time per archive, the next one waits its turn.

    Two crawls writing one archive at once could both store an article the other has not committed
    yet (dedup reads, then writes). flock, not a pid file: the kernel releases it when the holder
    dies, even by kill -9, so a killed crawl never leaves a stale lock behind.
    """
    path = lock_path(archive_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            if not wait:
                raise CrawlBusyError(
                    f"another crawl (pid {holder}) is running on {archive_path}"
                ) from None
            print(
                f"another crawl (pid {holder}) is running on {archive_path}; waiting for it to end",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def crawl_running(archive_path: Path) -> bool:
    """Whether a crawl holds the archive's crawl lock now (it is released when its holder dies)."""
    path = lock_path(archive_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # releases a lock taken here
    return False
