"""The archive on a real SQLite file: schema, idempotent writes, identity look-ups, search."""

from __future__ import annotations

import gzip
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from archive import Archive, NewArticle, RawPage, text_hash
from archive.search import search_text
from crawler import counts
from pipelines.archive import ArchivePipeline
from pipelines.dedup import DedupPipeline
from pipelines.session import ArchiveSession
from tests.labelled_articles import labelled_articles
from tests.test_similarity_labelled import item_for

SESSION = {"pipelines.session.ArchiveSession": 0}


def search(archive: Archive, query: str) -> list[dict[str, Any]]:
    """What `newswatch search` finds (archive/search.py)."""
    return search_text(archive.db, query, limit=20)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "sub" / "news.db") as opened:
        yield opened


def article(
    url: str = "https://www.mk.co.kr/news/it/1",
    text: str = "LG AI연구원이 엑사원을 공개했다.",
    title: str = "엑사원 공개",
    **extra: object,
) -> NewArticle:
    fields: dict[str, object] = {
        "url": url,
        "title": title,
        "text": text,
        "published_at": "2025-07-15T10:30:00+09:00",
        "modified_at": None,
        "outlet": "매일경제",
        "author": "홍길동",
        "original_url": None,
        "source": "mk",
        "discovered_via": "rss",
        "relevance": 4,
    } | extra
    return NewArticle(**fields)  # type: ignore[arg-type]


def test_opening_creates_the_schema_in_wal_mode(archive: Archive) -> None:
    tables = set(archive.db.table_names())
    assert {
        "articles",
        "article_urls",
        "pages",
        "rejected_urls",
        "crawl_runs",
        "crawl_run_sources",
        "articles_fts",
    } <= tables
    assert archive.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    columns = set(archive.db["articles"].columns_dict)
    assert {
        "id",
        "url",
        "title",
        "text",
        "published_at",
        "outlet",
        "author",
        "story_id",
        "first_seen_at",
    } <= columns
    # Opening again applies nothing twice.
    with Archive(archive.path) as again:
        names = [m["name"] for m in again.db["_sqlite_migrations"].rows]
        assert names[0] == "m001_initial"
        assert len(names) == len(set(names))


def test_an_article_is_stored_whole_with_its_urls_and_raw_page(archive: Archive) -> None:
    page = RawPage(
        "https://www.mk.co.kr/news/it/1", 200, "text/html", "<html>엑사원</html>".encode()
    )
    article_id, _, _ = archive.add_article(
        article(other_urls=("https://m.mk.co.kr/news/it/1",), page=page),
        seen_at="2025-07-15T10:31:00+09:00",
    )
    row = archive.article(article_id)
    assert row["urls"] == ["https://m.mk.co.kr/news/it/1", "https://www.mk.co.kr/news/it/1"]
    assert row["first_seen_at"] == "2025-07-15T10:31:00+09:00"
    assert row["text_hash"] == text_hash("LG AI연구원이  엑사원을\n공개했다.")
    (stored,) = archive.db["pages"].rows
    assert gzip.decompress(stored["body_gz"]) == page.body


def test_a_failed_write_leaves_nothing_behind(archive: Archive) -> None:
    archive.add_article(article())
    with pytest.raises(sqlite3.IntegrityError):
        archive.add_article(article(other_urls=("https://elsewhere.kr/1",)))  # same canonical URL
    assert archive.db["articles"].count == 1
    assert archive.known_urls(["https://elsewhere.kr/1"]) == set()


def test_identity_lookups(archive: Archive) -> None:
    first = archive.add_article(article()).article_id
    assert (
        archive.add_urls(
            first, ["https://www.mk.co.kr/news/it/1", "https://n.news.naver.com/x"], "naver"
        )
        == 1
    )
    assert archive.add_urls(first, ["https://n.news.naver.com/x"], "naver") == 0  # idempotent
    assert archive.article_id_for_urls(["https://nope.kr", "https://n.news.naver.com/x"]) == first
    assert archive.article_id_for_text_hash(text_hash("LG AI연구원이 엑사원을 공개했다.")) == first
    assert archive.article_id_for_text_hash(text_hash("다른 기사")) is None
    archive.reject(
        ["https://www.mk.co.kr/news/stock/9"], reason="irrelevant", detail="score 0", source="mk"
    )
    assert archive.known_urls(
        ["https://www.mk.co.kr/news/stock/9", "https://n.news.naver.com/x", "https://new.kr/1"]
    ) == {"https://www.mk.co.kr/news/stock/9", "https://n.news.naver.com/x"}


def test_search_finds_korean_inside_words_and_short_terms(archive: Archive) -> None:
    archive.add_article(article())
    archive.add_article(
        article(
            url="https://x.kr/2",
            title="삼성 반도체",
            text="반도체 수출이 늘었다.",
            published_at="2025-07-16T09:00:00+09:00",
        )
    )
    assert [r["url"] for r in search(archive, "엑사원")] == [
        "https://www.mk.co.kr/news/it/1"
    ]  # 엑사원을
    assert [r["url"] for r in search(archive, "LG")] == [
        "https://www.mk.co.kr/news/it/1"
    ]  # LIKE fallback
    assert [r["url"] for r in search(archive, "반도체")] == ["https://x.kr/2"]
    for hostile in ['"', '엑사원" OR "', "a%", "(", "NEAR(", "*", "   "]:
        search(archive, hostile)  # never raises


def test_crawl_runs_record_counts(archive: Archive) -> None:
    run_id = archive.start_run(pid=1234)
    assert archive.run(run_id)["status"] == "running"
    archive.finish_run(
        run_id,
        status="ok",
        counts={"fetched": 3, "stored": 2},
        per_source={"mk": {"fetched": 3, "new": 2}},
    )
    run = archive.run(run_id)
    assert (run["status"], run["fetched"], run["stored"], run["errors"]) == ("ok", 3, 2, 0)
    assert [(s["source"], s["fetched"], s["new"], s["failed"]) for s in run["sources"]] == [
        ("mk", 3, 2, 0)
    ]


def test_background_checkpoints_copy_the_log_while_the_writer_stays_open(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Archive(path, background_checkpoints=True) as archive:
        assert archive.db.execute("pragma wal_autocheckpoint").fetchone()[0] == 0
        size_before = path.stat().st_size
        for i in range(40):
            archive.add_article(
                article(url=f"https://www.mk.co.kr/news/it/{i}", text=f"엑사원 {i} " * 200)
            )
        # Only a checkpoint copies pages into the file itself; the writer never runs one now.
        deadline = time.monotonic() + 15
        while path.stat().st_size == size_before:
            assert time.monotonic() < deadline, "no checkpoint ran beside the writer"
            time.sleep(0.05)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from articles").fetchone() == (40,)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_the_dedup_and_archive_stages_share_one_connection(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    crawler = get_crawler(settings_dict={"ARCHIVE_PATH": path, "EXTENSIONS": SESSION})
    dedup, store = DedupPipeline.from_crawler(crawler), ArchivePipeline.from_crawler(crawler)
    session = crawler.get_extension(ArchiveSession)
    assert session is not None
    dedup.open_spider()
    store.open_spider()
    assert dedup.archive is not None
    shared = dedup.archive
    assert store.archive is shared
    assert session.archive is shared  # the spider's too (crawler.archive_access.ArchiveAccess)
    dedup.close_spider()  # the archive stage still uses it
    assert shared.db.execute("select count(*) from articles").fetchone() == (0,)
    store.close_spider()
    session.close()  # the session closes it when the crawl has closed
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        shared.db.execute("select 1")
    dedup.open_spider()  # a later crawl in the same process gets a connection of its own
    assert dedup.archive is not None
    assert dedup.archive is not shared
    dedup.close_spider()
    session.close()


def test_an_archive_stage_without_its_session_says_so() -> None:
    # Not NotConfigured: Scrapy would silently crawl without the stage.
    crawler = get_crawler(settings_dict={"ARCHIVE_PATH": "x.db"})
    with pytest.raises(RuntimeError, match=r"pipelines\.session\.ArchiveSession in EXTENSIONS"):
        ArchivePipeline.from_crawler(crawler)


def test_a_batch_that_cannot_be_committed_counts_its_pages_failed_and_keeps_the_last_commit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = str(tmp_path / "batch.db")
    # Commits only when asked: no event loop here, and an interval no test outlasts.
    crawler = get_crawler(
        settings_dict={"ARCHIVE_PATH": path, "ARCHIVE_COMMIT_INTERVAL": 3600, "EXTENSIONS": SESSION}
    )
    assert crawler.stats is not None
    crawler.stats.open_spider()
    dedup, store = DedupPipeline.from_crawler(crawler), ArchivePipeline.from_crawler(crawler)
    entries = labelled_articles()[:4]
    dedup.open_spider()
    store.open_spider()
    try:
        store.process_item(dedup.process_item(item_for(entries[0])))
        store.commit()
        for entry in entries[1:]:
            store.process_item(dedup.process_item(item_for(entry)))
        with sqlite3.connect(path) as other:  # the batch is not committed yet
            assert other.execute("select count(*) from articles").fetchone() == (1,)
        # A batch SQLite refuses at COMMIT (as a full disk may): a deferred foreign key broken.
        assert store.archive is not None
        store.archive.db.execute("pragma defer_foreign_keys = on")
        store.archive.db.execute(
            "insert into article_sketches (article_id, day, signature) values (999999, 0, x'00')"
        )
        with caplog.at_level(logging.ERROR, logger="pipelines.archive"):
            store.commit()
    finally:
        dedup.close_spider()
        store.close_spider()
        session = crawler.get_extension(ArchiveSession)
        assert session is not None
        session.close()
    assert [r.getMessage() for r in caplog.records if r.name == "pipelines.archive"] == [
        f"archive {path}: cannot store 3 pages ({entries[1].url} and 2 more):"
        " FOREIGN KEY constraint failed (SQLITE_CONSTRAINT_FOREIGNKEY); stopping the crawl"
    ]
    got = counts.per_source(crawler.stats.get_stats())["labelled"]
    assert got.get("new", 0) + got.get("duplicates", 0) == 1
    assert got["failed"] == 3
    with sqlite3.connect(path) as conn:
        assert conn.execute("select url from articles").fetchall() == [(entries[0].url,)]
        assert conn.execute("select count(*) from article_sketches").fetchone() == (1,)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_a_batch_keeps_each_pages_writes_whole_or_absent(archive: Archive) -> None:
    batch = archive.batch()
    assert batch.begin()
    assert not batch.begin()  # the second call finds it open
    with batch.page():
        archive.add_article(article())

    def two_writes_one_failing() -> None:
        with batch.page():
            archive.add_article(article(url="https://x.kr/2", title="둘"))
            archive.add_article(article(url="https://x.kr/2", title="둘"))  # the same URL again

    with pytest.raises(sqlite3.IntegrityError):
        two_writes_one_failing()
    assert batch.open  # one page failed; the batch goes on
    batch.commit()
    assert not batch.open
    assert [row["url"] for row in archive.articles()] == [article().url]
