"""Serve the archive read-only in Datasette, with metadata describing the public tables.

The metadata (titles, column descriptions, full-text search, facets, canned queries) is built here
in code from the archive's contract and written to a temporary file for Datasette's `--metadata`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.queries import canned_queries

ARTICLE_COLUMNS = {
    "id": "Article number in this archive.",
    "url": "Canonical URL of the article.",
    "title": "Headline as the outlet published it.",
    "text": "Article text, boilerplate removed; paragraphs separated by newlines.",
    "published_at": "When the outlet published it (ISO 8601, KST, +09:00).",
    "modified_at": "When the outlet last updated it, if it says (ISO 8601, KST).",
    "outlet": "The news outlet.",
    "author": "Byline (reporter), if found.",
    "story_id": "The story (one event covered by several articles) this article belongs to.",
    "first_seen_at": "When newswatch first saw it (KST).",
    "source": "The configured source that found it first.",
    "discovered_via": "That source's type (rss, sitemap, …).",
    "relevance": "Watch-term mentions (a mention in the title counts triple).",
    "text_hash": "SHA-256 of the normalised text, for exact-copy detection.",
    "original_url": "The outlet's own URL when this copy is hosted by a portal.",
    "unmatched_at": "When a rematch found it matching no watch any more (kept, not deleted).",
}


# The archive's public tables (DESIGN.md, "The archive contract"), in the order people want them.
PUBLIC_TABLES = (
    "articles",
    "stories",
    "article_urls",
    "article_watches",
    "article_versions",
    "crawl_runs",
    "crawl_run_sources",
)


def metadata(db: Database, *, database_name: str) -> dict[str, Any]:
    tables: dict[str, Any] = {
        "articles": {
            "title": "Articles",
            "description": "One row per distinct article relevant to the watch.",
            "columns": ARTICLE_COLUMNS,
            "sort_desc": "published_at",
            "fts_table": "articles_fts",
            "fts_pk": "id",
            "facets": ["outlet", {"date": "published_at"}],
            "label_column": "title",
        },
        "article_urls": {
            "title": "Article URLs",
            "description": "Every URL an article was seen under, its canonical one included.",
            "columns": {
                "url": "A URL under which the article was seen.",
                "article_id": "The article it leads to.",
                "first_seen_at": "When newswatch first saw this URL (KST).",
                "source": "The configured source that found this URL.",
            },
        },
        "crawl_runs": {
            "title": "Crawl runs",
            "description": "One row per crawl, with its counts.",
            "sort_desc": "id",
        },
        "crawl_run_sources": {
            "title": "Crawl runs by source",
            "description": "Each crawl's counts for each source.",
        },
        "article_versions": {
            "title": "Article versions",
            "description": "Earlier texts of articles their outlet changed (corrections).",
        },
        "article_watches": {
            "title": "Article watches",
            "description": "Which watches each article matches, and where (title, lead or body).",
            "columns": {
                "article_id": "The article.",
                "watch": "The watch's name ([[watches]] name in the config).",
                "matched_in": "Where a term occurs: title, lead (the text's opening) or body.",
                "matched_at": "When newswatch recorded the match (KST): crawl or rematch.",
            },
            "facets": ["watch", "matched_in"],
            "sort_desc": "matched_at",
        },
    }
    tables["stories"] = {
        "title": "Stories",
        "description": "One event covered by several articles.",
    }
    # Every other table is the machinery (similarity bands, URL keys, migrations, the outbox,
    # gzipped pages, the search index): hidden, so the home page lists what people query, and a
    # table a later migration adds is hidden until it is described here.
    for name in db.table_names():
        if name not in PUBLIC_TABLES:
            tables[name] = {"hidden": True}
    return {
        "title": "newswatch archive",
        "description": "Korean news coverage kept by newswatch. Read-only.",
        "databases": {
            database_name: {
                "title": "newswatch archive",
                "tables": tables,
                "queries": canned_queries(),
            }
        },
    }


def serve(archive_path: Path, *, host: str, port: int) -> None:
    """Run Datasette on the archive in immutable mode until interrupted."""
    from datasette.cli import cli as datasette_cli  # noqa: PLC0415 - heavy; only serve needs it

    db = Database(archive_path)
    try:
        # Immutable mode reads the main file only: fold the write-ahead log into it first.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        meta = metadata(db, database_name=archive_path.stem)
    finally:
        db.close()
    with tempfile.TemporaryDirectory(prefix="newswatch-serve-") as folder:
        meta_path = Path(folder) / "metadata.json"
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        datasette_cli.main(
            args=[
                "serve",
                "--immutable",
                str(archive_path),
                "--metadata",
                str(meta_path),
                "--host",
                host,
                "--port",
                str(port),
                "--setting",
                "sql_time_limit_ms",
                "3000",
            ],
            prog_name="newswatch serve",
            standalone_mode=False,
        )
