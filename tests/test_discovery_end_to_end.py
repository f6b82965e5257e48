"""End to end: every discovery channel in its real format, one article through four channels.

The crawl runs with `http_proxy` pointing at the local site, so it uses real outlet addresses
(http://m.yna.co.kr/…, http://n.news.naver.com/…, http://news.google.com/…) while every connection
goes to 127.0.0.1. Article A (연합뉴스) is named by the outlet feed (mobile URL), its news sitemap
(AMP URL), the Naver API (the Naver copy, with the desktop URL as originallink) and Google News
(a link that decodes to the desktop URL): five addresses, four channels, one fetch, one row.
"""

from __future__ import annotations

import base64
import gzip
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from archive import KST
from crawler.sources.google_links import batchexecute_url
from tests.conftest import PAGES_DIR, newswatch, write_config
from tests.newssite import SITE_DIR, Hit, NewsSite, Route

AKR = "AKR20260715045100017"
A_DESKTOP = f"http://www.yna.co.kr/view/{AKR}"
A_MOBILE = f"http://m.yna.co.kr/view/{AKR}"
A_AMP = f"http://www.yna.co.kr/amp/view/{AKR}"
A_NAVER = "http://n.news.naver.com/mnews/article/001/0015123456"
A_CANONICAL = f"https://www.yna.co.kr/view/{AKR}"  # the page's own rel=canonical
B_URL = "http://www.aitimes.com/news/articleView.html?idxno=171300"
NEWSROOM = "http://www.lgresearch.ai/news/view?seq={seq}"

GOOGLE = "http://news.google.com"
TOKEN_A = "AU_yqLOpaqueTokenForTheYonhapArticle"  # current format: needs the RPC
TOKEN_LOST = "AU_yqLTokenWhoseDecodingPageIsGone"  # cannot be decoded: kept as a lead
# Old format: the outlet URL inside a base64url protobuf, decodable offline.
TOKEN_OLD = (
    base64.urlsafe_b64encode(
        b"\x08\x13\x22" + bytes([len(B_URL)]) + B_URL.encode() + b"\xd2\x01\x00"
    )
    .decode()
    .rstrip("=")
)
A_TITLE = 'LG AI연구원, 엑사원 4.0 공개…"글로벌 모델과 대등"'
B_TITLE = "LG AI연구원, 추론 특화 '엑사원 딥' 오픈소스로 공개"
C_TITLE = "LG AI연구원, 'K-엑사원 2.5' 공개"

ENV = {"NAVER_CLIENT_ID": "test-id", "NAVER_CLIENT_SECRET": "test-secret"}


def _page(name: str) -> bytes:
    return gzip.decompress((PAGES_DIR / f"{name}.html.gz").read_bytes())


def serve_channels(site: NewsSite) -> None:
    now = datetime.now(KST)
    recent, old = (
        (now - timedelta(hours=1)).isoformat(timespec="seconds"),
        "2020-01-02T09:00:00+09:00",
    )

    # The outlet: article A under three of its own addresses, and its feed and sitemaps.
    for url in (A_DESKTOP, A_MOBILE, A_AMP):
        site.add(url, _page("yna_2026_07_15"))
    site.add(
        "http://www.yna.co.kr/rss/news.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>연합뉴스</title>
<item><title>{A_TITLE}</title><link>{A_MOBILE}?utm_source=rss&amp;utm_medium=feed</link>
<pubDate>Wed, 15 Jul 2026 10:30:00 +0900</pubDate></item></channel></rss>""",
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"yna-feed-1"'},
    )
    site.add(
        "http://www.yna.co.kr/sitemap/index.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://www.yna.co.kr/sitemap/news-today.xml</loc><lastmod>{recent}</lastmod></sitemap>
<sitemap><loc>http://www.yna.co.kr/sitemap/news-2020.xml</loc><lastmod>{old}</lastmod></sitemap>
</sitemapindex>""",
        content_type="application/xml",
        headers={"ETag": '"yna-index-1"'},
    )
    site.add(
        "http://www.yna.co.kr/sitemap/news-today.xml",
        f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{A_AMP}</loc><news:news><news:publication><news:name>연합뉴스</news:name>
<news:language>ko</news:language></news:publication><news:publication_date>{recent}</news:publication_date>
<news:title>{A_TITLE.replace('"', "&quot;")}</news:title></news:news></url>
<url><loc>http://www.yna.co.kr/view/AKR20200102000100017</loc><news:news>
<news:publication_date>{old}</news:publication_date><news:title>오래된 기사</news:title></news:news></url>
</urlset>""",
        content_type="application/xml",
    )

    # Naver: its copy of A, and the API naming it (originallink: A's desktop URL) and B.
    site.add(A_NAVER, _page("naver_001_0015123456"))
    naver_answer = {
        "lastBuildDate": "Thu, 16 Jul 2026 09:30:00 +0900",
        "total": 2,
        "start": 1,
        "display": 2,
        "items": [
            {
                "title": "<b>LG AI연구원</b>, 추론 특화 &apos;<b>엑사원</b> 딥&apos; 오픈소스로 공개",
                "originallink": B_URL,
                "link": B_URL,
                "description": "LG AI연구원이 추론 모델 <b>엑사원</b> 딥을 공개했다.",
                "pubDate": "Thu, 16 Jul 2026 09:05:00 +0900",
            },
            {
                "title": "<b>LG AI연구원</b>, <b>엑사원</b> 4.0 공개…&quot;글로벌 모델과 대등&quot;",
                "originallink": f"{A_DESKTOP}?input=1195m",
                "link": f"{A_NAVER}?sid=105",
                "description": "LG AI연구원이 자체 개발한 초거대 AI &apos;<b>엑사원</b>(EXAONE) 4.0&apos;을",
                "pubDate": "Wed, 15 Jul 2026 10:30:00 +0900",
            },
        ],
    }

    def naver_api(hit: Hit) -> Route:
        if hit.headers.get("X-Naver-Client-Id") != "test-id":
            return Route(b'{"errorCode":"024"}', 401, {"Content-Type": "application/json"})
        return Route(json.dumps(naver_answer).encode(), 200, {"Content-Type": "application/json"})

    site.add_handler("http://openapi.naver.com/v1/search/news.json", naver_api)
    site.add(B_URL, (SITE_DIR / "channels" / "aitimes_exaone_deep.html").read_bytes())

    # Google News: a search feed whose links point at Google, and the two decoding steps.
    site.add(
        f"{GOOGLE}/rss/search",
        f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Google 뉴스</title>
<item><title>{A_TITLE} - 연합뉴스</title><link>{GOOGLE}/rss/articles/{TOKEN_A}?oc=5</link>
<pubDate>Wed, 15 Jul 2026 01:30:00 GMT</pubDate><source url="https://www.yna.co.kr">연합뉴스</source></item>
<item><title>{C_TITLE} - 전자신문</title><link>{GOOGLE}/rss/articles/{TOKEN_LOST}?oc=5</link>
<pubDate>Fri, 17 Jul 2026 01:10:00 GMT</pubDate><source url="https://www.etnews.com">전자신문</source></item>
<item><title>{B_TITLE} - AI타임스</title><link>{GOOGLE}/rss/articles/{TOKEN_OLD}?oc=5</link>
<pubDate>Thu, 16 Jul 2026 00:05:00 GMT</pubDate><source url="https://www.aitimes.com">AI타임스</source></item>
</channel></rss>""",
        content_type="application/xml; charset=utf-8",
        headers={"ETag": '"google-1"'},
    )
    site.add(
        f"{GOOGLE}/articles/{TOKEN_A}",
        '<html><body><c-wiz><div jscontroller="aLI87" data-n-a-sg="SIGNATURE-A" '
        'data-n-a-ts="1752543000"></div></c-wiz></body></html>',
    )

    def batchexecute(hit: Hit) -> Route:
        if b"SIGNATURE-A" not in hit.body or TOKEN_A.encode() not in hit.body:
            return Route(b"bad request", 400, {"Content-Type": "text/plain"})  # as Google would
        answer = json.dumps(["garturlres", f"{A_DESKTOP}?utm_source=googlenews", 1])
        rows = [["wrb.fr", "Fbv4je", answer, None, None, None, "generic"], ["di", 12], ["af", 1]]
        return Route(b")]}'\n\n" + json.dumps(rows).encode(), 200, {"Content-Type": "text/plain"})

    site.add_handler(batchexecute_url(GOOGLE), batchexecute)

    # The LG AI Research newsroom: post 700 exists, 701 not yet (404), 702 is an empty template.
    site.add(NEWSROOM.format(seq=700), (SITE_DIR / "channels" / "lgresearch_700.html").read_bytes())
    site.add(
        NEWSROOM.format(seq=702), (SITE_DIR / "channels" / "lgresearch_empty.html").read_bytes()
    )


SOURCES: list[tuple[str, str, str] | dict[str, object]] = [
    ("yna", "rss", "http://www.yna.co.kr/rss/news.xml"),
    {"name": "yna-sitemap", "type": "sitemap", "url": "http://www.yna.co.kr/sitemap/index.xml"},
    {"name": "google", "type": "google-news", "endpoint": GOOGLE},
    {
        "name": "naver",
        "type": "naver-api",
        "endpoint": "http://openapi.naver.com/v1/search/news.json",
    },
    {"name": "newsroom", "type": "lg-newsroom", "url": NEWSROOM, "start": 700, "probe": 2},
]
DISCOVERY = {
    "http://www.yna.co.kr/rss/news.xml",
    "http://www.yna.co.kr/sitemap/index.xml",
    f"{GOOGLE}/rss/search",
    "http://openapi.naver.com/v1/search/news.json",
}


def crawl(site: NewsSite, config: Path) -> None:
    run = newswatch("--config", str(config), "crawl", env=ENV | {"http_proxy": site.base_url})
    assert run.returncode == 0, run.stderr


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def fetched(site: NewsSite, since: int = 0) -> list[str]:
    """Full URLs of the GET requests after the first `since` hits, robots.txt left out."""
    return [
        h.url.split("?")[0] if h.url.split("?")[0] in DISCOVERY else h.url
        for h in site.hits[since:]
        if h.method == "GET" and not h.url.endswith("/robots.txt")
    ]


def test_every_channel_in_one_crawl_and_nothing_twice(site: NewsSite, tmp_path: Path) -> None:
    serve_channels(site)
    db = tmp_path / "news.db"
    config = write_config(tmp_path / "newswatch.toml", archive=db, sources=SOURCES)
    crawl(site, config)

    articles = {
        r[2]: r for r in rows(db, "select id, url, title, source, discovered_via from articles")
    }
    assert sorted(articles) == sorted([A_TITLE, B_TITLE, C_TITLE])
    assert articles[B_TITLE][1] == B_URL.replace("http:", "https:")
    assert articles[C_TITLE][1] == NEWSROOM.format(seq=700)

    # Article A was fetched once, under whichever address the first channel to name it gave; its
    # row carries that page's canonical URL and the channel that found it first.
    a_id, a_url, _, a_source, a_via = articles[A_TITLE]
    variants = {A_MOBILE: "yna", A_AMP: "yna-sitemap", A_NAVER: "naver", A_DESKTOP: "google"}
    requested = [url for url in fetched(site) if url.split("?")[0] in variants]
    assert len(requested) == 1, requested
    assert a_source == variants[requested[0].split("?")[0]]
    kinds = {"yna": "rss", "yna-sitemap": "sitemap", "naver": "naver-api", "google": "google-news"}
    assert a_via == kinds[str(a_source)]
    naver_canonical = "https://n.news.naver.com/mnews/article/001/0015123456?sid=105"
    assert a_url == (naver_canonical if a_source == "naver" else A_CANONICAL)
    # …and every address any channel gave for it maps to its one row.
    a_urls = {u for (u,) in rows(db, "select url from article_urls where article_id = ?", a_id)}
    for url in (A_MOBILE, A_AMP, A_NAVER, A_DESKTOP, f"{GOOGLE}/rss/articles/{TOKEN_A}?oc=5"):
        bare = url.split("?")[0]
        assert any(u.split("?")[0] in {bare, bare.replace("http:", "https:")} for u in a_urls), url

    # B came from the Naver API and from an old-format Google link decoded offline: one fetch.
    assert fetched(site).count(B_URL) == 1
    # Google's own pages are never archived; the lost link is kept as a lead and matched by title.
    assert not any("google" in str(a[1]) for a in articles.values())
    (lead,) = rows(db, "select url, title, outlet, article_id from leads")
    c_id = articles[C_TITLE][0]
    assert lead == (f"{GOOGLE}/rss/articles/{TOKEN_LOST}?oc=5", C_TITLE, "전자신문", c_id)

    # Sitemaps: the recent child was read, the 2020 one and the 2020 article were not.
    assert site.requested("http://www.yna.co.kr/sitemap/news-today.xml") == 1
    assert site.requested("http://www.yna.co.kr/sitemap/news-2020.xml") == 0
    assert site.requested("http://www.yna.co.kr/view/AKR20200102000100017") == 0
    # The newsroom was probed from 700: 701 is not out yet, 702 is an empty template, then stop.
    assert [site.requested(NEWSROOM.format(seq=n)) for n in (700, 701, 702, 703)] == [1, 1, 1, 0]

    per_source = {
        r[0]: r[1:]
        for r in rows(db, "select source, new, fetched, unresolved, failed from crawl_run_sources")
    }
    assert sum(v[0] for v in per_source.values()) == 3
    assert per_source["google"][2] == 1
    assert all(v[3] == 0 for v in per_source.values())


def test_an_unchanged_second_crawl_costs_only_the_small_discovery_requests(
    site: NewsSite, tmp_path: Path
) -> None:
    serve_channels(site)
    db = tmp_path / "news.db"
    config = write_config(tmp_path / "newswatch.toml", archive=db, sources=SOURCES)
    crawl(site, config)
    first = len(site.hits)
    crawl(site, config)

    second = fetched(site, first)
    # Feeds, the sitemap index and the Google search were asked conditionally, and answered 304.
    for url in (
        "http://www.yna.co.kr/rss/news.xml",
        "http://www.yna.co.kr/sitemap/index.xml",
        f"{GOOGLE}/rss/search",
    ):
        (hit,) = [h for h in site.hits[first:] if h.url.split("?")[0] == url]
        assert hit.headers.get("If-None-Match"), url
    # Nothing else but the Naver API (no validators there) and the newsroom's next numbers.
    assert sorted(second) == sorted(
        [
            "http://www.yna.co.kr/rss/news.xml",
            "http://www.yna.co.kr/sitemap/index.xml",
            f"{GOOGLE}/rss/search",
            *["http://openapi.naver.com/v1/search/news.json"] * 4,  # one search per watch term
            NEWSROOM.format(seq=701),
            NEWSROOM.format(seq=702),
        ]
    )
    assert rows(db, "select count(*) from articles") == [(3,)]
    (run,) = rows(db, "select fetched, stored, errors from crawl_runs where id = 2")
    assert run == (0, 0, 0)
    not_modified = rows(
        db, "select source from crawl_run_sources where run_id = 2 and not_modified = 1"
    )
    assert sorted(s for (s,) in not_modified) == ["google", "yna", "yna-sitemap"]


def test_naver_without_credentials_is_skipped_with_one_line(site: NewsSite, tmp_path: Path) -> None:
    serve_channels(site)
    db = tmp_path / "news.db"
    config = write_config(tmp_path / "newswatch.toml", archive=db, sources=[SOURCES[3]])
    run = newswatch("--config", str(config), "crawl", env={"http_proxy": site.base_url})
    # Its only source cannot run: nothing was monitored, exit 1, and the summary says why.
    assert run.returncode == 1, run.stderr
    assert site.hits == []
    why = "NAVER_CLIENT_ID and NAVER_CLIENT_SECRET are not set"
    assert [line for line in run.stdout.splitlines() if "NAVER_CLIENT_ID" in line] == [
        f"off: naver  http://openapi.naver.com/v1/search/news.json  {why}"
    ]
    assert run.stderr == "Error: the crawl did not finish: no source could be read: 1 off (naver)\n"
    assert rows(db, "select skipped, failed, status, reason from crawl_run_sources") == [
        (1, 0, "off", why)
    ]
    listed = newswatch("--config", str(config), "sources")
    assert f"off: {why}" in listed.stdout.splitlines()[-1]


def test_sources_lists_every_source_and_warns_when_one_breaks(
    site: NewsSite, tmp_path: Path
) -> None:
    site.add(
        "/good.xml",
        '<rss version="2.0"><channel><item><title>t</title>'
        "<link>{base}/news/1</link></item></channel></rss>",
        content_type="application/rss+xml",
    )
    site.add("/news/1", (SITE_DIR / "section.html").read_bytes())
    site.add("/broken.xml", "upstream down", status=502, content_type="text/plain")
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=tmp_path / "news.db",
        sources=[
            ("good", "rss", site.url("/good.xml")),
            ("broken", "rss", site.url("/broken.xml")),
        ],
    )
    for _ in range(3):  # one source of two failed: exit 3
        assert newswatch("--config", str(config), "crawl").returncode == 3
    run = newswatch("--config", str(config), "sources")
    assert run.returncode == 0, run.stderr
    lines = {line.split()[0]: line for line in run.stdout.splitlines()[2:]}
    assert "WARNING: its own request failed in the last 3" in lines["broken"]
    assert "ok" in lines["good"]
    assert run.stderr.strip() == "1 source(s) need attention."
