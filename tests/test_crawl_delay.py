"""One host's robots.txt must not stall a crawl: `Crawl-delay: 86400` on a linked host.

The crawl runs through the local site as an HTTP proxy, so the slow host and the others are
different hosts to newswatch (http://slow.delay.test, http://good.delay.test), all served here.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Run, _child_env, newswatch, write_config
from tests.newssite import NewsSite
from tests.test_faults_network import article_html

SLOW, GOOD = "http://slow.delay.test", "http://good.delay.test"
DEADLINE = 30.0


def serve(site: NewsSite) -> tuple[list[str], list[str]]:
    slow = [f"{SLOW}/news/{n}" for n in (1, 2, 3)]
    good = [f"{GOOD}/news/{n}" for n in (4, 5)]
    for n, url in enumerate(slow + good, start=1):
        site.add(url, article_html(n))
    site.add(f"{SLOW}/robots.txt", "User-agent: *\nCrawl-delay: 86400\n", content_type="text/plain")
    site.add(f"{GOOD}/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in slow + good)
    site.add(
        f"{GOOD}/feed.xml",
        f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    return slow, good


def stored(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(url for (url,) in conn.execute("select url from articles"))
    finally:
        conn.close()


def counts(db: Path, run_id: int) -> tuple[int, int, str]:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "select new, deferred, status from crawl_run_sources where run_id = ?", [run_id]
        ).fetchone()
        return int(row[0]), int(row[1]), str(row[2])
    finally:
        conn.close()


def config_for(tmp_path: Path, max_host_wait: float) -> Path:
    config = write_config(
        tmp_path / "c.toml",
        archive=tmp_path / "news.db",
        sources=[("feed", "rss", f"{GOOD}/feed.xml")],
    )
    config.write_text(
        config.read_text().replace("[crawl]\n", f"[crawl]\nmax_host_wait = {max_host_wait}\n")
    )
    return config


def test_a_huge_crawl_delay_is_capped_and_the_rest_deferred_to_later_crawls(
    site: NewsSite, tmp_path: Path
) -> None:
    slow, good = serve(site)
    config = config_for(tmp_path, max_host_wait=1)
    db = tmp_path / "news.db"
    began = time.monotonic()
    run = newswatch("--config", str(config), "crawl", env={"http_proxy": site.base_url})
    took = time.monotonic() - began
    assert run.returncode == 0, run.stderr
    assert took < 15, took  # one capped delay (1 s), not a day
    # The other host's pages all; the slow host's first page, after the capped delay; the rest
    # left for later crawls, counted, not remembered as judged.
    # (Scrapy's scheduler takes the newest request first: the feed's last slow page.)
    assert stored(db) == sorted([*good, slow[-1]])
    assert counts(db, 1) == (3, 2, "ok")
    # Said in the summary; the log says more at -v only (it comes at every crawl of that host).
    assert "deferred: feed  2 page(s) left for the next crawl (a host's Crawl-delay; see -v)" in (
        run.stdout.splitlines()
    )
    assert run.stderr == ""
    requested = [url for url in slow if site.requested(url)]
    assert len(requested) == 1  # the deferred pages were not fetched

    again = newswatch("--config", str(config), "crawl", "-v", env={"http_proxy": site.base_url})
    assert again.returncode == 0, again.stderr
    assert (
        "slow.delay.test asks for Crawl-delay 86400 s: waiting 1 s between its requests, and"
        " leaving what does not fit in this crawl to the next"
    ) in again.stderr
    assert (
        f"source feed: {slow[0]} deferred to a later crawl: its host asks for 1 s" in again.stderr
    )
    # The next crawl: one more of the slow host's pages, the last one deferred again.
    assert stored(db) == sorted([*good, slow[-1], slow[-2]])
    assert counts(db, 2) == (1, 1, "ok")


def test_sigterm_stops_a_crawl_waiting_on_a_crawl_delay_in_seconds(
    site: NewsSite, tmp_path: Path
) -> None:
    slow, _ = serve(site)
    config = config_for(tmp_path, max_host_wait=600)  # its first page would wait ten minutes
    child = subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(config), "crawl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env({"http_proxy": site.base_url}),
    )
    deadline = time.monotonic() + DEADLINE
    while not site.requested(f"{SLOW}/robots.txt") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert site.requested(f"{SLOW}/robots.txt") == 1
    # The crawl now holds the slow host's pages for their turn, ten minutes away.
    began = time.monotonic()
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=DEADLINE)
    run = Run(child.returncode, out, err)
    assert time.monotonic() - began < 8
    assert run.returncode == 143, run.stderr
    assert not any(site.requested(url) for url in slow)
