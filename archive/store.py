"""The archive: the one place that reads and writes newswatch's SQLite file.

Every write that belongs together happens in one transaction, so an article is in the archive whole
(row, URLs, raw page) or not at all. Inserts are idempotent; user input is always a parameter.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlite_utils import Database

from archive import outbox, schema, stories
from archive.batch import Batch
from archive.checkpoints import BackgroundCheckpoints
from archive.runs import RUN_COUNTS, SOURCE_COUNTS
from crawler.clock import now_kst
from crawler.pages import pack_page
from crawler.similarity import Sketch
from crawler.urls import article_key, canonical_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RawPage:
    url: str
    status: int
    content_type: str
    body: bytes
    packed: bytes | None = None  # pack_page(body), when the caller has it (an extraction worker)


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


class Stored(NamedTuple):
    """What add_article did: the new row, its story, and whether that story is new (an alert)."""

    article_id: int
    story_id: int
    story_is_new: bool


class Archive:
    """An open archive file. One per component: SQLite in WAL mode lets them share the file."""

    def __init__(self, path: str | Path, *, background_checkpoints: bool = False) -> None:
        """Open (creating and migrating) the archive at `path`.

        `background_checkpoints` is for the one connection that writes a crawl's articles: its
        commits then never copy the write-ahead log back into the file; a thread of its own does.
        """
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # The crawl's reactor thread is the only user of a connection; a short busy timeout rides
        # out another process's write (a second crawl, the scheduler) instead of failing at once.
        # NEWSWATCH_BUSY_TIMEOUT (seconds) changes it for a whole process: tests, impatient hosts.
        timeout = float(os.environ.get("NEWSWATCH_BUSY_TIMEOUT") or 30)
        conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.enable_wal()
        # In WAL mode NORMAL cannot corrupt the file; it only defers the fsync to checkpoints, so a
        # power cut may lose the last commits (re-crawled next run). It makes a commit much
        # cheaper (bench/RESULTS.md, Dedup).
        self.db.execute("PRAGMA synchronous = NORMAL")
        schema.apply(self.db)
        self._checkpoints: BackgroundCheckpoints | None = None
        if background_checkpoints:
            self.db.execute("PRAGMA wal_autocheckpoint = 0")
            # The crawl's connection reads its own recent writes back (dedup): a page cache of
            # 16 MB, not SQLite's 2 MB, keeps them there while archived pages' blobs pass through
            # (bench/RESULTS.md, Throughput).
            self.db.execute("PRAGMA cache_size = -16384")
            self._checkpoints = BackgroundCheckpoints(self.path)

    def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.stop()
        self.db.close()

    def batch(self) -> Batch:
        """The writes of many pages, committed at once (the crawl's archive stage): cheaper than a
        commit per page, each page's writes still whole or absent (`Batch.page`)."""
        return Batch(self.db.conn)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- identity -------------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` whose article is archived or whose page was rejected, under any of the
        article's addresses (identity keys fold mobile, AMP and portal variants)."""
        by_key: dict[str, list[str]] = {}
        for url in urls:
            by_key.setdefault(article_key(url), []).append(url)
        found: set[str] = set()
        for chunk in _chunks(list(by_key), 500):
            marks = ",".join("?" * len(chunk))
            sql = f"select key from url_keys where key in ({marks})"  # noqa: S608 - only ? marks
            for (key,) in self.db.execute(sql, chunk):
                found.update(by_key[key])
        return found

    def article_id_for_urls(self, urls: Iterable[str]) -> int | None:
        for key in dict.fromkeys(article_key(url) for url in urls):
            row = self.db.execute(
                "select article_id from url_keys where key = ? and article_id is not null", [key]
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

    def add_article(
        self,
        new: NewArticle,
        *,
        seen_at: str | None = None,
        story_id: int | None = None,
        sketch: Sketch | None = None,
        alert: Iterable[outbox.ChannelRef] = (),
        watches: Iterable[tuple[str, str]] = (),
    ) -> Stored:
        """Store a first sighting (row, URLs, raw page, similarity index, alerts) at once.

        With `story_id` the article joins that story; without, it starts a new one. `sketch` is the
        text's similarity sketch when the caller already computed it (dedup did). `alert` names the
        channels that want to hear about it (filters and backfill already applied by the caller):
        a new story is queued for each, a grown story only as a follow-up when it has gained the
        channel's number of outlets. Outbox rows commit or roll back with the article.
        `watches` are the (watch name, where: title | lead | body) pairs the article matches.
        """
        seen_at = seen_at or now_kst()
        sketch = sketch or Sketch.of(new.text)
        with self.db.atomic():
            story_is_new = story_id is None
            if story_id is None:
                story_id = stories.start_story(self.db, new.title, seen_at)
            stories.count_into_story(self.db, story_id, seen_at)
            cursor = self.db.execute(
                "insert into articles (url, title, text, published_at, modified_at, outlet, author,"
                " first_seen_at, source, discovered_via, relevance, text_hash, original_url,"
                " story_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    sketch.text_hash,
                    new.original_url,
                    story_id,
                ],
            )
            article_id = int(cursor.lastrowid or 0)
            watch_rows = [(article_id, name, where, seen_at) for name, where in watches]
            self.db.conn.executemany(
                "insert or replace into article_watches (article_id, watch, matched_in,"
                " matched_at) values (?, ?, ?, ?)",
                watch_rows,
            )
            self._add_urls(
                article_id,
                (new.url, *new.other_urls),
                new.source,
                seen_at,
                outlet=new.outlet,
                matched_by="article",
            )
            stories.index_article(
                self.db, article_id, sketch, stories.day_of(new.published_at or seen_at)
            )
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
                        new.page.packed or pack_page(new.page.body),
                    ],
                )
            # Alerts (outbox): one message per new story and channel, follow-ups as a story grows.
            if story_is_new:
                outbox.enqueue_story(
                    self.db, outbox.story_key(story_id), article_id, alert, created_at=seen_at
                )
            elif alert := tuple(alert):  # counting a story's outlets is a join: only when asked
                outlets = stories.outlet_count(self.db, story_id)
                for channel in alert:
                    kind = outbox.follow_up_kind(outlets, channel.follow_up_outlets)
                    if kind:
                        outbox.enqueue_story(
                            self.db,
                            outbox.story_key(story_id),
                            article_id,
                            [channel],
                            created_at=seen_at,
                            kind=kind,
                        )
        return Stored(article_id, story_id, story_is_new)

    def index_search(self, *, batch: int = 2000) -> int:
        """Add the articles stored since the last call to the full-text index; returns how many.

        The crawl calls this when it ends (and when it starts, after a crawl that was killed).
        Until then search finds those articles by reading them (archive/search.py). The index
        holds folded text (archive/migrations/m009_watches.py); each `batch` of articles is one
        transaction.
        """
        return schema.index_folded(self.db, batch=batch)

    def add_urls(
        self,
        article_id: int,
        urls: Iterable[str],
        source: str,
        *,
        seen_at: str | None = None,
        outlet: str | None = None,
        matched_by: str = "url",
        similarity: float | None = None,
    ) -> int:
        """Record more URLs of an archived article (a copy: who published it, how it matched).

        Returns how many were new.
        """
        with self.db.atomic():
            return self._add_urls(
                article_id,
                urls,
                source,
                seen_at or now_kst(),
                outlet=outlet,
                matched_by=matched_by,
                similarity=similarity,
            )

    def _add_urls(
        self,
        article_id: int,
        urls: Iterable[str],
        source: str,
        seen_at: str,
        *,
        outlet: str | None,
        matched_by: str,
        similarity: float | None = None,
    ) -> int:
        added = 0
        for url in dict.fromkeys(urls):
            cursor = self.db.execute(
                "insert or ignore into article_urls (url, article_id, first_seen_at, source,"
                " outlet, matched_by, similarity) values (?, ?, ?, ?, ?, ?, ?)",
                [url, article_id, seen_at, source, outlet, matched_by, similarity],
            )
            added += cursor.rowcount
            # A key first met as a rejection (e.g. a wall page) now belongs to this article.
            self.db.execute(
                "insert into url_keys (key, article_id, seen_at) values (?, ?, ?)"
                " on conflict (key) do update set article_id = excluded.article_id, reason = null"
                " where url_keys.article_id is null",
                [article_key(url), article_id, seen_at],
            )
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
                self.db.execute(
                    "insert or ignore into url_keys (key, reason, seen_at) values (?, ?, ?)",
                    [article_key(url), reason, seen_at],
                )

    def record_aliases(self, known: Iterable[str], urls: Iterable[str], *, source: str) -> None:
        """Give `urls` the fate of the page at `known`: its article's URLs, or its rejection."""
        urls = [canonical_url(url) for url in urls]
        for key in dict.fromkeys(article_key(url) for url in known):
            row = self.db.execute(
                "select article_id, reason from url_keys where key = ?", [key]
            ).fetchone()
            if row is None:
                continue
            if row[0] is not None:
                self.add_urls(int(row[0]), urls, source)
            else:
                self.reject(
                    urls, reason=row[1], detail="another address of a rejected page", source=source
                )
            return

    # --- per-source state ------------------------------------------------------------------------

    def source_state(self, source: str) -> dict[str, Any]:
        """ETag, Last-Modified and watermark stored for a source ({} before its first crawl)."""
        rows = list(self.db.table("source_state").rows_where("source = ?", [source]))
        return rows[0] if rows else {}

    def save_source_state(self, source: str, **fields: str | None) -> None:
        with self.db.atomic():
            self.db.table("source_state").upsert(
                {"source": source, "updated_at": now_kst(), **fields}, pk="source"
            )

    # --- unresolved leads -----------------------------------------------------------------------

    def add_lead(
        self,
        url: str,
        *,
        source: str,
        title: str | None,
        outlet: str | None,
        published_at: str | None,
    ) -> bool:
        """Keep a lead whose article could not be fetched; True if it was not kept before."""
        with self.db.atomic():
            cursor = self.db.execute(
                "insert or ignore into leads (url, source, title, outlet, published_at, seen_at)"
                " values (?, ?, ?, ?, ?, ?)",
                [url, source, title, outlet, published_at, now_kst()],
            )
        return cursor.rowcount == 1

    def match_leads(self) -> int:
        """Link unresolved leads to archived articles with the same title; returns how many."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update leads set matched_at = ?, article_id = (select a.id from articles a"
                " where a.title = leads.title order by a.id limit 1)"
                " where article_id is null"
                " and exists (select 1 from articles a where a.title = leads.title)",
                [now_kst()],
            )
        return cursor.rowcount

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
        outcomes: Mapping[str, tuple[str, str]] | None = None,
        detail: str = "",
    ) -> None:
        """Record a crawl's end: its status and counts, and per source its counts and its
        outcome, (status, reason): ok, failed or off (crawler/counts.py)."""
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
                    | {name: source_counts.get(name, 0) for name in SOURCE_COUNTS}
                    | dict(
                        zip(
                            ("status", "reason"),
                            (outcomes or {}).get(source, ("ok", "")),
                            strict=True,
                        )
                    ),
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


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
