"""The real scheduler in a child process, crawling the local test site every 2 seconds.

Crashes are real: kill -9 of a crawl and of the scheduler, SIGTERM and Ctrl-C (SIGINT) of the
scheduler, a crawl that hangs past its timeout. Every wait polls a condition with a deadline.
"""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _child_env, newswatch, write_config
from tests.newssite import NewsSite
from tests.receivers import WebhookReceiver
from tests.test_crawl_end_to_end import ECONOMIST, ETODAY

ROOT = Path(__file__).resolve().parent.parent
INTERVAL = 2  # seconds between crawls
DEADLINE = 60  # seconds any one condition may take before the test fails


def feed(*items: tuple[str, str]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{{base}}{path}</link></item>" for path, title in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>테스트</title><link>{{base}}/</link>{entries}</channel></rss>"
    )


ECONOMIST_ITEM = (ECONOMIST, "LG 미래먹거리 'AI'")
ETODAY_ITEM = (ETODAY, "AI 힘쓰는 구광모호")


def serve(site: NewsSite, *items: tuple[str, str], slow: dict[str, float] | None = None) -> None:
    slow = slow or {}
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add("/feed.xml", feed(*items), content_type="application/rss+xml; charset=utf-8")
    site.add_page(ECONOMIST, "economist_cvpr.html", delay=slow.get(ECONOMIST, 0))
    site.add_page(ETODAY, "etoday_lg.html", delay=slow.get(ETODAY, 0))


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    except sqlite3.OperationalError:  # the scheduler has not created the tables yet
        return []
    finally:
        conn.close()


def wait_for(condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped) is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


@dataclass
class Deployment:
    """A config pointing at the test site, and the schedulers started on it (stopped at teardown)."""

    config: Path
    db: Path
    logs: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.logs / f"scheduler-{len(self.started)}.log").open("wb")
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "scheduler.py"), "--config", str(self.config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_child_env(),
        )
        log.close()
        self.started.append(child)
        return child

    def log(self, index: int = -1) -> str:
        return (self.logs / f"scheduler-{index % len(self.started)}.log").read_text("utf-8")

    def articles(self) -> list[str]:
        return [r["url"] for r in rows(self.db, "select url from articles order by id")]

    def runs(self) -> list[dict[str, Any]]:
        return rows(self.db, "select * from crawl_runs order by id")

    def running_crawl_pid(self) -> int | None:
        found = [r["pid"] for r in self.runs() if r["status"] == "running" and alive(r["pid"])]
        return found[0] if found else None

    def assert_archive_whole(self, site: NewsSite, *paths: str) -> None:
        (check,) = rows(self.db, "pragma integrity_check")
        assert check == {"integrity_check": "ok"}
        assert sorted(self.articles()) == sorted(site.url(p) for p in paths)  # each exactly once
        assert rows(self.db, "select url from articles group by url having count(*) > 1") == []
        assert rows(self.db, "select text_hash from articles group by 1 having count(*) > 1") == []
        orphans = "select url from article_urls where article_id not in (select id from articles)"
        assert rows(self.db, orphans) == []
        no_page = "select id from articles where id not in (select article_id from pages)"
        assert rows(self.db, no_page) == []


@pytest.fixture
def deployment(tmp_path: Path, site: NewsSite) -> Iterator[Deployment]:
    def configure(schedule: str) -> Deployment:
        config = write_config(
            tmp_path / "newswatch.toml",
            archive=tmp_path / "news.db",
            sources=[("testnews", "rss", site.url("/feed.xml"))],
        )
        with config.open("a", encoding="utf-8") as file:
            file.write(f'\n[schedule]\ncrawl = "{INTERVAL}s"\nalerts = "1m"\n{schedule}\n')
        made.append(Deployment(config, tmp_path / "news.db", tmp_path))
        return made[-1]

    made: list[Deployment] = []
    yield configure  # type: ignore[misc]
    for deployed in made:
        for child in deployed.started:
            if child.poll() is None:
                child.kill()
                child.wait(10)
        for run in deployed.runs():  # crawls orphaned by a killed scheduler
            if run["status"] == "running" and run["pid"] and alive(run["pid"]):
                os.kill(run["pid"], signal.SIGKILL)


Configure = Callable[..., Deployment]


def test_crawls_run_on_time_and_a_new_article_is_archived_within_an_interval(
    site: NewsSite, deployment: Configure
) -> None:
    serve(site, ECONOMIST_ITEM)
    nw = deployment("grace = 10")
    scheduler = nw.start()
    wait_for(lambda: nw.articles() == [site.url(ECONOMIST)], "the first crawl stores the article")

    # A new article appears in the feed while the scheduler runs.
    serve(site, ECONOMIST_ITEM, ETODAY_ITEM)
    added = time.monotonic()
    wait_for(lambda: site.url(ETODAY) in nw.articles(), "the new article is archived")
    took = time.monotonic() - added
    crawl_time = max(r["duration_s"] or 0 for r in nw.runs())
    # A crawl already past reading the feed ends, the next starts within the interval and crawls.
    assert took <= INTERVAL + 2 * crawl_time + 1, (took, crawl_time)

    scheduler.send_signal(signal.SIGINT)  # Ctrl-C
    assert scheduler.wait(DEADLINE) == 0
    log = nw.log()
    assert "SIGINT received: stopping" in log
    assert log.rstrip().endswith("scheduler stopped")
    assert "Traceback" not in log
    assert "alert delivery" not in log  # no [[alerts]] configured: no delivery process at all

    runs = nw.runs()
    ok = [r for r in runs if r["status"] == "ok"]
    assert len(ok) >= 2
    assert all(r["trigger"] == "crawl" for r in runs)
    # Only the last crawl may have been signalled: at the stop, if it was still exiting.
    assert all(r["exit_code"] == 0 for r in ok if r["id"] != runs[-1]["id"])
    assert all(r["duration_s"] > 0 for r in ok)
    assert sum(r["stored"] for r in ok) == 2
    # Consecutive runs never overlap (max_instances=1) and start on the 2-second beat.
    finished = [r for r in runs if r["finished_at"]]
    for earlier, later in itertools.pairwise(finished):
        assert later["started_at"] >= earlier["finished_at"]
    nw.assert_archive_whole(site, ECONOMIST, ETODAY)

    shown = newswatch("--config", str(nw.config), "runs", "--limit", "2")
    assert shown.returncode == 0, shown.stderr
    listed = [line.split() for line in shown.stdout.splitlines() if line[:4].strip().isdigit()]
    latest = runs[:-3:-1]  # newest first
    assert [line[0] for line in listed] == [str(r["id"]) for r in latest]
    # run, started (date and time, KST), took, run status, source
    assert [line[4:6] for line in listed] == [[r["status"], "testnews"] for r in latest]


def test_kill_9_of_a_crawl_mid_run_is_recorded_and_the_next_crawl_completes(
    site: NewsSite, deployment: Configure
) -> None:
    hook = WebhookReceiver().start()
    serve(site, ECONOMIST_ITEM, ETODAY_ITEM, slow={ETODAY: 30})
    nw = deployment(f'grace = 5\n\n[[alerts]]\nurl = "{hook.url()}"\nbackoff = 1')
    scheduler = nw.start()
    # One request at a time per host: the fast page is fetched before or after the slow one.
    wait_for(lambda: site.requested(ETODAY), "the crawl is waiting on the slow page")
    pid = wait_for(nw.running_crawl_pid, "the running crawl's pid")
    os.kill(pid, signal.SIGKILL)
    kept = nw.articles()  # what the killed crawl stored before it died (the fast page, or not)

    serve(site, ECONOMIST_ITEM, ETODAY_ITEM)  # the site recovers
    wait_for(lambda: site.url(ETODAY) in nw.articles(), "the next crawl stores the other article")
    killed = wait_for(
        lambda: [r for r in nw.runs() if r["pid"] == pid and r["status"] != "running"],
        "the killed crawl is recorded",
    )[0]
    assert (killed["status"], killed["exit_code"], killed["detail"]) == (
        "failed",
        -9,
        "killed by signal 9",
    )
    assert killed["stored"] is None  # its counts died with it; the article it stored is kept
    after = wait_for(
        lambda: [r for r in nw.runs() if r["id"] > killed["id"] and r["status"] != "running"],
        "the next crawl is recorded",
    )
    assert after[0]["status"] == "ok"
    assert after[0]["stored"] == 2 - len(kept)
    assert scheduler.poll() is None  # the scheduler carried on
    # The killed crawl was the archive's first (a backfill): only what the next one stored is
    # alerted, each story exactly once.
    wait_for(lambda: len(hook.posts) == 2 - len(kept), "alerts for what the next crawl stored")
    scheduler.terminate()
    assert scheduler.wait(DEADLINE) == 0
    hook.stop()
    nw.assert_archive_whole(site, ECONOMIST, ETODAY)
    assert len(hook.posts) == 2 - len(kept)
    assert len({p.headers["Idempotency-Key"] for p in hook.posts}) == len(hook.posts)
    assert rows(nw.db, "select count(*) as n from alert_outbox where status = 'sent'") == [
        {"n": 2 - len(kept)}
    ]


def test_kill_9_of_scheduler_and_crawl_then_restart_loses_and_repeats_nothing(
    site: NewsSite, deployment: Configure
) -> None:
    hook = WebhookReceiver().start()
    serve(site, ECONOMIST_ITEM, ETODAY_ITEM, slow={ETODAY: 30})
    nw = deployment(f'grace = 5\n\n[[alerts]]\nurl = "{hook.url()}"\nbackoff = 1')
    first = nw.start()
    # One request at a time per host: the fast page is fetched before or after the slow one.
    wait_for(lambda: site.requested(ETODAY), "the crawl is waiting on the slow page")
    pid = wait_for(nw.running_crawl_pid, "the running crawl's pid")
    first.kill()  # a power cut: both die at once
    os.kill(pid, signal.SIGKILL)
    first.wait(DEADLINE)
    wait_for(lambda: not alive(pid), "the crawl is gone")

    serve(site, ECONOMIST_ITEM, ETODAY_ITEM)
    second = nw.start()
    wait_for(lambda: site.url(ETODAY) in nw.articles(), "the restarted scheduler crawls")
    stale = next(r for r in nw.runs() if r["pid"] == pid)
    assert (stale["status"], stale["detail"]) == (
        "interrupted",
        f"process {pid} was gone when the scheduler started",
    )
    assert "recorded 1 crawl run(s) left 'running' as interrupted" in nw.log()
    # The killed first crawl was the backfill; what a later crawl stored is alerted exactly once.
    wait_for(lambda: hook.posts, "the alert for what the restarted scheduler stored")
    done = len([r for r in nw.runs() if r["status"] == "ok"])
    wait_for(lambda: len([r for r in nw.runs() if r["status"] == "ok"]) >= done + 2, "two more")
    second.terminate()
    assert second.wait(DEADLINE) == 0
    hook.stop()
    assert [r["status"] for r in nw.runs()].count("running") == 0
    nw.assert_archive_whole(site, ECONOMIST, ETODAY)
    sent = rows(nw.db, "select kind, status from alert_outbox")
    assert sent == [{"kind": "story", "status": "sent"}] * len(sent)
    assert len(hook.posts) == len(sent) == len({p.headers["Idempotency-Key"] for p in hook.posts})
    assert any(site.url(ETODAY) in p.body["message"] for p in hook.posts)


def test_a_crawl_orphaned_by_kill_9_of_the_scheduler_stops_by_itself(
    site: NewsSite, deployment: Configure
) -> None:
    serve(site, ECONOMIST_ITEM, ETODAY_ITEM, slow={ETODAY: 2})
    nw = deployment("grace = 5")
    scheduler = nw.start()
    wait_for(lambda: site.requested(ETODAY), "the crawl is waiting on the slow page")
    pid = wait_for(nw.running_crawl_pid, "the running crawl's pid")
    scheduler.kill()
    scheduler.wait(DEADLINE)
    # The orphan gets SIGTERM (it asked for one when its parent dies) and stops gracefully: the
    # article in flight is finished and stored, nothing new is started (the page queued behind
    # it for the host's turn is left for the next crawl).
    wait_for(lambda: not alive(pid), "the orphaned crawl ends", timeout=20)
    run = next(r for r in nw.runs() if r["pid"] == pid)
    assert (run["status"], run["detail"]) == (
        "interrupted",
        "stopped by a signal before it finished",
    )
    stored = [ETODAY] + ([ECONOMIST] if site.requested(ECONOMIST) else [])
    nw.assert_archive_whole(site, *stored)


def test_sigterm_lets_the_running_crawl_finish_its_article_and_exits_0(
    site: NewsSite, deployment: Configure
) -> None:
    serve(site, ECONOMIST_ITEM, ETODAY_ITEM, slow={ECONOMIST: 2})
    nw = deployment("grace = 20")
    scheduler = nw.start()
    wait_for(lambda: site.requested(ECONOMIST), "the crawl is fetching the slow page")
    pid = wait_for(nw.running_crawl_pid, "the running crawl's pid")
    scheduler.terminate()
    assert scheduler.wait(DEADLINE) == 0
    assert not alive(pid)
    (run,) = nw.runs()
    # The article in flight was finished and stored whole (and the other, if fetched before it).
    # 128 + SIGTERM: the crawl says it was stopped (docs/scheduling-and-operations.md).
    assert (run["status"], run["detail"], run["exit_code"]) == (
        "interrupted",
        "stopped by a signal before it finished",
        143,
    )
    stored = [ECONOMIST] + ([ETODAY] if site.url(ETODAY) in nw.articles() else [])
    assert run["stored"] == len(stored)
    nw.assert_archive_whole(site, *stored)
    log = nw.log()
    assert "SIGTERM received: stopping" in log
    assert log.rstrip().endswith("scheduler stopped")


def test_a_crawl_past_the_grace_period_is_killed_and_the_scheduler_still_exits_0(
    site: NewsSite, deployment: Configure
) -> None:
    serve(site, ECONOMIST_ITEM, slow={ECONOMIST: 30})
    nw = deployment("grace = 1")
    scheduler = nw.start()
    wait_for(lambda: site.requested(ECONOMIST), "the crawl is fetching the slow page")
    wait_for(nw.running_crawl_pid, "the running crawl's pid")
    stopped = time.monotonic()
    scheduler.terminate()
    assert scheduler.wait(DEADLINE) == 0
    assert time.monotonic() - stopped < 15  # 1 s grace, not the 30 s the page takes
    (run,) = nw.runs()
    assert (run["status"], run["exit_code"]) == ("failed", -9)
    assert run["detail"] == "killed: still running 1 s after the stop"
    nw.assert_archive_whole(site)


def test_a_hung_crawl_times_out_is_recorded_and_the_next_runs_on_time(
    site: NewsSite, deployment: Configure
) -> None:
    serve(site, ECONOMIST_ITEM, slow={ECONOMIST: 30})
    nw = deployment("crawl_timeout = 3\ngrace = 1")
    scheduler = nw.start()
    timed_out = wait_for(
        lambda: [r for r in nw.runs() if r["status"] == "failed"], "the hung crawl times out"
    )[0]
    assert timed_out["detail"] == "timed out after 3 s"
    assert timed_out["exit_code"] == -9  # SIGTERM could not end the wait for the page: SIGKILL
    assert 3 <= timed_out["duration_s"] < 15
    serve(site, ECONOMIST_ITEM)
    wait_for(lambda: nw.articles() == [site.url(ECONOMIST)], "the next crawl stores the article")
    scheduler.terminate()
    assert scheduler.wait(DEADLINE) == 0
    assert "crawl: timed out after 3 s; stopping it" in nw.log()
    nw.assert_archive_whole(site, ECONOMIST)


def test_crawl_source_option_crawls_only_the_named_source(site: NewsSite, tmp_path: Path) -> None:
    serve(site, ECONOMIST_ITEM)
    site.add("/other.xml", feed(ETODAY_ITEM), content_type="application/rss+xml; charset=utf-8")
    config = write_config(
        tmp_path / "c.toml",
        archive=tmp_path / "news.db",
        sources=[("one", "rss", site.url("/feed.xml")), ("two", "rss", site.url("/other.xml"))],
    )
    run = newswatch("--config", str(config), "crawl", "--source", "two")
    assert run.returncode == 0, run.stderr
    assert site.requested("/feed.xml") == 0
    assert [r["url"] for r in rows(tmp_path / "news.db", "select url from articles")] == [
        site.url(ETODAY)
    ]
    assert [r["source"] for r in rows(tmp_path / "news.db", "select * from crawl_run_sources")] == [
        "two"
    ]
    unknown = newswatch("--config", str(config), "crawl", "--source", "three")
    assert unknown.returncode == 2
    assert unknown.stderr == (
        f"Error: --source: no source named three in {config}; its sources are one, two.\n"
    )


def test_runs_without_an_archive_says_what_to_do(tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.toml", archive=tmp_path / "none.db", sources=[])
    shown = newswatch("--config", str(config), "runs")
    assert shown.returncode == 1
    assert "no archive at" in shown.stderr
    assert "run 'newswatch crawl' first" in shown.stderr


# --- alert delivery ---------------------------------------------------------------------------


def test_a_new_article_is_alerted_once_while_the_scheduler_runs(
    site: NewsSite, deployment: Configure
) -> None:
    hook = WebhookReceiver().start()
    try:
        serve(site, ECONOMIST_ITEM)
        nw = deployment(f'grace = 10\n\n[[alerts]]\nurl = "{hook.url()}"\nbackoff = 1')
        scheduler = nw.start()
        wait_for(lambda: nw.articles() == [site.url(ECONOMIST)], "the first crawl (a backfill)")
        serve(site, ECONOMIST_ITEM, ETODAY_ITEM)  # a new article appears while it runs
        wait_for(lambda: hook.posts, "the new article's alert is delivered")
        done = len([r for r in nw.runs() if r["status"] == "ok"])
        wait_for(
            lambda: len([r for r in nw.runs() if r["status"] == "ok"]) >= done + 2,
            "two more crawls",
        )
        scheduler.terminate()
        assert scheduler.wait(DEADLINE) == 0
        (post,) = hook.posts  # once: not for the backfilled article, not again later
        assert site.url(ETODAY) in post.body["message"]
        assert "after crawl" in nw.log()
    finally:
        hook.stop()
