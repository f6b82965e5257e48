"""A batch: one transaction for the writes of many pages, which the crawl's archive stage commits
every ARCHIVE_COMMIT_INTERVAL seconds (pipelines/archive.py says why)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator


class Batch:
    """One transaction for the writes of many pages, which its owner commits when it chooses.

    Opened by `begin` (a no-op while open). `page()` makes one page's writes a savepoint inside
    it: whole or absent, whatever becomes of the others. If SQLite ends the transaction itself (a
    full disk rolls it all back), `open` says so and `commit` has nothing to do.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @property
    def open(self) -> bool:
        return self.conn.in_transaction

    def begin(self) -> bool:
        """Open the batch unless it is open; True when this call opened it."""
        if self.conn.in_transaction:
            return False
        self.conn.execute("BEGIN")
        return True

    @contextlib.contextmanager
    def page(self) -> Iterator[None]:
        """One page's writes: released into the batch, or rolled back alone on an error."""
        self.conn.execute("SAVEPOINT page")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO page")
                self.conn.execute("RELEASE page")
            raise
        self.conn.execute("RELEASE page")

    def commit(self) -> None:
        """Commit what the batch holds (raises sqlite3.Error if that fails; see rollback)."""
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        """Give up what the batch holds; a failing disk may refuse even this, which is ignored."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
