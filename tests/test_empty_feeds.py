"""Quiet is not broken: well-formed RSS 2.0, Atom and RSS 1.0 feeds with no items are read as zero
items, crawl after crawl, with no failure and no "source is broken" alert; a malformed feed and a
web page served as a feed still fail (and are alerted after three crawls, so the alert works)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Archive
from archive.health import source_health
from crawler.sources.feeds import read_feed
from tests.conftest import newswatch, write_config
from tests.newssite import NewsSite
from tests.receivers import WebhookReceiver
from tests.test_crawl_end_to_end import rows

# Each the smallest valid document of its format (RSS 2.0 spec, RFC 4287, RSS 1.0 spec).
EMPTY = {
    "rss2": (
        """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>조용한 신문</title><link>{base}/</link><description>새 기사 없음</description>
</channel></rss>""",
        "application/rss+xml; charset=utf-8",
    ),
    "atom": (
        """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>조용한 신문</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
<updated>2026-07-15T10:30:00+09:00</updated><link href="{base}/"/></feed>""",
        "application/atom+xml",
    ),
    "rss1": (
        """<?xml version="1.0" encoding="EUC-KR"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="{base}/"><title>t</title><link>{base}/</link><description>d</description>
<items><rdf:Seq></rdf:Seq></items></channel></rdf:RDF>""",
        "text/xml; charset=euc-kr",
    ),
}
BAD = {
    "malformed": (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>끊긴 피드</ti',
        "application/rss+xml",
    ),
    "webpage": ("<!DOCTYPE html><html><body><p>이사했습니다</p></body></html>", "text/html"),
}


@pytest.mark.parametrize("name", sorted(EMPTY))
@pytest.mark.parametrize("with_type", [True, False])
def test_an_empty_feed_reads_as_zero_items(name: str, with_type: bool) -> None:
    body, content_type = EMPTY[name]
    page = read_feed(
        body.encode("utf-8"), "https://x.kr/rss", content_type if with_type else "", max_items=200
    )
    assert (page.error, page.malformed, page.leads, page.ignored, page.beyond) == ("", "", [], 0, 0)


def test_a_malformed_or_html_feed_still_fails() -> None:
    malformed = read_feed(BAD["malformed"][0].encode(), "https://x.kr/rss", BAD["malformed"][1])
    assert (malformed.error, malformed.leads) == ("", [])
    assert malformed.malformed == "<unknown>:1:78: unclosed token"
    webpage = read_feed(BAD["webpage"][0].encode(), "https://x.kr/rss", BAD["webpage"][1])
    assert webpage.error == "not a readable feed (text/html, not RSS, RSS 1.0 or Atom)"
    neutral = read_feed(BAD["webpage"][0].encode(), "https://x.kr/rss", "application/xml")
    assert neutral.error == "not a readable feed (application/xml, not RSS, RSS 1.0 or Atom)"
    garbage = read_feed(b'{"items": []}', "https://x.kr/rss", "application/json")
    assert garbage.error == "not a readable feed (<unknown>:2:0: not well-formed (invalid token))"


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def test_three_crawls_of_empty_feeds_are_ok_and_alert_nothing(
    site: NewsSite, hook: WebhookReceiver, tmp_path: Path
) -> None:
    for name, (body, content_type) in (EMPTY | BAD).items():
        site.add(f"/{name}.xml", body, content_type=content_type)
    db = tmp_path / "news.db"
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=db,
        sources=[(name, "rss", site.url(f"/{name}.xml")) for name in (*EMPTY, *BAD)],
        extra=f'[[alerts]]\nurl = "{hook.url()}"\nbackoff = 0\n',
    )
    for _ in range(3):
        run = newswatch("--config", str(config), "crawl")
        assert run.returncode == 3, run.stderr  # the two bad feeds failed, the empty ones did not
        # One line for each bad feed; none names an empty one.
        assert not any(f"/{name}.xml" in run.stderr for name in EMPTY), run.stderr
        assert sum(f"/{name}.xml" in line for line in run.stderr.splitlines() for name in BAD) == 2
    assert [r["status"] for r in rows(db, "select status from crawl_runs")] == ["partial"] * 3
    per_source = rows(
        db,
        "select source, sum(discovered) as discovered, sum(feed_failed) as feed_failed,"
        " sum(failed) as failed from crawl_run_sources group by source order by source",
    )
    assert per_source == [
        {"source": name, "discovered": 0, "feed_failed": 3 if name in BAD else 0, "failed": 0}
        for name in sorted((*EMPTY, *BAD))
    ]
    # After three crawls the two bad sources are alerted as broken, the empty ones are not.
    titles = sorted(str(post.body.get("title")) for post in hook.accepted())
    assert titles == [
        "newswatch: source 'malformed' is broken",
        "newswatch: source 'webpage' is broken",
    ]
    # `newswatch sources` warns by the same rule, about the bad two only.
    with Archive(db) as archive:
        health = source_health(archive, [*EMPTY, *BAD])
    assert {h.name: h.warning for h in health} == {
        name: "its own request failed in the last 3 crawls" if name in BAD else None
        for name in (*EMPTY, *BAD)
    }
