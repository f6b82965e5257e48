"""End to end: `newswatch crawl` of a real local news site into a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import newswatch, write_config
from tests.newssite import NewsSite

ECONOMIST = "/article/view/ecn202206190042"
ETODAY = "/news/view/2021050511000"
DT = "/news/dt_exaone"
OTHER_PATH = "/news/2022/06/19/lg-ai-cvpr"

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>테스트 뉴스 전체기사</title><link>{base}/</link>
<item><title>LG 미래먹거리 'AI'…세계 최고 권위 학회서 기술력 입증</title>
  <link>{base}/article/view/ecn202206190042?utm_source=rss&amp;utm_medium=feed#top</link>
  <pubDate>Sun, 19 Jun 2022 06:12:00 GMT</pubDate></item>
<item><title>"차세대 기술 육성 밑거름" AI 힘쓰는 구광모호</title><link>{base}/news/view/2021050511000</link>
  <pubDate>Wed, 05 May 2021 11:00:00 +0900</pubDate></item>
<item><title>LG AI연구원 엑사원 3.0 공개</title><link>{base}/news/dt_exaone</link></item>
<item><title>서울 아파트값 3주 연속 상승</title><link>{base}/news/apartment</link></item>
<item><title>IT·과학</title><link>{base}/section/it</link></item>
<item><title>LG 미래먹거리 'AI' (AMP)</title><link>{base}/amp/article/view/ecn202206190042</link></item>
<item><title>LG 미래먹거리 'AI' (다른 주소)</title><link>{base}/news/2022/06/19/lg-ai-cvpr</link></item>
<item><title>내부 문서</title><link>{base}/private/report</link></item>
</channel></rss>
"""

EXPECTED = {
    ECONOMIST: {
        "title": "LG 미래먹거리 'AI'…세계 최고 권위 학회서 기술력 입증",
        "published_at": "2022-06-19T15:12:00+09:00",
        "outlet": "이코노미스트",
        "author": "이병희",
        "first": "LG AI 연구원이 국제 AI 학회인",
        "last": "세계적인 AI 학회에서 꾸준히 성과를 알릴 것”이라고 말했다.",
        "paragraphs": 6,
    },
    ETODAY: {
        "title": '"차세대 기술 육성 밑거름" AI 힘쓰는 구광모호, 속속 성과 도출',
        "published_at": "2021-05-05T11:00:00+09:00",
        "outlet": "이투데이",
        "author": "노우리",
        "first": "LG그룹의 인공지능(AI) 기술 전담 조직인",
        "last": "파격적인 대우를 통해 인재를 끌어들인다는 전략이다.",
        "paragraphs": 5,
    },
    DT: {
        "title": "LG AI연구원, 똠방각하 햏자 밈까지 읽는 '엑사원 3.0' 공개",
        "published_at": "2024-08-07T09:30:00+09:00",
        "outlet": "디지털타임스",
        "author": "김한국",
        "first": "LG AI연구원이 차세대 초거대 AI 모델",
        "last": '가장 중요한 경쟁력"이라고 말했다.',
        "paragraphs": 3,
    },
}

# Boilerplate the seed pages carry after (and around) the article; none of it may be stored.
BOILERPLATE = (
    "print",
    "많이 본 뉴스",
    "실시간 뉴스",
    "주요 뉴스",
    "암호화폐",
    "비트코인",
    "변동률",
    "무단 전재",
    "ⓒ",
    "Copyright",
    "[사진",
    "(이투데이DB)",
    "▲",
    "사진제공",
    "@",
    "기자",
    "사업자번호",
)


def serve_test_site(site: NewsSite) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/feed.xml", FEED, content_type="application/rss+xml; charset=utf-8")
    site.add_page(ECONOMIST, "economist_cvpr.html")
    # The same article under other addresses: an AMP variant (folded to ECONOMIST before fetching)
    # and another path (fetched; its rel=canonical names ECONOMIST).
    site.add_page("/amp" + ECONOMIST, "economist_cvpr.html")
    site.add_page(OTHER_PATH, "economist_cvpr.html")
    site.add_page(ETODAY, "etoday_lg.html")
    # EUC-KR bytes with CP949-only syllables (똠, 햏, 뷁), charset only in a <meta>, none in the header.
    site.add_page(DT, "dt_exaone_euckr.html", content_type="text/html")
    # CP949 bytes with no charset declared anywhere.
    site.add_page("/news/apartment", "irrelevant_undeclared_cp949.html", content_type="text/html")
    site.add_page("/section/it", "section.html")


def rows(db: Path, sql: str) -> list[dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def crawl_once(site: NewsSite, tmp_path: Path) -> tuple[NewsSite, Path, Path]:
    serve_test_site(site)
    db = tmp_path / "archive" / "news.db"
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=db,
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 0, run.stderr
    return site, db, config


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[NewsSite, Path, Path]]:
    """One first crawl, shared by the tests that only read its results."""
    site = NewsSite().start()
    yield crawl_once(site, tmp_path_factory.mktemp("first-crawl"))
    site.stop()


def test_first_crawl_stores_exactly_the_relevant_articles_once(
    crawled: tuple[NewsSite, Path, Path],
) -> None:
    site, db, _ = crawled
    articles = rows(db, "select * from articles order by id")
    by_path = {str(a["url"]).removeprefix(site.base_url): a for a in articles}
    assert sorted(by_path) == sorted(EXPECTED)
    for path, expected in EXPECTED.items():
        article = by_path[path]
        text = str(article["text"])
        assert article["title"] == expected["title"]
        assert article["published_at"] == expected["published_at"]
        assert article["outlet"] == expected["outlet"]
        assert article["author"] == expected["author"]
        assert article["source"] == "testnews"
        assert article["discovered_via"] == "rss"
        assert text.startswith(str(expected["first"])), text
        assert text.endswith(str(expected["last"])), text
        assert len(text.split("\n")) == expected["paragraphs"], text
        assert "\ufffd" not in text
        assert "\ufffd" not in str(article["title"])
        for junk in BOILERPLATE:
            assert junk not in text, (path, junk)
    assert "똠방각하" in str(by_path[DT]["text"])
    assert "뷁" in str(by_path[DT]["text"])


def test_every_url_of_an_article_maps_to_its_one_row(crawled: tuple[NewsSite, Path, Path]) -> None:
    site, db, _ = crawled
    urls = {
        str(r["url"]).removeprefix(site.base_url): r["path"]
        for r in rows(
            db,
            "select u.url, a.url as path from article_urls u join articles a on a.id = u.article_id",
        )
    }
    base = site.base_url
    assert urls == {
        ECONOMIST: base + ECONOMIST,
        "/amp" + ECONOMIST: base + ECONOMIST,
        OTHER_PATH: base + ECONOMIST,
        ETODAY: base + ETODAY,
        DT: base + DT,
    }


def test_rejected_pages_are_remembered_with_the_reason(
    crawled: tuple[NewsSite, Path, Path],
) -> None:
    site, db, _ = crawled
    rejected = {
        str(r["url"]).removeprefix(site.base_url): r["reason"]
        for r in rows(db, "select url, reason from rejected_urls")
    }
    assert rejected == {"/news/apartment": "irrelevant", "/section/it": "not_article"}


def test_crawl_fetches_politely_and_records_the_run(crawled: tuple[NewsSite, Path, Path]) -> None:
    site, db, _ = crawled
    # utm parameters and the fragment never reached the server; robots.txt was read and obeyed.
    assert site.requested("/robots.txt") == 1
    assert site.requested(ECONOMIST) == 1
    assert not any("utm_" in path for path in site.article_requests())
    assert site.requested("/private/report") == 0
    agents = {h.headers.get("User-Agent") for h in site.hits}
    assert agents == {
        "newswatch/0.1 (+https://github.com/newswatch-kr/newswatch; Korean news monitor)"
    }
    (run,) = rows(db, "select * from crawl_runs")
    assert run["status"] == "ok"
    assert {
        k: run[k]
        for k in (
            "discovered",
            "fetched",
            "stored",
            "duplicates",
            "irrelevant",
            "not_article",
            "refused",
            "errors",
        )
    } == {
        "discovered": 8,
        "fetched": 6,
        "stored": 3,
        "duplicates": 1,
        "irrelevant": 1,
        "not_article": 1,
        "refused": 1,
        "errors": 0,
    }
    (per_source,) = rows(db, "select * from crawl_run_sources")
    # The AMP variant was known as ECONOMIST's before it was fetched.
    assert (per_source["source"], per_source["new"], per_source["known"]) == ("testnews", 3, 1)
    assert site.requested("/amp" + ECONOMIST) == 0


def test_raw_page_is_kept_gzipped_for_re_extraction(crawled: tuple[NewsSite, Path, Path]) -> None:
    import gzip

    site, db, _ = crawled
    (page,) = rows(
        db,
        f"select p.body_gz, p.url from pages p join articles a on a.id = p.article_id "
        f"where a.url = '{site.base_url}{DT}'",
    )
    assert gzip.decompress(page["body_gz"]) == site.routes[DT].body  # type: ignore[arg-type]


def test_second_crawl_of_an_unchanged_feed_fetches_no_page(site: NewsSite, tmp_path: Path) -> None:
    site, db, config = crawl_once(site, tmp_path)
    before = len(site.article_requests())
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 0, run.stderr
    assert (
        len(site.article_requests()) == before
    )  # only robots.txt and the feed were requested again
    assert site.requested("/feed.xml") == 2
    assert len(rows(db, "select id from articles")) == 3
    second = rows(db, "select * from crawl_runs order by id")[1]
    assert (second["fetched"], second["stored"], second["status"]) == (0, 0, "ok")
    (per_source,) = rows(db, f"select * from crawl_run_sources where run_id = {second['id']}")
    assert (per_source["discovered"], per_source["known"], per_source["refused"]) == (8, 7, 1)
    assert "testnews" in run.stdout
    assert "crawl #2" in run.stdout


def test_private_addresses_are_refused_unless_allowed(site: NewsSite, tmp_path: Path) -> None:
    serve_test_site(site)
    db = tmp_path / "news.db"
    config = write_config(
        tmp_path / "c.toml",
        archive=db,
        allow_private=False,
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    run = newswatch("--config", str(config), "crawl")
    # Its one source refused: nothing was read, so nothing was monitored (exit 1,
    # docs/scheduling-and-operations.md).
    assert run.returncode == 1, run.stderr
    assert site.hits == []  # not even robots.txt
    (row,) = rows(db, "select * from crawl_run_sources")
    assert (row["refused"], row["fetched"], row["new"]) == (1, 0, 0)
    assert (row["status"], row["reason"]) == (
        "failed",
        "refused: 127.0.0.1 is a non-public address (127.0.0.1); set allow_private = true to allow",
    )
    assert "127.0.0.1 is a non-public address" in run.stderr
