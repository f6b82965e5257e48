"""End to end: a Naver copy that gives no article never takes its outlet original down unread.

Naver's API names an article by its Naver copy (`link`) and the outlet's address (`originallink`).
The crawl fetches the copy; when the copy's layout cannot be read (the script-rendered
m.sports.naver.com and m.entertain.naver.com pages hold no text in their HTML), the crawl reads
the original instead; the original's fate (archived, with the copy's address among its own) is
the copy's too.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crawler.urls import canonical_url
from tests.conftest import newswatch, write_config
from tests.newssite import SITE_DIR, Hit, NewsSite, Route

ORIGINAL = "http://www.aitimes.com/news/articleView.html?idxno=171300"
TITLE = "LG AI연구원, 추론 특화 '엑사원 딥' 오픈소스로 공개"
# What a script-rendered Naver page holds before its scripts run: a title and an empty root.
SHELL = (
    "<!doctype html><html><head><meta charset='utf-8'><title>네이버 스포츠</title></head>"
    "<body><div id='root'></div><script src='/static/app.js'></script></body></html>"
)
ENV = {"NAVER_CLIENT_ID": "test-id", "NAVER_CLIENT_SECRET": "test-secret"}
API = "http://openapi.naver.com/v1/search/news.json"


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


@pytest.mark.parametrize(
    "copy",
    [
        "http://m.sports.naver.com/general/article/477/0000073768",
        "http://m.entertain.naver.com/article/477/0000073768",
        "http://sports.news.naver.com/news?oid=477&aid=0000073768",
    ],
)
def test_unreadable_naver_copy_reads_the_original(
    site: NewsSite, tmp_path: Path, copy: str
) -> None:
    answer = {
        "total": 1,
        "start": 1,
        "display": 1,
        "items": [
            {
                "title": TITLE,
                "originallink": ORIGINAL,
                "link": copy,
                "description": "LG AI연구원이 추론 모델 엑사원 딥을 공개했다.",
                "pubDate": "Thu, 16 Jul 2026 09:05:00 +0900",
            }
        ],
    }

    def api(hit: Hit) -> Route:
        return Route(json.dumps(answer).encode(), 200, {"Content-Type": "application/json"})

    site.add_handler(API, api)
    site.add(canonical_url(copy), SHELL)  # requested in canonical form (query sorted)
    site.add(ORIGINAL, (SITE_DIR / "channels" / "aitimes_exaone_deep.html").read_bytes())
    db = tmp_path / "news.db"
    sources = [{"name": "naver", "type": "naver-api", "endpoint": API}]
    config = write_config(tmp_path / "newswatch.toml", archive=db, sources=sources)

    run = newswatch("--config", str(config), "crawl", env=ENV | {"http_proxy": site.base_url})
    assert run.returncode == 0, run.stderr

    pages = [h.url for h in site.hits if h.method == "GET" and not h.url.endswith("robots.txt")]
    assert [url for url in pages if not url.startswith(API)] == [canonical_url(copy), ORIGINAL]
    assert _rows(db, "select url, title, source from articles") == [
        (ORIGINAL.replace("http:", "https:"), TITLE, "naver")
    ]
    # The copy's address is one of the article's; nothing was remembered as "not an article".
    urls = {url for (url,) in _rows(db, "select url from article_urls")}
    assert {canonical_url(copy), canonical_url(ORIGINAL)} <= urls
    assert _rows(db, "select url from rejected_urls") == []

    # The next crawl fetches neither again: the copy is remembered, the original archived.
    before = len(site.hits)
    run = newswatch("--config", str(config), "crawl", env=ENV | {"http_proxy": site.base_url})
    assert run.returncode == 0, run.stderr
    again = [h.url for h in site.hits[before:] if h.method == "GET"]
    assert [url for url in again if not url.startswith(API) and "robots" not in url] == []
