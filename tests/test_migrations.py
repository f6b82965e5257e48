"""Upgrading an archive from any historic schema step gives what a fresh archive gives.

For every step K (m001..mK applied, and the order used before the redesign, which ran m005 and
m006 before m004), an archive gets a few realistic rows at that step, written as the code of that
time wrote them, then opens through the normal path (Archive, which applies the missing steps).
A fresh archive gets the same rows at the current schema, written as the code writes them today.
Both must have the same schema (sqlite_master, columns, indexes, triggers) and the same rows,
identity keys, watch tags and search index. A change to the live identity rules or folding that
a frozen migration does not follow fails here: it needs a migration of its own.
"""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from archive import Archive
from archive.migrations import STEPS, migrations
from archive.query_language import parse_query
from archive.search import search
from archive.watches import adopt_unnamed
from crawler.urls import article_key
from crawler.watch import FoldedArticle, WatchRule

WATCH = WatchRule.of("LG AI", ["LG AI연구원", "엑사원", "EXAONE"])
SEEN = "2026-05-01T09:00:00+09:00"

# Rows with every column they have ever had, except those a migration fills in from other rows
# (written by `_write_derived` instead). A step's archive gets the columns it has.
ARTICLES: list[dict[str, Any]] = [
    {
        "id": 1,
        "url": "https://n.news.naver.com/mnews/article/001/0015123456",
        "title": "LG AI연구원, 엑사원 4.0 공개",
        "text": "LG AI연구원이 15일 엑사원 4.0을 공개했다.\n추론 성능을 높였다.",
        "published_at": "2026-04-15T10:00:00+09:00",
        "modified_at": None,
        "outlet": "연합뉴스",
        "author": "김기자",
        "story_id": 1,
        "first_seen_at": "2026-04-15T10:05:00+09:00",
        "source": "naver-api",
        "discovered_via": "naver-api",
        "relevance": 7,
        "text_hash": "a" * 64,
        "original_url": "https://www.yna.co.kr/view/AKR20260415000100017",
    },
    {
        "id": 2,
        "url": "https://www.aitimes.com/news/articleView.html?idxno=160001",
        "title": "국내 AI 모델 경쟁 가열",
        "text": "업계 동향을 정리했다. " + "배경 설명. " * 60 + "LG는 EXAONE을 앞세웠다.",
        "published_at": "2026-04-16T08:30:00+09:00",
        "modified_at": "2026-04-16T09:00:00+09:00",
        "outlet": "AI타임스",
        "author": None,
        "story_id": 1,
        "first_seen_at": "2026-04-16T08:40:00+09:00",
        "source": "aitimes-rss",
        "discovered_via": "rss",
        "relevance": 1,
        "text_hash": "b" * 64,
        "original_url": None,
    },
    {
        "id": 3,
        "url": "https://www.example.co.kr/news/2026/04/17/lg",
        "title": "연구원 인터뷰",
        "text": "엑사원을 만든 연구원들을 만났다. LG AI 연구원 사람들.",
        "published_at": None,
        "modified_at": None,
        "outlet": None,
        "author": "박기자",
        "story_id": 2,
        "first_seen_at": "2026-04-17T12:00:00+09:00",
        "source": "example-sitemap",
        "discovered_via": "sitemap",
        "relevance": 2,
        "text_hash": "c" * 64,
        "original_url": None,
    },
]
ARTICLE_URLS: list[dict[str, Any]] = [
    {
        "url": ARTICLES[0]["url"],
        "article_id": 1,
        "first_seen_at": SEEN,
        "source": "naver-api",
        "outlet": "연합뉴스",
        "matched_by": "article",
        "similarity": None,
    },
    {
        "url": "https://m.yna.co.kr/amp/view/AKR20260415000100017?utm_source=naver",
        "article_id": 1,
        "first_seen_at": SEEN,
        "source": "yna-rss",
        "outlet": "연합뉴스",
        "matched_by": "url",
        "similarity": None,
    },
    {
        "url": "https://news.naver.com/main/read.naver?oid=001&aid=0015123456",
        "article_id": 1,
        "first_seen_at": SEEN,
        "source": "naver-api",
        "outlet": "연합뉴스",
        "matched_by": "url",
        "similarity": None,
    },
    {
        "url": ARTICLES[1]["url"],
        "article_id": 2,
        "first_seen_at": SEEN,
        "source": "aitimes-rss",
        "outlet": "AI타임스",
        "matched_by": "article",
        "similarity": None,
    },
    {
        "url": "https://www.aitimes.com/news/articleViewAmp.html?idxno=160001",
        "article_id": 2,
        "first_seen_at": SEEN,
        "source": "aitimes-rss",
        "outlet": "AI타임스",
        "matched_by": "near_duplicate",
        "similarity": 0.93,
    },
    {
        "url": ARTICLES[2]["url"],
        "article_id": 3,
        "first_seen_at": SEEN,
        "source": "example-sitemap",
        "outlet": None,
        "matched_by": "article",
        "similarity": None,
    },
]
REJECTED_URLS: list[dict[str, Any]] = [
    {
        "url": "https://www.example.co.kr/news/2026/04/17/lg/amp",
        "reason": "irrelevant",
        "detail": "no watch term",
        "seen_at": "2026-04-17T11:00:00+09:00",
        "source": "example-sitemap",
    },  # the same article's AMP address: the archived key wins
    {
        "url": "https://www.example.co.kr/about?ref=nav",
        "reason": "not_article",
        "detail": "no article text",
        "seen_at": SEEN,
        "source": "example-sitemap",
    },
]
BASE: dict[str, list[dict[str, Any]]] = {
    "articles": ARTICLES,
    "article_urls": ARTICLE_URLS,
    "rejected_urls": REJECTED_URLS,
    "pages": [
        {
            "id": 1,
            "article_id": 1,
            "url": ARTICLES[0]["url"],
            "fetched_at": SEEN,
            "status": 200,
            "content_type": "text/html; charset=utf-8",
            "body_gz": gzip.compress("<html><p>엑사원</p></html>".encode()),
        },
    ],
    "crawl_runs": [
        {
            "id": 1,
            "started_at": SEEN,
            "finished_at": SEEN,
            "status": "ok",
            "pid": 4242,
            "discovered": 9,
            "fetched": 5,
            "stored": 3,
            "duplicates": 1,
            "irrelevant": 1,
            "not_article": 1,
            "refused": 0,
            "errors": 0,
            "detail": None,
            "exit_code": 0,
            "duration_s": 12.5,
            "trigger": "every-30m",
            "source_filter": None,
        },
    ],
    "crawl_run_sources": [
        {
            "run_id": 1,
            "source": "naver-api",
            "discovered": 4,
            "known": 0,
            "fetched": 2,
            "new": 1,
            "duplicates": 1,
            "irrelevant": 0,
            "not_article": 0,
            "refused": 0,
            "failed": 0,
            "feed_failed": 0,
            "not_modified": 0,
            "unresolved": 0,
            "skipped": 0,
            "ignored_items": 0,
            "beyond_max_items": 0,
            "deferred": 0,
            "claim_ignored": 0,
        },
        {
            "run_id": 1,
            "source": "broken-rss",
            "discovered": 0,
            "known": 0,
            "fetched": 0,
            "new": 0,
            "duplicates": 0,
            "irrelevant": 0,
            "not_article": 0,
            "refused": 0,
            "failed": 0,
            "feed_failed": 1,
            "not_modified": 0,
            "unresolved": 0,
            "skipped": 0,
            "ignored_items": 2,
            "beyond_max_items": 0,
            "deferred": 0,
            "claim_ignored": 1,
        },
        {
            "run_id": 1,
            "source": "naver-nokey",
            "discovered": 0,
            "known": 0,
            "fetched": 0,
            "new": 0,
            "duplicates": 0,
            "irrelevant": 0,
            "not_article": 0,
            "refused": 0,
            "failed": 0,
            "feed_failed": 0,
            "not_modified": 0,
            "unresolved": 0,
            "skipped": 1,
        },
    ],
    "stories": [
        {
            "id": 1,
            "title": ARTICLES[0]["title"],
            "first_seen_at": ARTICLES[0]["first_seen_at"],
            "last_seen_at": ARTICLES[1]["first_seen_at"],
            "article_count": 2,
        },
        {
            "id": 2,
            "title": ARTICLES[2]["title"],
            "first_seen_at": ARTICLES[2]["first_seen_at"],
            "last_seen_at": ARTICLES[2]["first_seen_at"],
            "article_count": 1,
        },
    ],
    "article_versions": [
        {
            "id": 1,
            "article_id": 2,
            "title": "국내 AI 모델 경쟁",
            "text": "업계 동향.",
            "modified_at": None,
            "replaced_at": "2026-04-16T09:05:00+09:00",
            "text_hash": "d" * 64,
        },
    ],
    "alert_outbox": [
        {
            "id": 1,
            "channel": "e" * 16,
            "channel_label": "ntfy://ntfy.sh/****",
            "story_key": "story:1",
            "kind": "story",
            "article_id": 1,
            "payload": None,
            "idempotency_key": "newswatch-" + "f" * 32,
            "status": "sent",
            "attempts": 1,
            "next_attempt_at": None,
            "last_error": None,
            "created_at": SEEN,
            "sent_at": SEEN,
        },
    ],
    "alert_conditions": [
        {"subject": "source:broken-rss", "broken_at_run": 1, "since": SEEN, "detail": "HTTP 500"},
    ],
    "source_state": [
        {
            "source": "aitimes-rss",
            "etag": '"abc"',
            "last_modified": None,
            "watermark": "2026-04-16T08:30:00+09:00",
            "updated_at": SEEN,
        },
    ],
    "leads": [
        {
            "url": "https://news.google.com/rss/articles/CBMiXYZ",
            "source": "google-news",
            "title": "LG AI연구원, 엑사원 4.0 공개",
            "outlet": "연합뉴스",
            "published_at": None,
            "seen_at": SEEN,
            "article_id": None,
            "matched_at": None,
        },
    ],
}
CASES = [tuple(step.__name__ for step in STEPS[:k]) for k in range(1, len(STEPS) + 1)]
# Before the redesign m004 was registered after m006: an archive could have m005 and m006 only.
BEFORE_REORDER = (
    "m001_initial",
    "m002_stories_and_versions",
    "m003_alert_outbox",
    "m005_scheduler",
    "m006_query",
)


def test_steps_are_registered_in_their_numbered_order(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "empty.db"))
    names = [m.name for m in migrations.pending(db)]
    assert names == sorted(names)
    assert [int(name[1:4]) for name in names] == list(range(1, len(names) + 1))


@pytest.mark.parametrize(
    "applied",
    [*CASES, BEFORE_REORDER],
    ids=[*(case[-1][:4] for case in CASES), "m001-m006-without-m004"],
)
def test_upgrading_from_a_step_gives_the_schema_and_keys_of_a_fresh_archive(
    tmp_path: Path, applied: tuple[str, ...]
) -> None:
    old = _archive_at(tmp_path / "old.db", applied)
    present = _columns(old)
    _write_rows(old, present)
    old.close()
    with Archive(tmp_path / "old.db") as upgraded, Archive(tmp_path / "fresh.db") as fresh:
        _write_rows(fresh.db, present)
        for archive in (upgraded, fresh):
            adopt_unnamed(archive.db, WATCH)  # as the CLI does when it opens an archive
            archive.index_search()
        assert _schema(upgraded.db) == _schema(fresh.db)
        assert _migrations_applied(upgraded.db) == _migrations_applied(fresh.db)
        assert _tables(upgraded.db) == _tables(fresh.db)
        assert _index_terms(upgraded.db) == _index_terms(fresh.db)
        for text in ("엑사원", "LG AI연구원", "LG", "EXAONE -인터뷰", "연구원"):
            query = parse_query(text)
            assert search(upgraded.db, query) == search(fresh.db, query), text
        # The rows were written and keyed: not two empty archives agreeing.
        keys = dict(fresh.db.execute("select key, coalesce(article_id, reason) from url_keys"))
        assert keys["naver:001:0015123456"] == keys["yna:AKR20260415000100017"] == 1
        assert keys["ndsoft:aitimes.com:160001"] == 2
        assert keys["web:example.co.kr/news/2026/04/17/lg"] == 3
        assert keys["web:example.co.kr/about"] == "not_article"
        assert [r["id"] for r in search(upgraded.db, parse_query("엑사원"))] == [1, 3]


def _archive_at(path: Path, applied: tuple[str, ...]) -> Database:
    """An archive file with exactly the steps `applied`, in that order."""
    by_name = {step.__name__: step for step in STEPS}
    historic = Migrations(migrations.name)  # the same set name: the steps count as applied
    for name in applied:
        historic()(by_name[name])
    db = Database(sqlite3.connect(path, isolation_level=None))
    historic.apply(db)
    return db


def _columns(db: Database) -> dict[str, list[str]]:
    return {name: [c[1] for c in db.execute(f"pragma table_info([{name}])")] for name in _names(db)}


def _names(db: Database, kind: str = "table") -> list[str]:
    return [r[0] for r in db.execute("select name from sqlite_master where type = ?", [kind])]


def _write_rows(db: Database, present: Mapping[str, list[str]]) -> None:
    """BASE as far as the archive at `present` held it, and what the code of its time derived
    from those rows in the tables `db` has (the fresh archive: everything today's code writes)."""
    with db.atomic():
        for table, rows in BASE.items():
            for row in rows:
                kept = {k: v for k, v in row.items() if k in present.get(table, ())}
                if kept:
                    marks = ",".join("?" * len(kept))
                    db.execute(
                        f"insert into [{table}] ({','.join(kept)}) values ({marks})",
                        list(kept.values()),
                    )
        _write_derived(db, present)


def _write_derived(db: Database, present: Mapping[str, list[str]]) -> None:
    tables = set(_names(db))
    if "url_keys" in tables:  # since m004 the crawl keys every URL it archives or rejects
        for url in ARTICLE_URLS:
            db.execute(
                "insert or ignore into url_keys (key, article_id, seen_at) values (?, ?, ?)",
                [article_key(url["url"]), url["article_id"], url["first_seen_at"]],
            )
        for url in REJECTED_URLS:
            db.execute(
                "insert or ignore into url_keys (key, reason, seen_at) values (?, ?, ?)",
                [article_key(url["url"]), url["reason"], url["seen_at"]],
            )
    if "article_watches" in tables:  # since m009 it tags each article with the watches it matches
        for article in ARTICLES:
            match = WATCH.match(FoldedArticle.of(article["title"], article["text"]))
            assert match is not None
            db.execute(
                "insert into article_watches (article_id, watch, matched_in, matched_at)"
                " values (?, ?, ?, ?)",
                [article["id"], WATCH.name, match.where, article["first_seen_at"]],
            )
    if "status" in _columns(db)["crawl_run_sources"]:  # since m011 each source's outcome
        for row in BASE["crawl_run_sources"]:
            kept = set(present["crawl_run_sources"])
            status = "off" if row["skipped"] and "skipped" in kept else "ok"
            if status == "ok" and row["feed_failed"] and "feed_failed" in kept:
                status = "failed"
            db.execute(
                "update crawl_run_sources set status = ? where run_id = ? and source = ?",
                [status, row["run_id"], row["source"]],
            )


def _schema(db: Database) -> dict[str, Any]:
    """sqlite_master (whitespace-normalised SQL, no root pages), each table's columns and each
    index's columns, in a stable order."""
    master = sorted(
        (kind, name, table, " ".join((sql or "").split()))
        for kind, name, table, sql in db.execute(
            "select type, name, tbl_name, sql from sqlite_master"
        )
    )
    columns = {t: list(db.execute(f"pragma table_xinfo([{t}])")) for t in _names(db)}
    indexes = {i: list(db.execute(f"pragma index_xinfo([{i}])")) for i in _names(db, "index")}
    return {"master": master, "columns": columns, "indexes": indexes}


def _migrations_applied(db: Database) -> set[str]:
    return {r[0] for r in db.execute("select name from _sqlite_migrations")}


def _tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows but the machinery's: applied-at times, and the full-text index's own
    storage (its segments depend on how it was filled; `_index_terms` compares what it holds)."""
    skipped = ("_sqlite_migrations", "articles_fts")
    return {
        name: sorted(db.execute(f"select * from [{name}]").fetchall(), key=repr)
        for name in _names(db)
        if not name.startswith(skipped)
    }


def _index_terms(db: Database) -> list[tuple[Any, ...]]:
    db.execute(
        "create virtual table if not exists temp.terms using fts5vocab(main, 'articles_fts', row)"
    )
    return db.execute("select term, doc, cnt from temp.terms order by term").fetchall()
