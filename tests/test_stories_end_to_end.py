"""End to end: a wire story reprinted by three outlets, a press release rewritten by four, and one
corrected article, crawled by the real `newswatch crawl` from a local site into a real archive."""

from __future__ import annotations

import json
from pathlib import Path

from archive import Archive
from archive import words as archive_words
from tests.conftest import newswatch, write_config
from tests.newssite import NewsSite
from tests.test_crawl_end_to_end import rows

WIRE = "/yna/AKR20250715000100017"
REPRINTS = {
    "/newsis/NISX20250715_0003000001": "wire_newsis.html",
    "/mt/2025071510400001": "wire_mt.html",
    "/inews/1850001": "wire_inews.html",
}
RELEASE = "/lg/news/501"
REWRITES = {f"/r{n}/news/{n}": f"release_rewrite{n}.html" for n in range(4)}
CORRECTED = "/hk/A2025072010000001"
CORRECTION = "/hk/A2025072010000001?v=2"  # the changed page; its rel=canonical is CORRECTED


def feed(paths: list[str]) -> str:
    items = "\n".join(f"<item><title>기사</title><link>{{base}}{p}</link></item>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>테스트 뉴스</title><link>{{base}}/</link>\n{items}\n</channel></rss>\n"
    )


def crawl(site: NewsSite, config: Path, paths: list[str]) -> None:
    site.add("/feed.xml", feed(paths), content_type="application/rss+xml; charset=utf-8")
    run = newswatch("--config", str(config), "crawl")
    assert run.returncode == 0, run.stderr


def test_copies_rewrites_and_a_correction_give_the_expected_rows_stories_and_versions(
    site: NewsSite, tmp_path: Path
) -> None:
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add_page(WIRE, "stories/wire_yna.html")
    for path, name in {**REPRINTS, **REWRITES}.items():
        site.add_page(path, f"stories/{name}")
    site.add_page(RELEASE, "stories/release_lg.html")
    site.add_page(CORRECTED, "stories/correction_v1.html")
    site.add_page(CORRECTION, "stories/correction_v2.html")
    db = tmp_path / "news.db"
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=db,
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    # Three crawls, as the pages would appear over a day: the originals first, then the copies and
    # rewrites, then the corrected page.
    crawl(site, config, [WIRE, RELEASE, CORRECTED])
    crawl(site, config, [WIRE, RELEASE, CORRECTED, *REPRINTS, *REWRITES])
    crawl(site, config, [WIRE, RELEASE, CORRECTED, *REPRINTS, *REWRITES, CORRECTION])

    base = site.base_url
    articles = {
        str(a["url"]).removeprefix(base): a for a in rows(db, "select * from articles order by id")
    }
    assert sorted(articles) == sorted([WIRE, RELEASE, CORRECTED, *REWRITES])

    # The wire story: one row; each reprint's URL and outlet recorded against it.
    wire = articles[WIRE]
    sightings = {
        str(r["url"]).removeprefix(base): (r["outlet"], r["matched_by"])
        for r in rows(db, f"select * from article_urls where article_id = {wire['id']}")
    }
    assert sightings == {
        WIRE: ("연합뉴스", "article"),
        "/newsis/NISX20250715_0003000001": ("뉴시스", "near_duplicate"),
        "/mt/2025071510400001": ("머니투데이", "near_duplicate"),
        "/inews/1850001": ("아이뉴스24", "near_duplicate"),
    }

    # The press release and its four rewrites: five rows in one story.
    release_story = articles[RELEASE]["story_id"]
    assert {articles[p]["story_id"] for p in REWRITES} == {release_story}
    stories = {s["id"]: s for s in rows(db, "select * from stories")}
    assert len(stories) == 3
    assert stories[release_story]["article_count"] == 5
    assert stories[release_story]["title"] == articles[RELEASE]["title"]
    assert stories[wire["story_id"]]["article_count"] == 1
    assert len({wire["story_id"], release_story, articles[CORRECTED]["story_id"]}) == 3

    # The correction: same row, new text, the old text kept as a version, modified_at from the page.
    corrected = articles[CORRECTED]
    assert "평균 정확도 87%" in str(corrected["text"])
    assert corrected["modified_at"] == "2025-07-17T15:20:00+09:00"
    (version,) = rows(db, "select * from article_versions")
    assert version["article_id"] == corrected["id"]
    assert "평균 정확도 78%" in str(version["text"])
    assert "바로잡습니다" not in str(version["text"])
    assert rows(
        db, f"select count(*) as n from article_urls where article_id = {corrected['id']}"
    ) == [{"n": 2}]
    # Its words follow the new text in the same crawl: none is left for the backfill.
    with Archive(db) as archive:
        assert archive_words.count_pending(archive.db) == 0
        words = dict(archive_words.article_words(archive.db, int(corrected["id"])))
    # The old text said 78% once; the new one says 87% twice and 78% once (in its correction note).
    assert (words["87%"], words["78%"]) == (2, 1)

    runs = rows(db, "select stored, duplicates, fetched from crawl_runs order by id")
    assert runs == [
        {"stored": 3, "duplicates": 0, "fetched": 3},
        {"stored": 4, "duplicates": 3, "fetched": 7},
        {"stored": 0, "duplicates": 1, "fetched": 1},
    ]

    listing = newswatch("--config", str(config), "stories", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    listed = {s["title"]: s for s in json.loads(listing.stdout)}
    assert set(listed) == {s["title"] for s in stories.values()}
    release = listed[str(articles[RELEASE]["title"])]
    # Outlets in order of first sighting: the original first; the copies of one crawl in any order.
    assert release["article_count"] == 5
    assert release["outlets"][0] == "LG AI연구원"
    assert sorted(release["outlets"][1:]) == sorted(
        ["전자신문", "서울경제", "조선비즈", "디지털타임스"]
    )
    listed_wire = listed[str(wire["title"])]
    assert (listed_wire["article_count"], listed_wire["copies"]) == (1, 3)
    assert listed_wire["outlets"][0] == "연합뉴스"
    assert sorted(listed_wire["outlets"][1:]) == sorted(["뉴시스", "머니투데이", "아이뉴스24"])
    recent = newswatch("--config", str(config), "stories", "--since", "2099-01-01")
    assert recent.returncode == 0, recent.stderr
    assert "no stories" in recent.stdout
