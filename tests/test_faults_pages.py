"""Hostile pages in a real crawl: empty, boilerplate only, 10 MB of nested tags, bot challenges.

Each ends the same way: the crawl finishes, the page is counted (failed, or not an article), a
failure is logged in one line naming the URL and the reason, nothing is half-written, and the good
article of the same crawl is stored.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawler.challenge import bot_challenge
from crawler.extraction import extract
from tests.conftest import newswatch, write_config
from tests.newssite import NewsSite
from tests.test_crawl_end_to_end import ECONOMIST, rows
from tests.test_extraction import BOILERPLATE_ONLY, CHALLENGE, WAIT
from tests.test_faults_archive import assert_whole

ARTICLE_P = "<p>" + "LG AI연구원이 엑사원을 공개했다. 한국어 성능이 뛰어난 모델이다. " * 5 + "</p>"
HEAD = (
    "<html><head><title>LG AI연구원 엑사원 공개</title>"
    "<meta property='og:type' content='article'>"
    "<meta property='article:published_time' content='2024-08-07T09:30:00+09:00'></head><body>"
)


def nested(depth: int, tag: str = "div", *, article_first: bool = False) -> bytes:
    inner = ARTICLE_P * 3
    page = (
        HEAD
        + (inner if article_first else "")
        + f"<{tag}>" * depth
        + ("" if article_first else inner)
        + f"</{tag}>" * depth
        + "</body></html>"
    )
    return page.encode("utf-8")


PAGES = {
    "/news/empty": {"body": b""},
    "/news/boilerplate": {"body": BOILERPLATE_ONLY.encode()},
    # About 9.6 MB, under the crawl's 10 MiB DOWNLOAD_MAXSIZE: 800,000 nested <div>s.
    "/news/nested": {"body": nested(800_000)},
    "/news/challenge-200": {"body": CHALLENGE},
    "/news/challenge-403": {
        "body": CHALLENGE,
        "status": 403,
        "headers": {"cf-mitigated": "challenge"},
    },
}
FAILED = {
    "/news/empty": "empty body",
    "/news/challenge-200": "a bot challenge (HTTP 200)",
    "/news/challenge-403": "a bot challenge (HTTP 403)",
}


def serve(site: NewsSite) -> None:
    items = "".join(
        f"<item><title>기사 {path}</title><link>{{base}}{path}</link></item>"
        for path in [ECONOMIST, *PAGES]
    )
    site.add(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    site.add_page(ECONOMIST, "economist_cvpr.html")
    for path, page in PAGES.items():
        site.add(
            path,
            page["body"],  # type: ignore[arg-type]
            status=page.get("status", 200),  # type: ignore[arg-type]
            headers=page.get("headers"),  # type: ignore[arg-type]
        )


def test_hostile_pages_are_counted_logged_once_and_the_good_article_is_stored(
    site: NewsSite, tmp_path: Path
) -> None:
    serve(site)
    db = tmp_path / "news.db"
    config = write_config(
        tmp_path / "c.toml", archive=db, sources=[("testnews", "rss", site.url("/feed.xml"))]
    )
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 0, run.stderr
    assert [r["url"] for r in rows(db, "select url from articles")] == [site.url(ECONOMIST)]
    assert_whole(db)
    (row,) = rows(db, "select * from crawl_runs")
    assert {k: row[k] for k in ("status", "fetched", "stored", "not_article", "errors")} == {
        "status": "ok",
        "fetched": 4,  # the 403 answer and the empty body are failures before they are pages
        "stored": 1,
        "not_article": 2,  # boilerplate only, and the nested page (its text lies past lxml's depth)
        "errors": 3,
    }
    # Judged pages are remembered; faults are not, so the next crawl tries them again.
    rejected = {
        str(r["url"]).removeprefix(site.base_url) for r in rows(db, "select url from rejected_urls")
    }
    assert rejected == {"/news/boilerplate", "/news/nested"}
    for path, reason in FAILED.items():
        lines = [line for line in run.stderr.splitlines() if site.url(path) in line]
        assert len(lines) == 1, lines
        assert lines[0].endswith(f"{site.url(path)}: {reason}"), lines[0]
    assert "Traceback" not in run.stderr

    again = newswatch("--config", str(config), "crawl")
    assert again.returncode == 0, again.stderr
    assert site.requested("/news/challenge-200") == 2
    assert site.requested("/news/empty") == 2
    assert site.requested("/news/nested") == 1
    assert site.requested("/news/boilerplate") == 1


@pytest.mark.parametrize("tag", ["div", "span", "table", "b", "a", "p", "li"])
def test_deeply_nested_pages_extract_in_bounded_time(tag: str) -> None:
    for article_first in (False, True):
        body = nested(200_000, tag, article_first=article_first)
        started = time.monotonic()
        article = extract(body, "https://news.example.kr/article/1")
        assert time.monotonic() - started < 5  # a bound against pathology, not a benchmark
        if article_first and tag in {"div", "span", "table", "b"}:
            # libxml2 stops nesting at depth 256: text before the nesting survives.
            assert article is not None
            assert article.text.startswith("LG AI연구원이 엑사원을 공개했다.")
        elif tag in {"a", "p", "li"}:
            # These cannot nest, so the parser closes each: 200,000 elements, over the limit.
            assert article is None


def test_a_page_of_too_many_elements_is_refused_with_its_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = (HEAD + ARTICLE_P * 3 + "<a>x</a>" * 60_000 + "</body></html>").encode()
    started = time.monotonic()
    assert extract(body, "https://news.example.kr/article/9") is None
    assert time.monotonic() - started < 5
    assert caplog.messages == [
        "https://news.example.kr/article/9: more than 50000 HTML elements, not read as an article"
    ]
    # The same article with a normal page around it is read.
    assert extract(
        (HEAD + ARTICLE_P * 3 + "<a>x</a>" * 2_000).encode(), "https://news.example.kr/a/9"
    )


def test_bot_challenges_are_recognised_and_articles_are_not() -> None:
    assert bot_challenge(CHALLENGE)
    assert bot_challenge(WAIT.encode("euc-kr"), {"content-type": "text/html; charset=euc-kr"})
    assert bot_challenge(b"", {"cf-mitigated": "challenge"})
    assert not bot_challenge(nested(3))
    assert not bot_challenge(b"")
    # An article that says what a challenge says, with a text of its own, is not one.
    for phrase in (
        "Checking your browser 화면이 떴다.",
        "공항 보안 검사가 강화됐다.",
        "잠시만 기다려",
    ):
        mention = HEAD + f"<p>{phrase}</p>" + ARTICLE_P * 3 + "</body></html>"
        assert not bot_challenge(mention.encode())
        assert extract(mention.encode(), "https://news.example.kr/article/2") is not None
