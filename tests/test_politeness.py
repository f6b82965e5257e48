"""Politeness on a real local site: robots.txt Crawl-delay, and 429 answers with Retry-After.

These assert lower bounds on the gaps between requests (what politeness promises), never how fast
anything runs, so a slow machine cannot make them fail.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from tests.conftest import newswatch, write_config
from tests.newssite import SITE_DIR, Hit, NewsSite, Route

FEED = """<rss version="2.0"><channel><title>t</title>{items}</channel></rss>"""


def _feed(paths: list[str]) -> str:
    items = "".join(f"<item><title>{p}</title><link>{{base}}{p}</link></item>" for p in paths)
    return FEED.format(items=items)


def test_crawl_delay_from_robots_txt_is_honoured(site: NewsSite, tmp_path: Path) -> None:
    paths = [f"/news/{n}" for n in range(1, 4)]
    site.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    site.add("/feed.xml", _feed(paths), content_type="application/rss+xml")
    for path in paths:
        site.add_page(path, "etoday_lg.html")
    config = write_config(
        tmp_path / "c.toml",
        archive=tmp_path / "n.db",
        delay=0,
        sources=[("t", "rss", site.url("/feed.xml"))],
    )
    assert newswatch("--config", str(config), "crawl").returncode == 0
    times = sorted(h.at for h in site.hits if h.path in paths)
    assert len(times) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.95, gaps  # config says 0 s; the site asked for 1 s


def test_429_with_retry_after_is_waited_out_then_retried(site: NewsSite, tmp_path: Path) -> None:
    site.add("/feed.xml", _feed(["/news/busy"]), content_type="application/rss+xml")
    page = (SITE_DIR / "etoday_lg.html").read_bytes()
    answers = iter([Route(b"slow down", 429, {"Retry-After": "2", "Content-Type": "text/plain"})])

    def busy(hit: Hit) -> Route:
        return next(answers, Route(page, 200, {"Content-Type": "text/html; charset=utf-8"}))

    site.add_handler("/news/busy", busy)
    db = tmp_path / "n.db"
    config = write_config(
        tmp_path / "c.toml", archive=db, delay=0, sources=[("t", "rss", site.url("/feed.xml"))]
    )
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 0, run.stderr
    first, second = (h.at for h in site.hits if h.path == "/news/busy")
    assert second - first >= 1.9  # Retry-After: 2
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from articles").fetchone() == (1,)
    conn.close()
