"""The full-text index is filled after a crawl, not in each article's transaction."""

from __future__ import annotations

from sqlite_utils import Database


def m007_search_index_in_batches(db: Database) -> None:
    """The full-text index is filled after a crawl, not in each article's transaction.

    Indexing a text with the trigram tokenizer cost more than everything else about storing it, and
    its segment merges made one write in fifty slow. The crawl now indexes its new articles in one
    pass when it ends (`Archive.index_search`), and search reads rows not indexed yet (ids above
    `search_index.indexed_through`) directly, so it finds every article either way.
    """
    db.execute("drop trigger if exists articles_ai")
    db.execute("drop trigger if exists articles_au")
    db.execute("drop trigger if exists articles_ad")
    db.execute(
        "create table search_index (id integer primary key check (id = 1),"
        " indexed_through integer not null)"
    )
    # Every article so far was indexed by the insert trigger this migration removes.
    db.execute(
        "insert into search_index (id, indexed_through)"
        " select 1, coalesce(max(id), 0) from articles"
    )
    # A changed or deleted row that is indexed must leave the index; one that is not yet indexed
    # will be indexed as it is then (an external-content FTS5 table must be told the old values).
    indexed = "old.id <= (select indexed_through from search_index)"
    db.execute(
        f"create trigger articles_au after update of title, text on articles when {indexed} begin"  # noqa: S608 - a fixed clause
        " insert into articles_fts (articles_fts, rowid, title, text)"
        " values ('delete', old.id, old.title, old.text);"
        " insert into articles_fts (rowid, title, text) values (new.id, new.title, new.text);"
        " end"
    )
    db.execute(
        f"create trigger articles_ad after delete on articles when {indexed} begin"  # noqa: S608 - a fixed clause
        " insert into articles_fts (articles_fts, rowid, title, text)"
        " values ('delete', old.id, old.title, old.text);"
        " end"
    )
