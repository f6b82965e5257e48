"""Archive faults during a real crawl: the file locked by another process, the disk full, two crawls.

Each ends the same way: one clear error line, the crawl stops with a non-zero exit, nothing
half-written (integrity_check ok, every article with its URLs and raw page), and the next crawl
after the fault clears stores everything.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from archive import Archive
from tests.conftest import CRAWL_TIMEOUT, _child_env, newswatch, write_config
from tests.newssite import Hit, NewsSite, Route
from tests.test_crawl_end_to_end import DT, ECONOMIST, ETODAY, rows, serve_test_site

ARTICLES = 3  # the relevant articles of the test site (tests/test_crawl_end_to_end.py)


def setup(site: NewsSite, tmp_path: Path) -> tuple[Path, Path]:
    serve_test_site(site)
    db = tmp_path / "news.db"
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=db,
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    return db, config


def wait_for(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def assert_whole(db: Path) -> None:
    """Nothing half-written: the file is sound and every article has its URLs, page and story."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "select count(*) from articles a where not exists"
            " (select 1 from pages p where p.article_id = a.id)"
            " or not exists (select 1 from article_urls u where u.article_id = a.id)"
            " or a.story_id is null"
        ).fetchone()
        assert orphans == (0,)
    finally:
        conn.close()


def error_lines(stderr: str, marker: str) -> list[str]:
    return [line for line in stderr.splitlines() if marker in line]


def lock_on_first_request(site: NewsSite, where: str, db: Path) -> list[sqlite3.Connection]:
    """Serve `where` as registered, but first take the archive for writing (an exclusive
    transaction of another connection, as another process would): the returned list holds that
    connection once the crawl has asked for `where`."""
    holder: list[sqlite3.Connection] = []
    route = site.routes[where]
    assert isinstance(route, Route)

    def lock_then_serve(hit: Hit) -> Route:
        if not holder:
            conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
            conn.execute("begin exclusive")
            holder.append(conn)
        return route

    site.add_handler(where, lock_then_serve)
    return holder


def test_archive_locked_by_another_process_stops_the_crawl_cleanly(
    site: NewsSite, tmp_path: Path
) -> None:
    db, config = setup(site, tmp_path)
    # Another process (this test) takes the archive for writing once the crawl's run started.
    holder = lock_on_first_request(site, "/feed.xml", db)
    run = newswatch("--config", str(config), "crawl", env={"NEWSWATCH_BUSY_TIMEOUT": "0.2"})
    assert run.returncode == 1, run.stderr
    (line,) = error_lines(run.stderr, "stopping the crawl")
    assert f"archive {db}: cannot " in line
    assert "database is locked (SQLITE_BUSY)" in line
    assert "Traceback" not in run.stderr, run.stderr
    # The run's row could not take its end while the file was locked: the error is said instead.
    assert "the crawl did not finish: archive" in run.stderr.splitlines()[-1]
    holder[0].execute("rollback")
    holder[0].close()
    assert_whole(db)
    assert rows(db, "select count(*) as n from articles") == [{"n": 0}]
    (first,) = rows(db, "select status from crawl_runs")
    assert first["status"] == "running"  # `newswatch schedule` marks such rows failed on start

    again = newswatch("--config", str(config), "crawl")
    assert again.returncode == 0, again.stderr
    stored = {
        str(r["url"]).removeprefix(site.base_url) for r in rows(db, "select url from articles")
    }
    assert stored == {ECONOMIST, ETODAY, DT}
    assert_whole(db)


def test_archive_briefly_locked_by_another_writer_is_waited_for(
    site: NewsSite, tmp_path: Path
) -> None:
    db, config = setup(site, tmp_path)
    holder = lock_on_first_request(site, ETODAY, db)
    child = subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env({"NEWSWATCH_BUSY_TIMEOUT": "20"}),
    )
    try:
        wait_for(lambda: holder, "the article request")
        time.sleep(1)  # the other writer's transaction lasts a second: the crawl must ride it out
        holder[0].execute("rollback")
        holder[0].close()
        _, err = child.communicate(timeout=CRAWL_TIMEOUT)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == 0, err
    assert rows(db, "select count(*) as n from articles") == [{"n": ARTICLES}]
    assert rows(db, "select status, stored from crawl_runs") == [{"status": "ok", "stored": 3}]


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG like a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_stops_the_crawl_cleanly_and_the_next_crawl_stores_everything(
    site: NewsSite, tmp_path: Path
) -> None:
    db, config = setup(site, tmp_path)
    # The schema first: the crawl then writes only to the write-ahead log, which starts empty. The
    # limit (per file, on the offset written) leaves the log room for the run's row, not an article.
    Archive(db).close()
    assert not db.with_name(db.name + "-wal").exists()
    # 64 KiB: room for the 32 KiB shared-memory index and a log of the run's row, not of an article.
    limit = 64 * 1024
    done = subprocess.run(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl"],
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        env=_child_env(),
        preexec_fn=_limit_file_size(limit),
        check=False,
    )
    assert done.returncode == 1, done.stderr
    (line,) = error_lines(done.stderr, "stopping the crawl")
    assert f"archive {db}: cannot " in line
    assert "disk I/O error (SQLITE_IOERR_WRITE)" in line or "(SQLITE_FULL)" in line, line
    assert "Traceback" not in done.stderr, done.stderr
    assert_whole(db)
    assert rows(db, "select count(*) as n from articles") == [{"n": 0}]

    again = newswatch("--config", str(config), "crawl")
    assert again.returncode == 0, again.stderr
    assert rows(db, "select count(*) as n from articles") == [{"n": ARTICLES}]
    assert_whole(db)


def test_an_archive_that_cannot_be_opened_is_one_line_error(site: NewsSite, tmp_path: Path) -> None:
    db, config = setup(site, tmp_path)
    Archive(db).close()
    done = subprocess.run(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl"],
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        env=_child_env(),
        preexec_fn=_limit_file_size(4096),  # not even the WAL's shared-memory index fits
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: cannot write to the archive {db}: disk I/O error; nothing was fetched.\n"
    )
    assert site.hits == []
    assert_whole(db)


def _start_crawl(config: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(),
    )


def test_a_second_crawl_waits_or_is_refused_and_a_killed_crawl_leaves_no_lock(
    site: NewsSite, tmp_path: Path
) -> None:
    db, config = setup(site, tmp_path)
    site.add_page(DT, "dt_exaone_euckr.html", content_type="text/html", delay=30)
    first = _start_crawl(config)
    waiting = None
    try:
        wait_for(lambda: site.requested(DT), "the first crawl's slow page")
        refused = newswatch("--config", str(config), "crawl", "--no-wait")
        assert refused.returncode == 75
        assert refused.stderr.strip() == (
            f"Error: another crawl (pid {first.pid}) is running on {db}; not crawling"
            " (run again later, or without --no-wait)."
        )
        waiting = _start_crawl(config)
        assert waiting.stderr is not None
        assert waiting.stderr.readline().startswith(
            f"another crawl (pid {first.pid}) is running on"
        )
        assert site.requested("/feed.xml") == 1  # it waits before it reads anything
        # The first crawl is killed outright: the kernel drops its lock, the waiting crawl runs.
        site.add_page(DT, "dt_exaone_euckr.html", content_type="text/html")
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=CRAWL_TIMEOUT)
        _, waiting_err = waiting.communicate(timeout=CRAWL_TIMEOUT)
        assert waiting.returncode == 0, waiting_err
    finally:
        for child in (first, waiting):
            if child is not None:
                child.kill()
                child.communicate()
    runs = rows(db, "select status, pid from crawl_runs order by id")
    assert runs == [
        # Killed: the next crawl, holding the lock the kernel freed, records it interrupted.
        {"status": "interrupted", "pid": first.pid},
        {"status": "ok", "pid": waiting.pid},
    ]
    assert rows(db, "select count(*) as n from articles") == [{"n": ARTICLES}]
    assert site.requested("/feed.xml") == 2
    after = newswatch("--config", str(config), "crawl", "--no-wait")
    assert after.returncode == 0, after.stderr


def test_what_a_crawl_stored_is_committed_while_it_waits_on_a_slow_page(
    site: NewsSite, tmp_path: Path
) -> None:
    # The archive stage commits in batches; one left open while the crawl waits would hide its
    # articles from everyone else and hold the write lock. Its timer commits it.
    db, config = setup(site, tmp_path)
    route = site.routes[DT]
    assert isinstance(route, Route)
    release = threading.Event()

    def hold(hit: Hit) -> Route:
        release.wait(CRAWL_TIMEOUT)
        return route

    site.add_handler(DT, hold)
    crawl = _start_crawl(config)
    try:
        wait_for(lambda: site.requested(DT), "the slow page's request")
        # The feed's first article is stored before the slow one is answered (how many more
        # get through beside it depends on the requests in flight).
        wait_for(
            lambda: rows(db, "select count(*) as n from articles")[0]["n"] >= 1,
            "an article stored before the slow page, committed",
            timeout=10,
        )
        assert crawl.poll() is None  # still waiting on the slow page
        release.set()
        _, err = crawl.communicate(timeout=CRAWL_TIMEOUT)
    finally:
        release.set()
        crawl.kill()
        crawl.communicate()
    assert crawl.returncode == 0, err
    assert rows(db, "select count(*) as n from articles") == [{"n": ARTICLES}]
    assert_whole(db)


def test_a_write_lock_held_at_start_is_one_line_and_no_request(
    site: NewsSite, tmp_path: Path
) -> None:
    """Another process holds the archive's write lock when the crawl starts: after the busy
    timeout the crawl says so in one line and exits 1, having sent no request."""
    db, config = setup(site, tmp_path)
    Archive(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")
    try:
        run = newswatch("--config", str(config), "crawl", env={"NEWSWATCH_BUSY_TIMEOUT": "0.5"})
    finally:
        holder.execute("rollback")
        holder.close()
    assert run.returncode == 1
    assert run.stderr == (
        f"Error: cannot write to the archive {db}: database is locked; nothing was fetched.\n"
    )
    assert run.stdout == ""
    assert site.hits == []
    assert rows(db, "select count(*) as n from crawl_runs") == [{"n": 0}]
