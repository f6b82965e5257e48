"""Several watches per archive, and a full-text index of folded text."""

from __future__ import annotations

import re
import unicodedata

from sqlite_utils import Database


def m009_watches(db: Database) -> None:
    """Several watches: which watch each article matches, and a search index of folded text.

    `article_watches` has one row per article and watch it matches, with where the match was
    (title, lead or body); an article kept under the old single [watch] is tagged with that one
    watch (named archive.schema.UNNAMED_WATCH until a config names it: archive/watches.py,
    adopt_unnamed).
    `articles.unmatched_at` marks an article that matches no watch any more (rematch keeps it).

    The full-text index now holds each title and text as crawler.watch.fold made them (case,
    width, spacing, hyphens and dots folded away, and a space after, so a two-character term at
    the very end is a trigram too): search folds the query the same way, so "LG AI연구원" finds
    "LG AI 연구원" and "LGAI연구원". The index is contentless (it stores no text of its own);
    the rows changed or deleted after indexing wait in `search_stale` for the next indexing pass,
    which needs no SQL function in a trigger.
    """
    db.execute(
        "create table article_watches (article_id integer not null references articles(id),"
        " watch text not null, matched_in text not null, matched_at text not null,"
        " primary key (article_id, watch)) without rowid"
    )
    db.execute("create index article_watches_watch on article_watches(watch, article_id)")
    db.execute(
        "insert into article_watches (article_id, watch, matched_in, matched_at)"
        " select id, ?, 'unknown', first_seen_at from articles",
        [_UNNAMED_WATCH],
    )
    db.table("articles").add_column("unmatched_at", str)

    db.execute("drop trigger if exists articles_au")
    db.execute("drop trigger if exists articles_ad")
    db.execute("drop table if exists articles_fts")
    db.execute(
        "create virtual table articles_fts using fts5(title, text, content='', tokenize='trigram')"
    )
    db.execute("update search_index set indexed_through = 0")
    db.execute(
        "create table search_stale (article_id integer not null, title text not null,"
        " text text not null)"
    )
    indexed = "old.id <= (select indexed_through from search_index)"
    for event in ("update of title, text", "delete"):
        name = "articles_au" if event.startswith("update") else "articles_ad"
        db.execute(
            f"create trigger {name} after {event} on articles when {indexed} begin"  # noqa: S608 - fixed clauses
            " insert into search_stale (article_id, title, text)"
            " values (old.id, old.title, old.text); end"
        )
    _index_all(db)


# --- frozen: the folding and indexing of commit a4cb063 (2026-12-07) -----------------------------
# A migration must do tomorrow what it did when it shipped, so it never calls live code: these are
# copies of crawler.watch.fold, archive.schema.folded_for_index and the first pass of
# archive.schema.index_folded (nothing is stale yet: search_stale was just created). When the live
# folding changes, a new migration re-indexes; this copy stays as it is.

_UNNAMED_WATCH = ""  # archive.schema.UNNAMED_WATCH, part of the archive contract
_FOLD_AWAY = re.compile(r"[\s\-‐‑‒–—―−·・‧•∙⋅_]+")
_BATCH = 20_000  # rows per insert, so a large archive's texts are not all in memory at once


def _folded_for_index(text: str | None) -> str:
    return _FOLD_AWAY.sub("", unicodedata.normalize("NFKC", text or "").casefold()) + " "


def _index_all(db: Database) -> None:
    """Index every article's folded title and text, inside the migration's transaction."""
    conn = db.conn
    through = 0
    while rows := conn.execute(
        "select id, title, text from articles where id > ? order by id limit ?", [through, _BATCH]
    ).fetchall():
        conn.executemany(
            "insert into articles_fts (rowid, title, text) values (?, ?, ?)",
            [(i, _folded_for_index(t), _folded_for_index(x)) for i, t, x in rows],
        )
        through = rows[-1][0]
        conn.execute("update search_index set indexed_through = ?", [through])
