"""Fault battery, feed side: one crawl of sources whose feeds are broken, hostile or huge.

Each source is a feed on a host of its own behind the local proxy (see tests/test_faults_network.py);
good articles linked from the broken feeds must still be stored. Feed parsing on saved bytes
(relative links, javascript: links, charsets, garbage) is in tests/test_feeds.py; XXE in a sitemap
is in tests/test_discovery.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Run, newswatch, write_config
from tests.newssite import NewsSite
from tests.test_faults_network import article_html, gzip_bomb, host, lines_naming, rows

BIG_ITEMS = 100_000
SECRET = "비밀-표식-7f3a"  # the content of the external entities' targets: must never surface


def rss(items: str, prolog: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def item(link: str | None, title: str = "기사") -> str:
    return f"<item><title>{title}</title>" + (f"<link>{link}</link>" if link else "") + "</item>"


LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'
        for k in range(1, 10)
    )
    + "]>"
)


@dataclass(frozen=True)
class Crawled:
    site: NewsSite
    db: Path
    run: Run
    sources: dict[str, dict[str, object]]  # crawl_run_sources rows by source


def feed_url(name: str) -> str:
    return f"{host(name)}/rss.xml"


def article(site: NewsSite, name: str, n: int) -> str:
    url = f"{host(name)}/news/{n}"
    site.add(url, article_html(n))
    return url


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    site = NewsSite().start()
    tmp = tmp_path_factory.mktemp("faults-feeds")
    secret_file = tmp / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    site.add("/secret", SECRET)
    feeds = {
        # Broken in the middle: the item before the fault is followed, the one after is lost.
        "broken": rss(
            item(article(site, "broken", 31)) + "<item><title>x</ti<<>>&&</item>" + item("/lost")
        ),
        "garbage": "<html><body>502 Bad Gateway</body></html>",
        "laughs": rss(item(article(site, "laughs", 32), "&lol9;"), LAUGHS),
        "xxe": rss(
            item(article(site, "xxe", 33), "&file;&web;"),
            f'<!DOCTYPE rss [<!ENTITY file SYSTEM "{secret_file.as_uri()}">'
            f'<!ENTITY web SYSTEM "{site.base_url}/secret">]>',
        ),
        "big": rss(
            item(article(site, "big", 34))
            + item(article(site, "big", 35))
            + "".join(item(f"{host('big')}/n/{k}") for k in range(BIG_ITEMS - 2))
        ),
        "links": rss(
            item(None, "링크 없음")
            + item("javascript:alert(document.cookie)", "스크립트")
            + item("/news/36", "상대 링크")
        ),
    }
    site.add(f"{host('links')}/news/36", article_html(36))
    for name, body in feeds.items():
        site.add(feed_url(name), body, content_type="application/rss+xml; charset=utf-8")
    site.add(feed_url("gone"), "없음", status=404)
    site.add(feed_url("hang"), "", fault="hang")
    # Sitemaps: an HTML error page, and a .xml.gz that inflates to 1 GB (read up to 50 MB only).
    site.add(feed_url("sitemap-html"), "<html><body>점검 중</body></html>")
    site.add(feed_url("sitemap-bomb"), gzip_bomb(), content_type="application/x-gzip")
    sources: list[tuple[str, str, str] | dict[str, object]] = [
        {"name": name, "type": "rss", "url": feed_url(name)} for name in (*feeds, "gone", "hang")
    ] + [
        {"name": name, "type": "sitemap", "url": feed_url(name)}
        for name in ("sitemap-html", "sitemap-bomb")
    ]
    for source in sources:
        if isinstance(source, dict) and source["name"] == "big":
            source["max_items"] = 2
    db = tmp / "news.db"
    config = write_config(tmp / "c.toml", archive=db, sources=sources)
    config.write_text(config.read_text().replace("[crawl]\n", "[crawl]\ntimeout = 2\n"))
    run = newswatch("--config", str(config), "crawl", env={"http_proxy": site.base_url})
    by_source = {str(r["source"]): r for r in rows(db, "select * from crawl_run_sources")}
    yield Crawled(site, db, run, by_source)
    site.stop()


def counts_of(crawled: Crawled, name: str) -> tuple[object, ...]:
    row = crawled.sources[name]
    return (row["discovered"], row["new"], row["failed"], row["feed_failed"], row["refused"])


def test_the_crawl_finishes_and_stores_every_good_article(crawled: Crawled) -> None:
    # Some sources could not be read, the others were: exit 3 (docs/scheduling-and-operations.md).
    assert crawled.run.returncode == 3, crawled.run.stderr
    stored = sorted(str(r["url"]) for r in rows(crawled.db, "select url from articles"))
    assert stored == sorted(
        [
            f"{host('broken')}/news/31",
            f"{host('laughs')}/news/32",
            f"{host('xxe')}/news/33",
            f"{host('big')}/news/34",
            f"{host('big')}/news/35",
            f"{host('links')}/news/36",
        ]
    )
    (run,) = rows(crawled.db, "select * from crawl_runs")
    # feed_failed: broken, garbage, laughs, gone, hang and both sitemaps; no page failed.
    assert (run["status"], run["stored"], run["errors"]) == ("partial", 6, 7)
    assert run["detail"] == (
        "7 of 10 sources failed: broken, garbage, gone, hang, laughs, sitemap-bomb, sitemap-html"
    )
    assert (
        crawled.run.stderr.splitlines()[-1]
        == f"Error: {run['detail']}; the others were read (see the lines above)."
    )
    assert rows(crawled.db, "pragma integrity_check") == [{"integrity_check": "ok"}]


def test_unreadable_feeds_fail_their_source_with_one_line(crawled: Crawled) -> None:
    expected = {
        "garbage": "not a readable feed",
        "gone": "HTTP 404",
        "hang": "timed out after 2 s",
        "sitemap-html": "not a sitemap (its root is <html>)",
        "sitemap-bomb": "does not decompress within limits",
    }
    for name, reason in expected.items():
        assert counts_of(crawled, name) == (0, 0, 0, 1, 0), name
        (line,) = lines_naming(crawled.run, feed_url(name))
        assert f"source {name}: cannot read" in line, line
        assert reason in line, line
        assert crawled.sources[name]["status"] == "failed", name
        assert reason in str(crawled.sources[name]["reason"]), name
        # The summary's line for it: status, name, address, reason, whole.
        assert f"failed: {name}  {feed_url(name)}  {crawled.sources[name]['reason']}" in (
            crawled.run.stdout.splitlines()
        )
    assert crawled.site.requested(feed_url("hang")) == 3  # retried twice, then given up


def test_malformed_feeds_are_followed_up_to_the_fault_and_counted(crawled: Crawled) -> None:
    assert counts_of(crawled, "broken") == (1, 1, 0, 1, 0)
    (line,) = lines_naming(crawled.run, feed_url("broken"))
    assert "malformed XML (" in line, line
    assert "the 1 items read" in line, line
    assert crawled.site.requested(f"{host('broken')}/lost") == 0


def test_entity_expansion_is_refused(crawled: Crawled) -> None:
    assert counts_of(crawled, "laughs") == (1, 1, 0, 1, 0)
    (line,) = lines_naming(crawled.run, feed_url("laughs"))
    assert "amplification" in line, line


def test_external_entities_are_never_resolved(crawled: Crawled) -> None:
    assert counts_of(crawled, "xxe") == (1, 1, 0, 0, 0)
    assert crawled.site.requested("/secret") == 0
    conn = sqlite3.connect(crawled.db)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert SECRET not in dump
    assert SECRET not in crawled.run.stderr + crawled.run.stdout


def test_a_huge_feed_is_read_only_to_max_items(crawled: Crawled) -> None:
    assert counts_of(crawled, "big") == (2, 2, 0, 0, 0)
    assert not [h for h in crawled.site.hits if "/n/" in h.url]
    (line,) = lines_naming(crawled.run, feed_url("big"))
    assert f"{BIG_ITEMS - 2} items past max_items = 2 not read" in line, line
    assert crawled.sources["big"]["beyond_max_items"] == BIG_ITEMS - 2


def test_items_without_a_usable_link_are_ignored_and_counted(crawled: Crawled) -> None:
    # The relative link is resolved against the feed's URL; no link and javascript: are not.
    assert counts_of(crawled, "links") == (1, 1, 0, 0, 0)
    (line,) = lines_naming(crawled.run, feed_url("links"))
    assert "2 items without an http(s) link ignored" in line, line
    assert crawled.sources["links"]["ignored_items"] == 2
    assert "javascript" not in "".join(h.url for h in crawled.site.hits)


def test_a_failed_search_names_its_query_as_a_person_reads_it(
    site: NewsSite, tmp_path: Path
) -> None:
    """A search source's failing request is its query URL, not the configured endpoint: the summary
    and the error line show it decoded, so the user sees which search failed."""
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=tmp_path / "news.db",
        sources=[{"name": "google", "type": "google-news", "endpoint": site.base_url}],
    )
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 1, run.stderr
    query = (
        f'{site.base_url}/rss/search?q="LG AI연구원" OR "LG AI Research" OR "엑사원" OR "EXAONE"'
        " when:7d&hl=ko&gl=KR&ceid=KR:ko"
    )
    assert f"failed: google  {site.base_url}  HTTP 404 at {query}" in run.stdout.splitlines()
    (line,) = [e for e in run.stderr.splitlines() if "ERROR" in e]
    assert line.endswith(f"source google: cannot read {query}: HTTP 404"), line
    assert "%EC" not in run.stdout + run.stderr
