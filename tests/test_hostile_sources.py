"""A page on one site cannot become another site's article: real crawls of two hosts on loopback.

To newswatch, 127.0.0.1 and localhost are two sites (no registrable domain: each host is its own).
Pages on localhost name articles on 127.0.0.1 in rel=canonical and og:url. The claim is ignored
and counted; the page is archived (if relevant) under its own address; the real article is
fetched, archived and never rewritten by the other site's page.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import sqlite3
from pathlib import Path

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.claims import may_claim, site_of, syndicates
from crawler.items import ArticleItem, PageItem
from pipelines.extract import ExtractPipeline
from tests.conftest import PAGES_DIR, newswatch, write_config
from tests.newssite import NewsSite

_SYLLABLES = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호"


def _text(n: int, *, relevant: bool = True) -> list[str]:
    """Paragraphs of words of their own (seeded by n), so no two pages look alike to dedup."""
    rng = random.Random(n)

    def sentence() -> str:
        return " ".join("".join(rng.choices(_SYLLABLES, k=3)) for _ in range(12)) + "다."

    lead = (
        f"LG AI연구원이 엑사원 소식 {n}호를 전했다." if relevant else f"아파트값이 {n}주째 올랐다."
    )
    return [f"{lead} {sentence()}", f"{sentence()} {sentence()}", f"{sentence()} {sentence()}"]


def _page(title: str, claims: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="og:url" content="{claims}">
<meta property="article:published_time" content="2026-07-15T10:30:00+09:00">
<link rel="canonical" href="{claims}">
</head><body><article><h1>{title}</h1><div class="article-body">
{body}
</div></article></body></html>
"""


def _feed(links: list[str]) -> str:
    items = "".join(f"<item><title>기사</title><link>{link}</link></item>" for link in links)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'
    )


def rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


class TwoSites:
    """Site A at 127.0.0.1, site B at localhost: one server, two hosts to newswatch."""

    def __init__(self, site: NewsSite, tmp_path: Path) -> None:
        self.site = site
        self.a = site.base_url  # http://127.0.0.1:PORT
        self.b = site.base_url.replace("127.0.0.1", "localhost")
        self.db = tmp_path / "news.db"
        self.config = write_config(
            tmp_path / "newswatch.toml",
            archive=self.db,
            sources=[("testnews", "rss", site.url("/feed.xml"))],
        )
        site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")

    def feed(self, *links: str) -> None:
        self.site.add("/feed.xml", _feed(list(links)), content_type="application/rss+xml")

    def crawl(self) -> str:
        run = newswatch("--config", str(self.config), "crawl", "-vv")  # -vv: Scrapy's stats too
        assert run.returncode == 0, run.stderr
        return run.stderr

    def requests_on_a(self, path: str) -> int:
        return sum(
            1
            for hit in self.site.requests_to(path)
            if hit.headers.get("Host") == self.a.removeprefix("http://")
        )

    def article(self, url: str) -> tuple[object, ...]:
        (row,) = rows(self.db, "select id, title, text from articles where url = ?", url)
        return row

    def urls_of(self, article_id: object) -> set[object]:
        return {
            u
            for (u,) in rows(
                self.db, "select url from article_urls where article_id = ?", article_id
            )
        }


def claim_lines(stderr: str) -> list[str]:
    return [
        line.split("WARNING: ", 1)[-1] for line in stderr.splitlines() if "claim ignored" in line
    ]


@pytest.fixture
def sites(site: NewsSite, tmp_path: Path) -> TwoSites:
    return TwoSites(site, tmp_path)


def test_another_site_cannot_rewrite_an_archived_article(sites: TwoSites) -> None:
    real, fake = f"{sites.a}/news/real", f"{sites.b}/evil/1"
    real_text, fake_text = _text(1), _text(2)
    sites.site.add("/news/real", _page("LG AI연구원 엑사원 소식", real, real_text))
    sites.feed(real)
    sites.crawl()
    before = sites.article(real)
    real_id = before[0]
    assert before[2] == "\n".join(real_text)
    urls_before = sites.urls_of(real_id)
    assert urls_before == {real}

    # Site B's page says it is A's article, with other text.
    sites.site.add("/evil/1", _page("LG AI연구원 엑사원 소식 (정정)", real, fake_text))
    sites.feed(real, fake)
    stderr = sites.crawl()

    assert sites.article(real) == before  # text and title unchanged
    assert sites.urls_of(real_id) == urls_before
    assert rows(sites.db, "select count(*) from article_versions") == [(0,)]
    # B's page is an article of its own, under its own address.
    fake_id, _, text = sites.article(fake)
    assert text == "\n".join(fake_text)
    assert sites.urls_of(fake_id) == {fake}
    assert rows(sites.db, "select count(*) from articles") == [(2,)]
    assert claim_lines(stderr) == [
        f"source testnews: {fake} names {real} as its own address, on another site: claim ignored"
    ]
    assert "'extract/claim_ignored': 1," in stderr
    assert "'source/testnews/claim_ignored': 1," in stderr
    assert rows(sites.db, "select claim_ignored from crawl_run_sources order by run_id") == [
        (0,),
        (1,),
    ]


def test_a_claim_on_an_unarchived_address_does_not_stand_in_for_the_real_page(
    sites: TwoSites,
) -> None:
    real2, real3 = f"{sites.a}/news/real2", f"{sites.a}/news/real3"
    fake2, fake3 = f"{sites.b}/evil/2", f"{sites.b}/evil/3"
    # fake2 is relevant (archived as itself); fake3 is not (rejected: its addresses are remembered
    # as not to fetch again, which must not include real3's).
    sites.site.add("/evil/2", _page("LG AI연구원 엑사원 소식", real2, _text(22)))
    sites.site.add("/evil/3", _page("아파트값 소식", real3, _text(33, relevant=False)))
    sites.site.add("/news/real2", _page("LG AI연구원 엑사원 2호", real2, _text(2)))
    sites.site.add("/news/real3", _page("LG AI연구원 엑사원 3호", real3, _text(3)))
    sites.feed(fake2, fake3)
    first = sites.crawl()
    assert [row[0] for row in rows(sites.db, "select url from articles")] == [fake2]
    assert rows(sites.db, "select url, reason from rejected_urls") == [(fake3, "irrelevant")]
    assert not rows(sites.db, "select url from article_urls where url like ?", f"{sites.a}%")
    assert sorted(claim_lines(first)) == [
        f"source testnews: {fake} names {real} as its own address, on another site: claim ignored"
        for fake, real in ((fake2, real2), (fake3, real3))
    ]
    assert "'extract/claim_ignored': 2," in first
    assert rows(sites.db, "select claim_ignored from crawl_run_sources") == [(2,)]

    # The real pages, named by the feed next time, are fetched and archived under their own
    # addresses with their own text.
    sites.feed(fake2, fake3, real2, real3)
    second = sites.crawl()
    assert (sites.requests_on_a("/news/real2"), sites.requests_on_a("/news/real3")) == (1, 1)
    for real, n in ((real2, 2), (real3, 3)):
        article_id, _, text = sites.article(real)
        assert text == "\n".join(_text(n))
        assert sites.urls_of(article_id) == {real}
    assert rows(sites.db, "select count(*) from articles") == [(3,)]
    assert rows(sites.db, "select count(*) from article_versions") == [(0,)]
    assert claim_lines(second) == []  # B's pages are known: not fetched again


@pytest.mark.parametrize(
    ("page", "claimed", "allowed"),
    [
        ("https://m.yna.co.kr/view/AKR1", "https://www.yna.co.kr/view/AKR1", True),
        ("https://www.yna.co.kr/view/AKR1", "https://yna.co.kr/view/AKR1", True),
        ("https://news.example.kr/a/1", "https://www.example.kr/a/1", True),
        ("https://www.hankyung.com/article/1", "https://www.mk.co.kr/news/it/1", False),
        # co.kr is a public suffix: two outlets under it are two sites.
        ("https://evil.co.kr/a", "https://www.yna.co.kr/view/AKR1", False),
        # Private suffixes count: two blogs on one platform are two sites.
        ("https://a.blogspot.com/p", "https://b.blogspot.com/p", False),
        ("http://127.0.0.1:8000/x", "http://localhost:8000/x", False),
        ("http://127.0.0.1:8000/x", "http://127.0.0.1:9000/y", True),  # one host
        ("http://a.invalid/x", "http://b.invalid/x", False),
        # The Naver profile lists its hosts: its pages may name each other.
        ("https://n.news.naver.com/article/001/1", "https://news.naver.com/x", True),
        ("https://n.news.naver.com/article/001/1", "https://www.yna.co.kr/view/AKR1", False),
    ],
)
def test_a_page_may_claim_only_its_own_site(page: str, claimed: str, allowed: bool) -> None:
    assert may_claim(page, claimed) is allowed


def test_sites_and_syndicators() -> None:
    assert site_of("https://m.news.naver.com/x") == "naver.com"
    assert site_of("http://[::1]:8080/x") == "::1"
    assert site_of("http://localhost/") == "localhost"
    # Naver's profile reads the link to the outlet's original (its copies); no other host's does.
    assert syndicates("https://n.news.naver.com/mnews/article/001/0015123456")
    assert not syndicates("https://www.yna.co.kr/view/AKR1")
    assert not syndicates("http://localhost:8000/evil")


def _read(page: str, url: str) -> tuple[ArticleItem, dict[str, object]]:
    """The extract stage's item for saved page bytes fetched from `url`, and its stats."""
    crawler = get_crawler()
    stats = MemoryStatsCollector(crawler)
    body = gzip.decompress((PAGES_DIR / f"{page}.html.gz").read_bytes())
    item = PageItem(
        url=url,
        final_url=url,
        body=body,
        headers={"content-type": "text/html; charset=utf-8"},
        status=200,
        source="test",
        discovered_via="rss",
        discovered_at="2026-07-15T10:00:00+09:00",
    )
    out = asyncio.run(ExtractPipeline(stats).process_item(item))
    assert isinstance(out, ArticleItem)
    return out, stats.get_stats()


def test_a_naver_copy_names_the_outlet_original_and_a_copy_of_it_elsewhere_does_not() -> None:
    naver = "https://n.news.naver.com/mnews/article/001/0015123456"
    own = f"{naver}?sid=105"  # its rel=canonical
    original = "https://www.yna.co.kr/view/AKR20260715045100017?input=1195m"
    item, stats = _read("naver_001_0015123456", naver)
    assert (item.article.url, item.article.original_url) == (own, original)
    assert item.urls == (own, naver, original)
    assert "extract/claim_ignored" not in stats
    # The same bytes from another host: neither its canonical nor a syndication link counts.
    copy = "http://localhost:8000/copy/1"
    item, stats = _read("naver_001_0015123456", copy)
    assert (item.article.url, item.article.original_url, item.urls) == (copy, None, (copy,))
    assert (stats["extract/claim_ignored"], stats["source/test/claim_ignored"]) == (1, 1)
