"""The archive: the one place that reads and writes newswatch's SQLite file.

Every write that belongs together happens in one transaction, so an article is in the archive whole
(row, URLs, raw page) or not at all. Inserts are idempotent; user input is always a parameter.
"""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import schema

KST = timezone(timedelta(hours=9), "KST")  # Korea has no daylight saving time

# Counters kept per crawl run and per source (crawl_runs / crawl_run_sources columns).
RUN_COUNTS = (
    "discovered",
    "fetched",
    "stored",
    "duplicates",
    "irrelevant",
    "not_article",
    "refused",
    "errors",
)
SOURCE_COUNTS = (
    "discovered",
    "known",
    "fetched",
    "new",
    "duplicates",
    "irrelevant",
    "not_article",
    "refused",
    "failed",
)


def now_kst() -> str:
    return datetime.now(KST).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    """Hash of the text with Unicode form and whitespace normalised, so re-spaced copies collide."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RawPage:
    url: str
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class NewArticle:
    """Everything the archive stores for a first sighting of an article."""

    url: str
    title: str
    text: str
    published_at: str | None
    modified_at: str | None
    outlet: str | None
    author: str | None
    original_url: str | None
    source: str
    discovered_via: str
    relevance: int
    other_urls: tuple[str, ...] = ()
    page: RawPage | None = None


class Archive:
    """An open archive file. One per component: SQLite in WAL mode lets them share the file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # The crawl's reactor thread is the only user of a connection; a short busy timeout rides
        # out another process's write (a second crawl, the scheduler) instead of failing at once.
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.enable_wal()
        schema.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- identity -------------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` already archived (as any article's URL) or already rejected."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            sql = (
                f"select url from article_urls where url in ({marks}) "  # noqa: S608 - only ? marks
                f"union select url from rejected_urls where url in ({marks})"
            )
            found.update(row[0] for row in self.db.execute(sql, [*chunk, *chunk]))
        return found

    def article_id_for_urls(self, urls: Iterable[str]) -> int | None:
        for url in dict.fromkeys(urls):
            row = self.db.execute(
                "select article_id from article_urls where url = ?", [url]
            ).fetchone()
            if row:
                return int(row[0])
        return None

    def article_id_for_text_hash(self, digest: str) -> int | None:
        row = self.db.execute(
            "select id from articles where text_hash = ? order by id limit 1", [digest]
        ).fetchone()
        return int(row[0]) if row else None

    # --- writes ---------------------------------------------------------------------------------

    def add_article(self, new: NewArticle, *, seen_at: str | None = None) -> int:
        """Store a first sighting (row, every URL seen, raw page) in one transaction."""
        seen_at = seen_at or now_kst()
        with self.db.atomic():
            cursor = self.db.execute(
                "insert into articles (url, title, text, published_at, modified_at, outlet, author,"
                " first_seen_at, source, discovered_via, relevance, text_hash, original_url)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    new.url,
                    new.title,
                    new.text,
                    new.published_at,
                    new.modified_at,
                    new.outlet,
                    new.author,
                    seen_at,
                    new.source,
                    new.discovered_via,
                    new.relevance,
                    text_hash(new.text),
                    new.original_url,
                ],
            )
            article_id = int(cursor.lastrowid or 0)
            self._add_urls(article_id, (new.url, *new.other_urls), new.source, seen_at)
            if new.page is not None:
                self.db.execute(
                    "insert into pages (article_id, url, fetched_at, status, content_type, body_gz)"
                    " values (?, ?, ?, ?, ?, ?)",
                    [
                        article_id,
                        new.page.url,
                        seen_at,
                        new.page.status,
                        new.page.content_type,
                        gzip.compress(new.page.body, compresslevel=6),
                    ],
                )
        return article_id

    def add_urls(
        self, article_id: int, urls: Iterable[str], source: str, *, seen_at: str | None = None
    ) -> int:
        """Record more URLs of an archived article; returns how many were new."""
        with self.db.atomic():
            return self._add_urls(article_id, urls, source, seen_at or now_kst())

    def _add_urls(self, article_id: int, urls: Iterable[str], source: str, seen_at: str) -> int:
        added = 0
        for url in dict.fromkeys(urls):
            cursor = self.db.execute(
                "insert or ignore into article_urls (url, article_id, first_seen_at, source)"
                " values (?, ?, ?, ?)",
                [url, article_id, seen_at, source],
            )
            added += cursor.rowcount
        return added

    def reject(
        self,
        urls: Iterable[str],
        *,
        reason: str,
        detail: str,
        source: str,
        seen_at: str | None = None,
    ) -> None:
        """Remember pages not to fetch again (irrelevant, or not an article), with when and why."""
        seen_at = seen_at or now_kst()
        with self.db.atomic():
            for url in dict.fromkeys(urls):
                self.db.execute(
                    "insert or ignore into rejected_urls (url, reason, detail, seen_at, source)"
                    " values (?, ?, ?, ?, ?)",
                    [url, reason, detail, seen_at, source],
                )

    # --- crawl runs -----------------------------------------------------------------------------

    def start_run(self, pid: int) -> int:
        with self.db.atomic():
            cursor = self.db.execute(
                "insert into crawl_runs (started_at, status, pid) values (?, 'running', ?)",
                [now_kst(), pid],
            )
        return int(cursor.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        counts: Mapping[str, int],
        per_source: Mapping[str, Mapping[str, int]],
        detail: str = "",
    ) -> None:
        with self.db.atomic():
            assignments = ", ".join(f"{name} = ?" for name in RUN_COUNTS)
            self.db.execute(
                f"update crawl_runs set finished_at = ?, status = ?, detail = ?, {assignments}"  # noqa: S608 - fixed names
                " where id = ?",
                [now_kst(), status, detail, *(counts.get(n, 0) for n in RUN_COUNTS), run_id],
            )
            for source, source_counts in per_source.items():
                self.db.table("crawl_run_sources").upsert(
                    {"run_id": run_id, "source": source}
                    | {name: source_counts.get(name, 0) for name in SOURCE_COUNTS},
                    pk=("run_id", "source"),
                )

    def run(self, run_id: int) -> dict[str, Any]:
        row = self.db.table("crawl_runs").get(run_id)
        row["sources"] = list(
            self.db.table("crawl_run_sources").rows_where("run_id = ?", [run_id], order_by="source")
        )
        return row

    # --- reads ----------------------------------------------------------------------------------

    def article(self, article_id: int) -> dict[str, Any]:
        row = self.db.table("articles").get(article_id)
        row["urls"] = [
            r["url"]
            for r in self.db.table("article_urls").rows_where(
                "article_id = ?", [article_id], order_by="first_seen_at, url"
            )
        ]
        return row

    def articles(self) -> Iterator[dict[str, Any]]:
        yield from self.db.table("articles").rows_where(order_by="id")

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Articles matching a person's query (terms, "phrases", OR, -exclusions), newest first."""
        from archive import queries  # noqa: PLC0415 - queries imports this module

        return queries.search(self.db, queries.parse_query(query), limit=limit)


def _rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
