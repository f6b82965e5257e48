"""Stories, article versions, who published a copy under which URL, MinHash sketches and bands."""

from __future__ import annotations

from sqlite_utils import Database


def m002_stories_and_versions(db: Database) -> None:
    # Stories: articles about one event (a press release rewritten, outlets' own reports).
    db.table("stories").create(
        {
            "id": int,
            "title": str,  # the first article's title
            "first_seen_at": str,
            "last_seen_at": str,  # when the latest article joined
            "article_count": int,  # rows in `articles` with this story_id
        },
        pk="id",
        not_null={"title", "first_seen_at", "last_seen_at", "article_count"},
    )
    db.table("stories").create_index(["last_seen_at"])

    # Who published a copy under which URL: near-duplicates are recorded here, not stored again.
    db.table("article_urls").add_column("outlet", str)
    db.table("article_urls").add_column(
        "matched_by", str
    )  # article | url | text_hash | near_duplicate
    db.table("article_urls").add_column("similarity", float)  # Jaccard of the near-duplicate

    # Earlier texts of an article seen again at the same URL with changed text (corrections).
    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "title": str,
            "text": str,
            "modified_at": str,  # as the page stated it for this (older) text
            "replaced_at": str,  # when newswatch saw the newer text
            "text_hash": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "title", "text", "replaced_at"},
    )
    db.table("article_versions").create_index(["article_id"])

    # MinHash signature (64 × uint32) per article, and its LSH band keys. `day` (proleptic ordinal
    # of the KST publication date) lets story look-ups stay inside the story window. WITHOUT ROWID:
    # the primary key is the only index, so a look-up by band key is one B-tree descent.
    db.execute(
        "create table article_sketches (article_id integer primary key"
        " references articles(id), day integer not null, signature blob not null)"
    )
    db.execute(
        "create table article_bands (band_key integer not null, day integer not null,"
        " article_id integer not null, primary key (band_key, day, article_id)) without rowid"
    )
