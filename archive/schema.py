"""The archive's schema: migrations applied on open, and the live filling of the search index.

Table and column names of `articles` and `article_urls` are a public contract (DESIGN.md): people
query them directly. The steps that make the schema are frozen modules in archive/migrations/.
"""

from __future__ import annotations

from sqlite_utils import Database

from archive.migrations import migrations
from crawler.watch import fold

UNNAMED_WATCH = ""  # the one watch of an archive made before m009_watches, until a config names it


def apply(db: Database) -> None:
    """Bring the archive's schema up to date (the steps it has not run yet, in order)."""
    migrations.apply(db)


def folded_for_index(text: str | None) -> str:
    """A title or text as the search index holds it (see m009_watches)."""
    return fold(text or "") + " "


def index_folded(db: Database, *, batch: int = 2000) -> int:
    """Index the articles stored since the last pass and re-index stale ones; returns how many.

    Each `batch` is one transaction: FTS5 holds a transaction's terms in memory, and other writers
    wait for it. Runs inside the caller's transaction when there is one (a migration).
    """
    conn = db.conn
    indexed = 0
    stale = conn.execute("select rowid, article_id, title, text from search_stale").fetchall()
    if stale:
        # The oldest stale row of an article holds what the index has; later ones are skipped.
        first: dict[int, tuple[str, str]] = {}
        for _, article_id, title, text in stale:
            first.setdefault(article_id, (title, text))
        for article_id, (title, text) in first.items():
            conn.execute(
                "insert into articles_fts (articles_fts, rowid, title, text)"
                " values ('delete', ?, ?, ?)",
                [article_id, folded_for_index(title), folded_for_index(text)],
            )
            row = conn.execute(
                "select title, text from articles where id = ?", [article_id]
            ).fetchone()
            if row is not None:
                conn.execute(
                    "insert into articles_fts (rowid, title, text) values (?, ?, ?)",
                    [article_id, folded_for_index(row[0]), folded_for_index(row[1])],
                )
        conn.execute("delete from search_stale where rowid <= ?", [stale[-1][0]])
    while True:
        (through,) = conn.execute("select indexed_through from search_index").fetchone()
        rows = conn.execute(
            "select id, title, text from articles where id > ? order by id limit ?",
            [through, batch],
        ).fetchall()
        if not rows:
            return indexed
        nested = conn.in_transaction
        if not nested:
            conn.execute("begin")
        try:
            conn.executemany(
                "insert into articles_fts (rowid, title, text) values (?, ?, ?)",
                [(i, folded_for_index(t), folded_for_index(x)) for i, t, x in rows],
            )
            conn.execute("update search_index set indexed_through = ?", [rows[-1][0]])
        except BaseException:
            if not nested:
                conn.execute("rollback")
            raise
        if not nested:
            conn.execute("commit")
        indexed += len(rows)
