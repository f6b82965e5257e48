"""A monitor that never fails silently: dead sources beside a live one, output as cron and systemd
see it, Ctrl-C and SIGTERM on a hung crawl, and a crawl killed outright.

Every crawl here is the real `newswatch crawl` in a child process, against the local news site
(tests/newssite.py); its stdout and stderr are pipes, as under cron or systemd.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, _child_env, newswatch, write_config
from tests.newssite import SITE_DIR, NewsSite
from tests.test_faults_network import article_html

DEADLINE = 30.0  # seconds any wait here may take before the test fails
TIMEOUT = 2  # [crawl] timeout of these crawls: a hung feed costs 3 × 2 s (two retries)


def rss(urls: list[str]) -> str:
    items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rows(db: Path, sql: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def wait_for(condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def serve_live_and_dead(site: NewsSite) -> tuple[list[dict[str, object]], list[str]]:
    """A live feed of three articles, and four dead sources: nothing listening, a name that never
    resolves, a feed path that 404s, a feed that never answers."""
    live = [site.url(f"/news/{n}") for n in (1, 2, 3)]
    for n, url in enumerate(live, start=1):
        site.add(url.removeprefix(site.base_url), article_html(n))
    site.add("/live.xml", rss(live), content_type="application/rss+xml")
    site.add("/hang.xml", b"", fault="hang")
    sources: list[dict[str, object]] = [
        {"name": "live", "type": "rss", "url": site.url("/live.xml")},
        {"name": "nobody-home", "type": "rss", "url": f"http://127.0.0.1:{closed_port()}/feed.xml"},
        {"name": "no-such-host", "type": "rss", "url": "http://feeds.newswatch.invalid/feed.xml"},
        {"name": "moved-away", "type": "rss", "url": site.url("/gone.xml")},
        {"name": "hung", "type": "rss", "url": site.url("/hang.xml")},
    ]
    return sources, live


REASONS = {
    "nobody-home": "connection refused",
    "no-such-host": "DNS lookup failed",
    "moved-away": "HTTP 404",
    "hung": f"timed out after {TIMEOUT} s",
}


def crawl_config(tmp_path: Path, sources: list[dict[str, object]], extra: str = "") -> Path:
    config = write_config(tmp_path / "c.toml", archive=tmp_path / "news.db", sources=sources)
    text = config.read_text().replace("[crawl]\n", f"[crawl]\ntimeout = {TIMEOUT}\n{extra}")
    config.write_text(text)
    return config


def test_dead_sources_beside_a_live_one_fail_by_name_and_reason(
    site: NewsSite, tmp_path: Path
) -> None:
    sources, live = serve_live_and_dead(site)
    config = crawl_config(tmp_path, sources)
    db = tmp_path / "news.db"
    run = newswatch("--config", str(config), "crawl", env={"COLUMNS": "80"})

    # Some sources failed, the live one was read: exit 3, and stderr says so in its last line.
    assert run.returncode == 3, run.stderr
    assert sorted(r["url"] for r in rows(db, "select url from articles")) == sorted(live)
    by_source = {r["source"]: r for r in rows(db, "select * from crawl_run_sources")}
    assert (by_source["live"]["status"], by_source["live"]["reason"]) == ("ok", "")
    assert (by_source["live"]["discovered"], by_source["live"]["new"]) == (3, 3)
    for name, reason in REASONS.items():
        row = by_source[name]
        assert (row["status"], row["reason"], row["feed_failed"]) == ("failed", reason, 1), name
    (crawl_run,) = rows(db, "select * from crawl_runs")
    detail = "4 of 5 sources failed: hung, moved-away, no-such-host, nobody-home"
    assert (crawl_run["status"], crawl_run["detail"]) == ("partial", detail)
    assert run.stderr.splitlines()[-1] == (
        f"Error: {detail}; the others were read (see the lines above)."
    )

    # The summary: whole lines at 80 columns into a pipe, and one line per failed source.
    out = run.stdout.splitlines()
    assert out[0] == f"crawl #1 into {db}"
    assert out[1].split() == [
        "source",
        "status",
        "discovered",
        "known",
        "fetched",
        "new",
        "duplicates",
        "irrelevant",
        "not",
        "article",
        "refused",
        "failed",
    ]
    table = {line.split()[0]: line.split()[1:] for line in out[2:7]}
    assert table["live"] == ["ok", "3", "0", "3", "3", "0", "0", "0", "0", "0"]
    assert table["hung"] == ["failed", "0", "0", "0", "0", "0", "0", "0", "0", "0"]
    address = {str(s["name"]): str(s["url"]) for s in sources}
    assert out[7:] == [
        f"failed: {name}  {address[name]}  {REASONS[name]}" for name in sorted(REASONS)
    ]

    # One line per failure on stderr, no traceback from Scrapy's middlewares, no notice that the
    # private-address guard is off (the config asks for it), nothing else.
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 4, run.stderr
    for name, reason in REASONS.items():
        (line,) = [e for e in errors if f"source {name}:" in e]
        assert line.endswith(f"cannot read {address[name]}: {reason}"), line
    assert "Traceback" not in run.stderr
    assert "PrivateAddressGuard" not in run.stderr
    assert len(run.stderr.splitlines()) == 5, run.stderr


def test_runs_and_sources_say_failed_with_the_reason_in_whole_lines_and_json(
    site: NewsSite, tmp_path: Path
) -> None:
    sources, _ = serve_live_and_dead(site)
    config = crawl_config(tmp_path, sources)
    assert newswatch("--config", str(config), "crawl").returncode == 3

    runs = newswatch("--config", str(config), "runs", env={"COLUMNS": "80"})
    assert runs.returncode == 0, runs.stderr
    lines = runs.stdout.splitlines()
    assert lines[1].split()[:6] == ["run", "started", "took", "run", "status", "source"]
    # run, started (date and time, KST), took, run status, source, status, counts, reason
    listed = {line.split()[5]: line for line in lines[2:7]}
    for name, reason in REASONS.items():
        cells = listed[name].split()
        assert cells[4] == "partial"  # the run's status
        assert cells[6] == "failed"  # the source's
        assert listed[name].endswith(f"  {reason}"), listed[name]
    assert listed["live"].split()[6] == "ok"
    assert lines[-1] == (
        "run 1 partial: 4 of 5 sources failed: hung, moved-away, no-such-host, nobody-home"
    )
    as_json = json.loads(newswatch("--config", str(config), "runs", "--format", "json").stdout)
    assert as_json[0]["status"] == "partial"
    assert {s["source"]: (s["status"], s["reason"]) for s in as_json[0]["sources"]} == {
        "live": ("ok", ""),
        **{name: ("failed", reason) for name, reason in REASONS.items()},
    }

    listed_sources = newswatch("--config", str(config), "sources", env={"COLUMNS": "80"})
    assert listed_sources.returncode == 0
    assert listed_sources.stderr == "4 source(s) need attention.\n"  # naver is not in this one
    health = {line.split()[0]: line for line in listed_sources.stdout.splitlines()[2:]}
    assert health["live"].endswith("  ok")
    for name, reason in REASONS.items():
        assert "failed at its last crawl, since 20" in health[name], health[name]
        assert health[name].endswith(f": {reason}"), health[name]
        assert str(sources[[s["name"] for s in sources].index(name)]["url"]) in health[name]
    as_json = json.loads(newswatch("--config", str(config), "sources", "--format", "json").stdout)
    assert [s["source"] for s in as_json] == [s["name"] for s in sources]
    assert as_json[0]["health"] == "ok"
    assert as_json[3]["health"].endswith(": HTTP 404")


def test_a_crawl_that_reads_no_source_exits_1_and_says_why(tmp_path: Path) -> None:
    """The shipped configuration on a machine with no network: every connection fails. (An HTTP
    proxy with nothing listening stands in for the missing network: no request leaves 127.0.0.1.)"""
    shipped = Path(__file__).resolve().parent.parent / "newswatch.toml"
    config = tmp_path / "newswatch.toml"
    config.write_text(
        shipped.read_text(encoding="utf-8")
        .replace('path = "newswatch.db"', f'path = "{tmp_path / "news.db"}"')
        .replace("delay = 1.0", "delay = 0"),
        encoding="utf-8",
    )
    dead = f"http://127.0.0.1:{closed_port()}"
    run = newswatch("--config", str(config), "crawl", env={"http_proxy": dead, "https_proxy": dead})
    assert run.returncode == 1, run.stderr
    names = [
        line.split()[0]
        for line in run.stdout.splitlines()[2:]
        if not line.startswith(("failed:", "off:"))
    ]
    failed = sorted(n for n in names if n != "naver")
    assert run.stderr.splitlines()[-1] == (
        f"Error: the crawl did not finish: no source could be read: {len(failed)} failed"
        f" ({', '.join(failed)}); 1 off (naver)"
    )
    summary = [line for line in run.stdout.splitlines() if line.startswith(("failed:", "off:"))]
    assert len(summary) == len(names) == shipped.read_text(encoding="utf-8").count("[[sources]]")
    assert all("  connection refused" in line for line in summary if line.startswith("failed:"))
    # A few lines: one per source, and the verdict.
    assert len(run.stderr.splitlines()) == len(failed) + 1, run.stderr
    assert "Traceback" not in run.stderr


def start_crawl(config: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(env),
    )


def finish(child: subprocess.Popen[str], timeout: float = DEADLINE) -> Run:
    out, err = child.communicate(timeout=timeout)
    return Run(child.returncode, out, err)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_crawl_stuck_on_a_hung_download_in_seconds(
    site: NewsSite, tmp_path: Path, signum: int, code: int
) -> None:
    # The good article on a host of its own (localhost), so it is not queued behind the hung one.
    good = site.url("/news/1").replace("127.0.0.1", "localhost")
    site.add("/news/1", article_html(1))
    site.add("/news/hung", b"", fault="hang")
    site.add(
        "/feed.xml",
        rss([good, site.url("/news/hung")]),
        content_type="application/rss+xml",
    )
    config = crawl_config(
        tmp_path, [{"name": "site", "type": "rss", "url": site.url("/feed.xml")}]
    ).read_text()
    # A download that would hang for a minute (and be retried twice) without the stop.
    path = tmp_path / "slow.toml"
    path.write_text(config.replace(f"timeout = {TIMEOUT}", "timeout = 60"))
    child = start_crawl(path)
    wait_for(lambda: site.requested("/news/hung"), "the crawl is waiting on the hung page")
    db = tmp_path / "news.db"
    wait_for(lambda: rows(db, "select id from articles"), "the good article is stored")
    began = time.monotonic()
    child.send_signal(signum)
    run = finish(child)
    took = time.monotonic() - began
    assert took < 10, took  # STOP_GRACE (5 s) for what is in flight, then it stops
    assert run.returncode == code, run.stderr
    name = signal.Signals(signum).name
    assert run.stderr.splitlines()[0] == (
        f"newswatch: {name}: stopping the crawl; no new requests, 5 s for those in flight"
        " (again to stop at once)"
    )
    assert "newswatch: requests still in flight: abandoned" in run.stderr
    (crawl_run,) = rows(db, "select * from crawl_runs")
    assert crawl_run["status"] == "interrupted"
    assert crawl_run["finished_at"] is not None
    assert [r["url"] for r in rows(db, "select url from articles")] == [good]
    assert (crawl_run["stored"], crawl_run["detail"]) == (
        1,
        "stopped by a signal before it finished",
    )
    assert run.stderr.splitlines()[-1] == (
        "Error: the crawl was stopped before it finished (stopped by a signal before it"
        " finished); what it stored is kept."
    )


def test_a_second_ctrl_c_stops_at_once(site: NewsSite, tmp_path: Path) -> None:
    site.add("/feed.xml", b"", fault="hang")
    config = crawl_config(tmp_path, [{"name": "hung", "type": "rss", "url": site.url("/feed.xml")}])
    path = Path(config)
    path.write_text(path.read_text().replace(f"timeout = {TIMEOUT}", "timeout = 60"))
    child = start_crawl(path)
    wait_for(lambda: site.requested("/feed.xml"), "the crawl is waiting on the feed")
    child.send_signal(signal.SIGINT)
    assert child.stderr is not None
    assert "stopping the crawl" in child.stderr.readline()  # said at once
    began = time.monotonic()
    child.send_signal(signal.SIGINT)
    run = finish(child)
    assert time.monotonic() - began < 2  # not the 5 s grace
    assert run.returncode == 130, run.stderr
    assert "newswatch: SIGINT again: stopping now" in run.stderr
    (crawl_run,) = rows(tmp_path / "news.db", "select status from crawl_runs")
    assert crawl_run["status"] == "interrupted"


def test_a_crawl_killed_outright_is_recorded_interrupted_by_the_next_command(
    site: NewsSite, tmp_path: Path
) -> None:
    site.add("/feed.xml", b"", fault="hang")
    config = crawl_config(tmp_path, [{"name": "hung", "type": "rss", "url": site.url("/feed.xml")}])
    child = start_crawl(config)
    wait_for(lambda: site.requested("/feed.xml"), "the crawl is waiting on the feed")
    db = tmp_path / "news.db"
    assert [r["status"] for r in rows(db, "select status from crawl_runs")] == ["running"]
    child.kill()
    finish(child)
    assert [r["status"] for r in rows(db, "select status from crawl_runs")] == ["running"]

    shown = newswatch("--config", str(config), "runs")
    assert shown.returncode == 0, shown.stderr
    (crawl_run,) = rows(db, "select * from crawl_runs")
    assert crawl_run["status"] == "interrupted"
    assert crawl_run["detail"] == (
        "its process ended without recording the crawl's end (killed, the machine stopped,"
        " or the archive refused the write)"
    )
    assert shown.stdout.splitlines()[-1] == f"run 1 interrupted: {crawl_run['detail']}"


def test_runs_leaves_the_row_of_a_crawl_still_running_alone(site: NewsSite, tmp_path: Path) -> None:
    site.add("/feed.xml", b"", fault="hang")
    config = crawl_config(tmp_path, [{"name": "hung", "type": "rss", "url": site.url("/feed.xml")}])
    child = start_crawl(config)
    try:
        wait_for(lambda: site.requested("/feed.xml"), "the crawl is waiting on the feed")
        assert newswatch("--config", str(config), "runs").returncode == 0
        assert [
            r["status"] for r in rows(tmp_path / "news.db", "select status from crawl_runs")
        ] == ["running"]
    finally:
        child.kill()
        finish(child)


def test_a_read_only_archive_fails_at_once_with_no_request_sent(
    site: NewsSite, tmp_path: Path
) -> None:
    """A read-only bind of the archive's folder: the crawl says so in one line, exit 1, and
    fetches nothing (not even robots.txt)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    site.add("/news/1", article_html(1))
    site.add("/feed.xml", rss([site.url("/news/1")]), content_type="application/rss+xml")
    data, view = tmp_path / "data", tmp_path / "view"
    data.mkdir()
    view.mkdir()
    config = crawl_config(data, [{"name": "site", "type": "rss", "url": site.url("/feed.xml")}])
    assert newswatch("--config", str(config), "crawl").returncode == 0  # the archive exists
    hits = len(site.hits)
    subprocess.run(["mount", "--bind", str(data), str(view)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        ro_config = view / "c.toml"
        ro = write_config(
            tmp_path / "ro.toml",
            archive=view / "news.db",
            sources=[("site", "rss", site.url("/feed.xml"))],
        )
        assert ro_config.exists()
        run = newswatch("--config", str(ro), "crawl")
        status = newswatch("--config", str(ro), "alerts", "status")
    finally:
        subprocess.run(["umount", str(view)], check=True)
    assert run.returncode == 1, run.stderr
    # The crawl lock beside it cannot be taken on a read-only file system: the first thing tried.
    assert run.stderr.splitlines() == [
        f"Error: cannot open the archive {view / 'news.db'}: [Errno 30] Read-only file system:"
        f" '{view / 'news.db.crawl-lock'}'"
    ]
    assert run.stdout == ""
    assert len(site.hits) == hits  # no request sent
    assert status.returncode == 1
    assert len(status.stderr.splitlines()) == 1, status.stderr
    assert "Traceback" not in status.stderr
    assert str(view / "news.db") in status.stderr


def test_verbose_says_what_became_of_each_page_and_vv_adds_scrapys_log(
    site: NewsSite, tmp_path: Path
) -> None:
    pages: dict[str, str | bytes] = {
        "/news/1": article_html(1),
        "/news/2": article_html(1),  # the same article under another address
        "/news/3": (SITE_DIR / "irrelevant_undeclared_cp949.html").read_bytes(),
        "/section": '<html><body><ul><li><a href="/a">제목 하나</a></li></ul></body></html>',
        "/private/4": article_html(4),
    }
    for path, body in pages.items():
        site.add(path, body, content_type="text/html")
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/feed.xml", rss([site.url(p) for p in pages]), content_type="application/rss+xml")
    config = crawl_config(tmp_path, [{"name": "site", "type": "rss", "url": site.url("/feed.xml")}])
    run = newswatch("--config", str(config), "crawl", "-v")
    assert run.returncode == 0, run.stderr
    said = run.stderr
    # (Scrapy's scheduler takes the newest request first: /news/2 before /news/1.)
    title = "LG AI연구원 엑사원 장애시험 1호 기사"
    assert f"stored article 1 in story 1 (new): {title} ({site.url('/news/2')})" in said
    assert f"duplicate of article 1 (text_hash): {site.url('/news/1')}, 1 new URL(s)" in said
    assert f"irrelevant: {site.url('/news/3')} (no watch term)" in said
    assert f"not an article: {site.url('/section')} has no article body" in said
    assert f"source site: not fetching {site.url('/private/4')}: Forbidden by robots.txt" in said
    for banner in (
        "Scrapy 2.",
        "Enabled extensions",
        "Dumping Scrapy stats",
        "Overridden settings",
    ):
        assert banner not in said, banner

    again = newswatch("--config", str(config), "crawl", "-vv")
    assert again.returncode == 0, again.stderr
    assert "Dumping Scrapy stats" in again.stderr
    assert "Enabled extensions" in again.stderr
