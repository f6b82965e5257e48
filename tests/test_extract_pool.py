"""Extraction in worker processes: the same articles as in-process, and a dying worker survived."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.extensions import ExtractionPool
from crawler.extraction import extract
from crawler.items import ArticleItem, PageItem
from crawler.reading import Reading, Watch, read_for_crawl
from crawler.similarity import Sketch, text_hash
from crawler.sources.feeds import FeedPage, read_feed
from crawler.watch import Watches, WatchRule, WatchTerms
from crawler.workers import extract_workers
from newswatch.config import ConfigError, load_config
from pipelines.extract import ExtractorPool, ExtractPipeline
from pipelines.relevance import RelevancePipeline
from tests.conftest import PAGES_DIR, newswatch, write_config
from tests.newssite import NewsSite
from tests.test_crawl_end_to_end import rows, serve_test_site
from tests.test_extraction import CHALLENGE

KILLER = b"<!-- kill the worker -->"


def pool_crawler(**settings: object) -> Crawler:
    """A crawler with the extraction pool extension, and `settings`."""
    extensions = {"crawler.extensions.ExtractionPool": 0}
    return get_crawler(settings_dict={"EXTENSIONS": extensions, **settings})


def read_or_die(body: bytes, url: str, headers: Mapping[str, str]) -> Reading:
    """The pool's function, except that a page carrying KILLER ends the worker process, as a
    segfault does."""
    if KILLER in body:
        os._exit(70)
    return read_for_crawl(body, url, headers)


def saved_pages() -> list[tuple[bytes, str]]:
    pages = []
    for path in sorted(PAGES_DIR.glob("*.html.gz"))[:6]:
        record = path.with_name(path.name[:-8] + ".json").read_text("utf-8")
        url = json.loads(record)["url"]
        pages.append((gzip.decompress(path.read_bytes()), url))
    return pages


def page_item(body: bytes, url: str) -> PageItem:
    return PageItem(
        url=url,
        final_url=url,
        body=body,
        headers={"content-type": "text/html"},
        status=200,
        source="saved",
        discovered_via="rss",
        discovered_at="2026-07-15T10:00:00+09:00",
    )


def test_extract_workers_default_to_one_per_core() -> None:
    assert extract_workers(None) == (os.cpu_count() or 1)
    assert extract_workers(0) == 0
    assert extract_workers("3") == 3
    with pytest.raises(ValueError, match="EXTRACT_WORKERS must be 0 or more, not -1"):
        extract_workers(-1)


def test_a_worker_killed_by_a_page_fails_that_page_only_and_the_crawl_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pages = saved_pages()
    killer_body, killer_url = pages[0][0] + KILLER, pages[0][1] + "?killer"
    crawler = pool_crawler(EXTRACT_WORKERS=2)
    pipeline = ExtractPipeline.from_crawler(crawler)
    assert crawler.stats is not None
    crawler.stats.open_spider()

    async def crawl() -> list[object]:
        pipeline.pool.open()
        assert pipeline.pool.extractors is not None
        pipeline.pool.extractors.close()  # the real pool, with a function that can kill its worker
        pipeline.pool.extractors = ExtractorPool(2, function=read_or_die)
        items = [page_item(body, url) for body, url in pages]
        items.insert(3, page_item(killer_body, killer_url))
        try:
            first = await asyncio.gather(
                *(pipeline.process_item(i) for i in items), return_exceptions=True
            )
            # After the crash the pool was rebuilt: later pages are extracted as usual.
            later = await pipeline.process_item(page_item(*pages[1]))
            return [*first, later]
        finally:
            pipeline.pool.close()

    with caplog.at_level(logging.ERROR, logger="pipelines.extract"):
        results = asyncio.run(crawl())
    assert [r.getMessage() for r in caplog.records if r.name == "pipelines.extract"] == [
        f"extraction of {killer_url} killed its worker process: page skipped"
    ]
    dropped = results.pop(3)
    assert isinstance(dropped, DropItem)
    assert str(dropped) == f"{killer_url} killed an extraction worker"
    expected = [extract(body, url, {"content-type": "text/html"}) for body, url in pages]
    expected.append(expected[1])
    assert all(isinstance(r, ArticleItem) for r in results), results
    got = [r.article for r in results if isinstance(r, ArticleItem)]
    assert [a.text for a in got] == [a.text for a in expected if a is not None]
    assert [a.title for a in got] == [a.title for a in expected if a is not None]
    assert crawler.stats.get_value("source/saved/failed") == 1
    assert crawler.stats.get_value("source/saved/not_article") is None


def test_the_pool_reads_exactly_what_the_function_does() -> None:
    pages = [*saved_pages(), (CHALLENGE, "https://news.example.kr/article/7")]

    async def run() -> list[Reading]:
        pool = ExtractorPool(2)
        try:
            return await asyncio.gather(*(pool.read(body, url, {}) for body, url in pages))
        finally:
            pool.close()

    got = asyncio.run(run())
    assert [(r.article, r.challenge) for r in got] == [
        (extract(body, url, {}), body is CHALLENGE) for body, url in pages
    ]
    for reading, (body, _url) in zip(got, pages, strict=True):
        if reading.article is None:
            assert (reading.sketch, reading.packed_page) == (None, None)
            continue
        # The page as the archive keeps it, packed in the worker.
        assert reading.packed_page is not None
        assert gzip.decompress(reading.packed_page) == body
        # The sketch dedup uses is the one it would compute itself from the article's text.
        assert reading.sketch is not None
        expected = Sketch.of(reading.article.text)
        assert np.array_equal(reading.sketch.shingles, expected.shingles)
        assert np.array_equal(reading.sketch.signature, expected.signature)
        assert (reading.sketch.near_keys, reading.sketch.story_keys) == (
            expected.near_keys,
            expected.story_keys,
        )
        assert reading.sketch.text_hash == text_hash(reading.article.text)


def test_a_watched_pool_scores_articles_and_prepares_only_the_relevant_ones() -> None:
    watch = Watch(Watches((WatchRule.of("EXAONE", ["엑사원"]),)), min_score=5)
    pages = saved_pages()

    async def run() -> list[Reading]:
        pool = ExtractorPool(2, partial(read_for_crawl, watch=watch))
        try:
            return await asyncio.gather(*(pool.read(body, url, {}) for body, url in pages))
        finally:
            pool.close()

    got = asyncio.run(run())
    kept = []
    for reading, (body, url) in zip(got, pages, strict=True):
        article = extract(body, url, {})
        assert article is not None
        assert reading.article == article
        score = WatchTerms.of(["엑사원"]).score(article.title, article.text)
        assert reading.relevance == score
        relevant = score >= watch.min_score
        kept.append(relevant)
        assert [m.watch for m in reading.watches or ()] == (["EXAONE"] if relevant else [])
        # What dedup and the archive need, only for an article the relevance stage keeps.
        assert (reading.sketch is not None, reading.packed_page is not None) == (relevant, relevant)
    assert kept == [True, True, True, True, True, False]


def test_the_relevance_stage_takes_the_workers_score() -> None:
    page = page_item(*saved_pages()[0])
    crawler = pool_crawler(EXTRACT_WORKERS=0, WATCH_TERMS=["엑사원"])
    extracted = asyncio.run(ExtractPipeline.from_crawler(crawler).process_item(page))
    assert isinstance(extracted, ArticleItem)
    assert (
        extracted.relevance == 6
    )  # scored in extraction: 엑사원 once in the title (x3), 3 in text
    extracted.relevance = 40  # had the worker said 40, the stage would not score it again
    assert RelevancePipeline.from_crawler(crawler).process_item(extracted) is extracted
    assert extracted.relevance == 40


def _crawl(site: NewsSite, tmp_path: Path, workers: int) -> Path:
    db = tmp_path / f"workers-{workers}.db"
    config = write_config(
        tmp_path / f"workers-{workers}.toml",
        archive=db,
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    text = config.read_text("utf-8").replace(
        "allow_private = true", f"allow_private = true\nextract_workers = {workers}"
    )
    config.write_text(text, encoding="utf-8")
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 0, run.stderr
    return db


def test_a_crawl_with_worker_processes_stores_the_same_rows(site: NewsSite, tmp_path: Path) -> None:
    serve_test_site(site)
    in_process = _crawl(site, tmp_path, 0)
    pooled = _crawl(site, tmp_path, 2)
    queries = (
        # Ids and stories too: pages reach dedup and the archive in the order they came in.
        "select id, url, title, text, published_at, modified_at, author, outlet, source,"
        " discovered_via, story_id from articles order by id",
        "select url, article_id from article_urls order by url",
        "select url, reason from rejected_urls order by url",
        "select stored, duplicates, irrelevant, not_article, errors from crawl_runs",
    )
    for sql in queries:
        assert rows(pooled, sql) == rows(in_process, sql), sql
    assert len(rows(pooled, "select id from articles")) == 3


def test_the_crawl_keys_for_a_server_of_ones_own(tmp_path: Path) -> None:
    base = '[watch]\nterms = ["엑사원"]\n[crawl]\n'
    path = tmp_path / "newswatch.toml"
    path.write_text(base, encoding="utf-8")
    crawl = load_config(path).crawl
    assert (crawl.concurrency, crawl.adaptive, crawl.extract_workers) == (1, True, None)
    path.write_text(base + "concurrency = 8\nadaptive = false\nextract_workers = 0\n", "utf-8")
    crawl = load_config(path).crawl
    assert (crawl.concurrency, crawl.adaptive, crawl.extract_workers) == (8, False, 0)
    path.write_text(base + "extract_workers = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}: [crawl] extract_workers must be a whole number from 0 to 256, not -1."
    )
    path.write_text(base + "concurrency = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert (
        str(error.value)
        == f"{path}: [crawl] concurrency must be a whole number from 1 to 100, not 0."
    )


KILLED_CRAWL = """
import asyncio, os, signal, sys
from pipelines.extract import ExtractorPool

async def main():
    pool = ExtractorPool(2)
    await pool.read(b"<html><body><p>x</p></body></html>", "http://127.0.0.1/", {})
    print(" ".join(str(pid) for pid in pool.pool._processes), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown, as the scheduler's kill after its grace

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent has not collected it yet


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_do_not_outlive_a_crawl_killed_outright() -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_CRAWL],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == -9, done.stderr
    workers = [int(pid) for pid in done.stdout.split()]
    assert workers  # started on demand: at least the one that extracted the page
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def test_what_a_worker_imports_leaves_out_scrapy_twisted_and_sqlite() -> None:
    # Each worker has what the fork server preloads (pages and feeds): 0.3 s of CPU a worker, at
    # the busiest moment of a crawl, went to importing Scrapy when the worker code lived beside it.
    heavy = ("scrapy", "twisted", "sqlite3", "sqlite_utils", "pipelines", "archive")
    probe = (
        "import importlib, sys; from crawler.workers import PRELOAD;"
        " [importlib.import_module(m) for m in PRELOAD];"
        f" print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "[]"


def test_the_crawl_process_leaves_the_extraction_engine_to_its_workers() -> None:
    # With workers, the crawl process reads no page itself (the newsroom probe excepted, which
    # imports the engine when it needs it): trafilatura and dateparser load in the fork server.
    probe = (
        "import sys, newswatch.crawl; "
        "print(sorted(m for m in ('trafilatura', 'dateparser', 'crawler.extraction')"
        " if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "[]"


def test_the_spiders_feed_reading_runs_in_a_worker_and_a_killer_fails_alone() -> None:
    # The spider hands feeds to the ExtractionPool: read in a worker, exactly as in-process.
    items = "".join(f"<item><title>기사 {n}</title><link>/news/{n}</link></item>" for n in range(5))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    read = partial(read_feed, max_items=3)
    pool = pool_crawler(EXTRACT_WORKERS=1).get_extension(ExtractionPool)
    assert pool is not None

    async def run() -> tuple[FeedPage, int, BaseException | int, int]:
        pool.open()
        try:
            feed = await pool.parse(read, body, "http://127.0.0.1/feed.xml", "")
            worker = await pool.parse(os.getpid)
            (killed,) = await asyncio.gather(pool.parse(os._exit, 70), return_exceptions=True)
            return feed, worker, killed, await pool.parse(os.getpid)
        finally:
            pool.close()

    feed, worker, killed, after = asyncio.run(run())
    assert feed == read(body, "http://127.0.0.1/feed.xml", "")
    assert [lead.url for lead in feed.leads] == [f"http://127.0.0.1/news/{n}" for n in range(3)]
    assert feed.beyond == 2
    assert worker != os.getpid()
    assert isinstance(killed, BrokenProcessPool)  # in the pool, then alone in quarantine
    assert after not in (os.getpid(), worker)  # a new pool took the dead one's place
