"""Discovery parsers over saved channel answers, identity keys and source health (pure)."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime

import pytest

from archive import KST
from archive.health import diagnose
from crawler.sources import google_links, google_news
from crawler.sources import naver_api as naver
from crawler.sources.base import Lead
from crawler.sources.sitemap import parse_sitemap
from crawler.urls import article_key

NOW = datetime(2026, 7, 16, 12, 0, tzinfo=KST)


@pytest.mark.parametrize(
    ("urls", "key"),
    [
        (
            [
                "https://n.news.naver.com/mnews/article/001/0015123456?sid=105",
                "https://n.news.naver.com/article/001/0015123456",
                "https://news.naver.com/main/read.naver?mode=LSD&mid=sec&oid=001&aid=0015123456",
                "https://m.news.naver.com/read.naver?oid=001&aid=0015123456",
            ],
            "naver:001:0015123456",
        ),
        (
            [
                "https://www.yna.co.kr/view/AKR20260106000100017?input=1195m",
                "https://m.yna.co.kr/view/AKR20260106000100017",
                "https://www.yna.co.kr/amp/view/AKR20260106000100017",
            ],
            "yna:AKR20260106000100017",
        ),
        (
            [
                "https://www.aitimes.com/news/articleView.html?idxno=160001",
                "https://m.aitimes.com/news/articleViewAmp.html?idxno=160001&utm_source=x",
            ],
            "ndsoft:aitimes.com:160001",
        ),
        (
            ["https://www.mk.co.kr/news/it/11333783", "https://m.mk.co.kr/news/it/11333783"],
            "mk:11333783",
        ),
        (["https://v.daum.net/v/20260106161900123"], "daum:20260106161900123"),
        (
            [
                "https://www.hankyung.com/article/202607155966v",
                "https://m.hankyung.com/article/202607155966v",
            ],
            "hankyung:202607155966v",
        ),
        (
            [
                "https://news.example.kr/a/1",
                "https://m.news.example.kr/a/1?amp=1",
                "http://news.example.kr/a/1/amp",
            ],
            "web:news.example.kr/a/1",
        ),
    ],
)
def test_one_article_many_addresses_one_key(urls: list[str], key: str) -> None:
    assert {article_key(url) for url in urls} == {key}


def test_different_articles_keep_different_keys() -> None:
    assert article_key("https://www.yna.co.kr/view/AKR1") != article_key(
        "https://www.yna.co.kr/view/AKR2"
    )
    assert article_key("https://x.kr/news?id=1") != article_key("https://x.kr/news?id=2")


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.hankookilbo.com/news/article/A2026071610000001234</loc><news:news>
<news:publication_date>2026-07-16T10:00:00+09:00</news:publication_date><news:title>LG AI\xec\x97\xb0\xea\xb5\xac\xec\x9b\x90</news:title></news:news></url>
<url><loc>https://www.hankookilbo.com/news/article/A2026071611000001234</loc><lastmod>2026-07-16T02:30:00Z</lastmod></url>
<url><loc>https://www.hankookilbo.com/news/article/A2020010100000001234</loc><lastmod>2020-01-01</lastmod></url>
<url><loc>https://www.hankookilbo.com/news/article/A-undated</loc></url>
<url><loc>javascript:alert(1)</loc></url>
</urlset>"""


def test_a_news_sitemap_gives_recent_entries_newest_first() -> None:
    page = parse_sitemap(
        NEWS_SITEMAP,
        "https://www.hankookilbo.com/sitemap/latest-articles",
        now=NOW,
        max_age=86400,
        max_items=10,
    )
    assert page.sitemaps == []
    assert page.leads == [
        Lead(
            "https://www.hankookilbo.com/news/article/A2026071611000001234",
            None,
            "2026-07-16T11:30:00+09:00",
        ),
        Lead(
            "https://www.hankookilbo.com/news/article/A2026071610000001234",
            "LG AI연구원",
            "2026-07-16T10:00:00+09:00",
        ),
        Lead("https://www.hankookilbo.com/news/article/A-undated"),
    ]
    capped = parse_sitemap(
        gzip.compress(NEWS_SITEMAP), "https://x/s.xml.gz", now=NOW, max_age=86400, max_items=1
    )
    assert [lead.url for lead in capped.leads] == [
        "https://www.hankookilbo.com/news/article/A2026071611000001234"
    ]


def test_a_sitemap_index_gives_recent_children_and_survives_garbage() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.kr/s/today.xml</loc><lastmod>2026-07-16</lastmod></sitemap>
<sitemap><loc>https://x.kr/s/2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap></sitemapindex>"""
    assert parse_sitemap(
        index, "https://x.kr/s.xml", now=NOW, max_age=86400, max_items=5
    ).sitemaps == ["https://x.kr/s/today.xml"]
    for junk, error in (
        (b"<html>503</html>", "not a sitemap (its root is <html>)"),
        (b"", "not a readable sitemap ("),
        (b"\x1f\x8b not gzip", "a gzip sitemap that does not decompress within limits"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>',
            "",
        ),
    ):
        page = parse_sitemap(junk, "https://x.kr/s.xml", now=NOW, max_age=86400, max_items=5)
        assert page.leads == []
        assert page.error.startswith(error) if error else page.error == "", (junk, page.error)


def test_naver_api_items_prefer_the_naver_copy_and_clean_titles() -> None:
    body = json.dumps(
        {
            "total": 2,
            "items": [
                {
                    "title": "<b>LG AI연구원</b> &quot;엑사원&quot; 공개",
                    "originallink": "https://www.yna.co.kr/view/AKR1",
                    "link": "https://n.news.naver.com/mnews/article/001/0000000001?sid=105",
                    "pubDate": "Mon, 26 Sep 2016 07:50:00 +0900",
                },
                {
                    "title": "외부 기사",
                    "originallink": "https://www.mk.co.kr/news/it/1",
                    "link": "https://www.mk.co.kr/news/it/1",
                    "pubDate": "not a date",
                },
            ],
        }
    ).encode()
    page = naver.parse_response(body, "https://openapi.naver.com/v1/search/news.json")
    assert page is not None
    assert page.total == 2
    assert page.leads == [
        Lead(
            "https://n.news.naver.com/mnews/article/001/0000000001?sid=105",
            'LG AI연구원 "엑사원" 공개',
            "2016-09-26T07:50:00+09:00",
            ("https://www.yna.co.kr/view/AKR1",),
        ),
        Lead("https://www.mk.co.kr/news/it/1", "외부 기사", None, ()),
    ]
    assert naver.parse_response(b'{"errorMessage":"Invalid query","errorCode":"SE01"}', "u") is None
    assert naver.parse_response(b"<html>", "u") is None


def test_naver_paging_stays_within_the_first_thousand_hits() -> None:
    assert naver.search_url("https://openapi.naver.com/v1/search/news.json", "엑사원", 101) == (
        "https://openapi.naver.com/v1/search/news.json?query=%EC%97%91%EC%82%AC%EC%9B%90&display=100&start=101&sort=date"
    )
    assert naver.next_start(1) == 101
    assert naver.next_start(801) == 901
    assert naver.next_start(901) is None


def test_google_news_items_links_and_both_decodings() -> None:
    feed = """<rss version="2.0"><channel><item><title>LG AI연구원 새 모델 - 매일경제</title>
<link>https://news.google.com/rss/articles/CBMiX?oc=5</link><source url="https://www.mk.co.kr">매일경제</source>
</item></channel></rss>""".encode()
    (lead,) = google_news.parse_search(feed, "https://news.google.com/rss/search?q=x")
    assert (lead.title, lead.outlet) == ("LG AI연구원 새 모델", "매일경제")
    assert google_links.article_token(lead.url) == "CBMiX"
    assert google_news.search_url("https://news.google.com", '"엑사원"', 86400) == (
        "https://news.google.com/rss/search?q=%22%EC%97%91%EC%82%AC%EC%9B%90%22+when%3A1d&hl=ko&gl=KR&ceid=KR%3Ako"
    )
    url = "https://www.mk.co.kr/news/it/11333783"
    old = base64.urlsafe_b64encode(
        b"\x08\x13\x22" + bytes([len(url)]) + url.encode() + b"\xd2\x01\x00"
    )
    assert google_links.decode_offline(old.decode().rstrip("=")) == url
    assert google_links.decode_offline("AU_yqLOpaque") is None
    assert google_links.decoding_params(
        b'<c-wiz><div jscontroller="x" data-n-a-sg="SIG" data-n-a-ts="1700000000"></div></c-wiz>'
    ) == ("SIG", "1700000000")
    assert google_links.decoding_params(b"<html>consent</html>") is None
    rows = [["wrb.fr", "Fbv4je", json.dumps(["garturlres", url, 1]), None], ["di", 1], ["af", 1]]
    assert google_links.parse_batchexecute(b")]}'\n\n" + json.dumps(rows).encode()) == url
    assert google_links.parse_batchexecute(b")]}'\n\n[]") is None
    body = google_links.batchexecute_body("TOKEN", "SIG", "1700000000")
    assert body.startswith("f.req=%5B%5B%5B%22Fbv4je%22")
    assert "TOKEN" in body
    assert "1700000000" in body


def _run(
    discovered: int = 5, feed_failed: int = 0, not_modified: int = 0, skipped: int = 0
) -> dict[str, object]:
    return {
        "discovered": discovered,
        "feed_failed": feed_failed,
        "not_modified": not_modified,
        "skipped": skipped,
        "refused": 0,
        "new": 0,
        "started_at": "x",
    }


def test_health_warns_on_three_failures_or_a_source_gone_quiet() -> None:
    assert diagnose([_run(feed_failed=1)] * 3) == "its own request failed in the last 3 crawls"
    assert diagnose([_run(feed_failed=1)] * 2 + [_run()]) is None
    assert diagnose([_run(discovered=0)] * 3 + [_run()]) == (
        "it found no items in the last 3 crawls, after finding some before"
    )
    assert (
        diagnose([_run(discovered=0, not_modified=1)] * 3 + [_run()]) is None
    )  # unchanged is fine
    assert diagnose([_run(discovered=0)] * 4) is None  # never yielded: nothing to lose
    assert diagnose([_run(discovered=0, skipped=1)] * 4) is None
