"""Indexes for stats, outlet filters and two-character search terms."""

from __future__ import annotations

from sqlite_utils import Database


def m006_query(db: Database) -> None:
    # Stats group by outlet and day; --outlet filters walk dates: one covering index serves both.
    db.table("articles").create_index(["outlet", "published_at"], if_not_exists=True)
    # A two-character term (LG, AI) has no trigram of its own: it is found through the trigrams that
    # start with it, or at the very end of a title or text, which these expression indexes find.
    db.execute(
        "create index if not exists idx_articles_title_end on articles(lower(substr(title, -2)))"
    )
    db.execute(
        "create index if not exists idx_articles_text_end on articles(lower(substr(text, -2)))"
    )
