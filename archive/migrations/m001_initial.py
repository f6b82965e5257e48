"""The first schema: articles, their URLs and pages, rejected URLs, crawl runs, full-text search."""

from __future__ import annotations

from sqlite_utils import Database


def m001_initial(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "url": str,  # canonical URL
            "title": str,
            "text": str,
            "published_at": str,  # ISO 8601 with +09:00
            "modified_at": str,
            "outlet": str,
            "author": str,
            "story_id": int,
            "first_seen_at": str,
            "source": str,  # config source that found it first
            "discovered_via": str,  # channel type of that source (rss, sitemap, …)
            "relevance": int,  # watch-term mentions (title counts triple)
            "text_hash": str,  # sha256 of the normalised text, for exact-copy dedup
            "original_url": str,  # the outlet's URL when this copy is hosted by a portal
        },
        pk="id",
        not_null={"url", "title", "text", "first_seen_at"},
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["text_hash"])
    db.table("articles").create_index(["published_at"])
    db.table("articles").create_index(["story_id"])

    db.table("article_urls").create(
        {"url": str, "article_id": int, "first_seen_at": str, "source": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "first_seen_at"},
    )
    db.table("article_urls").create_index(["article_id"])

    # The page as fetched, gzipped, so extraction can be re-run over the archive later.
    db.table("pages").create(
        {
            "id": int,
            "article_id": int,
            "url": str,
            "fetched_at": str,
            "status": int,
            "content_type": str,
            "body_gz": bytes,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "url", "fetched_at", "body_gz"},
    )
    db.table("pages").create_index(["article_id"])

    # URLs judged not worth fetching again: irrelevant to the watch, or not an article at all.
    db.table("rejected_urls").create(
        {"url": str, "reason": str, "detail": str, "seen_at": str, "source": str},
        pk="url",
        not_null={"reason", "seen_at"},
    )

    db.table("crawl_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | failed
            "pid": int,
            "discovered": int,
            "fetched": int,
            "stored": int,
            "duplicates": int,
            "irrelevant": int,
            "not_article": int,
            "refused": int,
            "errors": int,
            "detail": str,
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    db.table("crawl_run_sources").create(
        {
            "run_id": int,
            "source": str,
            "discovered": int,
            "known": int,
            "fetched": int,
            "new": int,
            "duplicates": int,
            "irrelevant": int,
            "not_article": int,
            "refused": int,
            "failed": int,
        },
        pk=("run_id", "source"),
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )

    # Full-text search over title and text. The trigram tokenizer finds 엑사원 inside 엑사원을; the
    # default unicode61 tokenizer finds nothing inside Korean words (DESIGN.md, "Search").
    db.table("articles").enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)
