"""Checkpoints of the archive's write-ahead log, from a thread of their own (the crawl's writer)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

logger = logging.getLogger(__name__)


class BackgroundCheckpoints:
    """Copies the write-ahead log back into the archive from a thread and connection of its own.

    SQLite's automatic checkpoint runs inside whichever commit crosses its threshold, which made
    one article write in a hundred take tens of milliseconds. A passive checkpoint here runs beside
    the writer instead (SQLite releases the GIL while it works); the last one runs on `stop`.
    """

    POLL_S = 1.0  # the log grows by about this many seconds of commits between checkpoints

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wal = path.with_name(path.name + "-wal")
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="archive-checkpoints", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            done_at = None
            while not self._stopping.wait(self.POLL_S):
                changed_at = self._wal_changed_at()
                if changed_at != done_at:  # something was committed since the last checkpoint
                    self._checkpoint(conn)
                    done_at = changed_at
            self._checkpoint(conn)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:  # the log only grows until a later checkpoint succeeds
            logger.warning("archive %s: checkpoint failed: %s", self.path, exc)

    def _wal_changed_at(self) -> int | None:
        try:
            return self.wal.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
