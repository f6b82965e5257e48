"""The labelled check: precision and recall of "same article" and "same story" decisions.

Every labelled article goes through the real dedup and archive pipelines into a real SQLite
archive, in publication order; then every pair is scored against its labels. Targets (issue 5):
no false "same article" (precision 1.0), recall ≥ 0.95 for same article and ≥ 0.9 for same story.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from archive import Archive
from archive import stories as story_index
from crawler.article import Article
from crawler.items import ArticleItem, PageItem
from pipelines.archive import ArchivePipeline
from pipelines.dedup import DedupPipeline
from pipelines.session import ArchiveSession
from tests.labelled_articles import Labelled, labelled_articles


def item_for(entry: Labelled) -> ArticleItem:
    page = PageItem(
        url=entry.url,
        final_url=entry.url,
        body=b"<html></html>",
        headers={"content-type": "text/html; charset=utf-8"},
        status=200,
        source="labelled",
        discovered_via="rss",
        discovered_at=entry.published_at,
    )
    article = Article(
        url=entry.url,
        title=entry.title,
        text=entry.text,
        published_at=entry.published_at,
        outlet=entry.outlet,
    )
    return ArticleItem(page=page, article=article, urls=(entry.url,), relevance=1)


def run_labelled(db: Path) -> dict[str, tuple[int, int]]:
    """{key: (article row, story id)} after storing every labelled article in order."""
    session = ArchiveSession(str(db))
    dedup, store = DedupPipeline(session, None), ArchivePipeline(session, None)
    dedup.open_spider()
    store.open_spider()
    placed: dict[str, int] = {}
    try:
        for entry in labelled_articles():
            item = dedup.process_item(item_for(entry))
            assert isinstance(item, ArticleItem)
            store.process_item(item)
            row = item.duplicate_of or item.version_of or item.article_id
            assert row is not None
            placed[entry.key] = row
    finally:
        dedup.close_spider()
        store.close_spider()
        session.close()
    with Archive(db) as archive:
        story_of = {r["id"]: r["story_id"] for r in archive.articles()}
    return {key: (row, story_of[row]) for key, row in placed.items()}


def scores(placed: dict[str, tuple[int, int]]) -> dict[str, dict[str, float]]:
    entries = {e.key: e for e in labelled_articles()}
    tally = {name: {"tp": 0, "fp": 0, "fn": 0} for name in ("same_article", "same_story")}
    for a, b in itertools.combinations(entries, 2):
        truth = {
            "same_article": entries[a].article == entries[b].article,
            "same_story": entries[a].story == entries[b].story,
        }
        said = {
            "same_article": placed[a][0] == placed[b][0],
            "same_story": placed[a][1] == placed[b][1],
        }
        for name, counts in tally.items():
            if said[name] and truth[name]:
                counts["tp"] += 1
            elif said[name]:
                counts["fp"] += 1
            elif truth[name]:
                counts["fn"] += 1
    result = {}
    for name, t in tally.items():
        result[name] = {
            "precision": t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0,
            "recall": t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0,
            "pairs": t["tp"] + t["fn"],
        }
    return result


def test_the_labelled_set_has_every_kind_of_pair() -> None:
    entries = labelled_articles()
    pairs = list(itertools.combinations(entries, 2))
    kinds = {e.kind for e in entries}
    assert kinds == {"original", "exact", "reprint", "rewrite", "update", "other"}
    same_article = [p for p in pairs if p[0].article == p[1].article]
    same_story_only = [
        p for p in pairs if p[0].story == p[1].story and p[0].article != p[1].article
    ]
    assert len(same_article) >= 15
    assert len(same_story_only) >= 10
    assert len(pairs) - len(same_article) - len(same_story_only) >= 30


def test_same_article_and_same_story_meet_the_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = scores(run_labelled(tmp_path / "labelled.db"))
    with capsys.disabled():
        for name, figures in result.items():
            print(
                f"\n{name}: precision {figures['precision']:.3f} recall {figures['recall']:.3f}"
                f" over {figures['pairs']:.0f} labelled positive pairs"
            )
    assert result["same_article"]["precision"] == 1.0
    assert result["same_article"]["recall"] >= 0.95
    assert result["same_story"]["recall"] >= 0.9
    assert result["same_story"]["precision"] >= 0.9


def test_copies_are_recorded_against_the_first_row_and_the_update_as_a_version(
    tmp_path: Path,
) -> None:
    db = tmp_path / "labelled.db"
    placed = run_labelled(db)
    with Archive(db) as archive:
        first = placed["e1-yna"][0]
        sightings = {
            r["url"]: (r["outlet"], r["matched_by"])
            for r in archive.db.table("article_urls").rows_where("article_id = ?", [first])
        }
        assert sightings == {
            "https://www.yna.co.kr/view/AKR20250715000100017": ("연합뉴스", "article"),
            "https://www.dailian.co.kr/news/view/1500001": ("데일리안", "text_hash"),
            "https://www.newsis.com/view/NISX20250715_0003000001": ("뉴시스", "near_duplicate"),
            "https://news.mt.co.kr/mtview.php?no=2025071510400001": (
                "머니투데이",
                "near_duplicate",
            ),
            "https://www.inews24.com/view/1850001": ("아이뉴스24", "near_duplicate"),
        }
        (version,) = story_index.versions(archive, first)
        assert "320억 개" in version["text"]
        row = archive.article(first)
        assert "300억 개" in row["text"]
        assert row["modified_at"] == "2025-07-15T10:00:00+09:00"  # seen time stands in
        titles = {s["title"]: s for s in story_index.list_stories(archive)}
        e2 = titles["LG AI연구원, 서울대와 AI 인재 양성 협약…5년간 200명 육성"]
        assert e2["article_count"] == 5
        assert e2["outlets"] == ["LG AI연구원", "전자신문", "서울경제", "조선비즈", "디지털타임스"]
        assert len(titles) == 9  # E1..E5 and four other stories
