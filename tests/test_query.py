"""Archive reads: search against a brute-force oracle, filters, snippets, stats."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import Archive, NewArticle
from archive import search as archive_search
from archive import stories as story_index
from archive.queries import stats, week_of
from archive.query_language import Filters, Query, QueryError, parse_query
from archive.search import iter_articles, search, snippet
from crawler.watch import mentions


def test_week_of_is_the_monday() -> None:
    assert week_of("2026-07-15T23:59:00+09:00") == "2026-07-13"  # a Wednesday
    assert week_of("2026-07-13") == "2026-07-13"
    assert week_of("2026-07-19") == "2026-07-13"


def test_snippet_cuts_around_the_first_match() -> None:
    text = "가" * 100 + " 엑사원을 공개했다. " + "나" * 200
    cut = snippet(text, parse_query("엑사원").pattern())
    assert cut.startswith("…" + "가" * 29 + " 엑사원을 공개했다. 나")
    assert "엑사원을 공개했다." in cut
    assert cut.endswith("…")
    assert snippet("짧은 글", None) == "짧은 글"


# --- search against an oracle ---------------------------------------------------------------

WORDS = [
    "엑사원",
    "엑사원을",
    "LG",
    "AI",
    "lg",
    "CVPR",
    "cvpr",
    "연구원",
    "삼성",
    "모델",
    "공개",
    "%",
    "_",
    "\\",
]


def _article(i: int, title: str, text: str, when: str, outlet: str) -> NewArticle:
    return NewArticle(
        url=f"https://news.example.kr/{i}",
        title=title,
        text=text,
        published_at=when,
        modified_at=None,
        outlet=outlet,
        author=None,
        original_url=None,
        source="s1" if i % 2 else "s2",
        discovered_via="rss",
        relevance=1,
    )


CORPUS = [
    (
        f"{WORDS[i % 7]} 제목 {i}",
        " ".join(WORDS[(i * 5 + k) % len(WORDS)] for k in range(i % 5 + 1)),
    )
    for i in range(40)
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    path = tmp_path_factory.mktemp("oracle") / "news.db"
    with Archive(path) as opened:
        for i, (title, text) in enumerate(CORPUS):
            day = f"2026-0{1 + i % 6}-{10 + i % 15:02d}T{i % 24:02d}:00:00+09:00"
            opened.add_article(_article(i, title, text, day, ["연합뉴스", "매일경제"][i % 2]))
            if i == 24:  # the rest as a crawl still running left them: not in the index yet
                assert opened.index_search() == 25
        yield opened


def _fts_ids(archive: Archive, term: str) -> set[int]:
    return {
        row[0]
        for row in archive.db.execute(
            "select rowid from articles_fts where articles_fts match ?", [f'"{term}"']
        )
    }


def test_search_finds_articles_before_they_are_indexed_and_indexes_each_once(
    tmp_path: Path,
) -> None:
    with Archive(tmp_path / "news.db") as archive:
        for i in range(3):
            archive.add_article(
                _article(
                    i,
                    f"엑사원 소식 {i}",
                    "본문 엑사원",
                    f"2026-01-0{i + 1}T09:00:00+09:00",
                    "연합뉴스",
                )
            )
        assert _fts_ids(archive, "엑사원") == set()
        for sort in ("date", "relevance"):
            found = search(archive.db, parse_query("엑사원"), sort=sort)
            assert [r["id"] for r in found] == [3, 2, 1]
        assert archive.index_search(batch=2) == 3  # two transactions
        assert archive.index_search() == 0
        assert _fts_ids(archive, "엑사원") == {1, 2, 3}
        # A correction of an indexed article is read directly until the next indexing pass
        # moves the index to the new text (folded: no spaces).
        story_index.record_version(
            archive,
            1,
            title="수정된 제목",
            text="정정 보도문",
            modified_at=None,
            seen_at="2026-01-05T09:00:00+09:00",
        )
        assert [r["id"] for r in search(archive.db, parse_query("정정"))] == [1]
        assert [r["id"] for r in search(archive.db, parse_query("엑사원"))] == [3, 2]
        assert archive.index_search() == 0  # no new article; the changed one re-indexed
        assert _fts_ids(archive, "엑사원") == {2, 3}
        assert _fts_ids(archive, "정정보도") == {1}
        # A correction of one not indexed yet leaves the index alone until it is indexed.
        archive.add_article(
            _article(4, "엑사원 넷째", "본문 엑사원", "2026-01-04T09:00:00+09:00", "연합뉴스")
        )
        story_index.record_version(
            archive,
            4,
            title="넷째 정정",
            text="정정 보도문 둘",
            modified_at=None,
            seen_at="2026-01-05T09:00:00+09:00",
        )
        assert archive.index_search() == 1
        assert _fts_ids(archive, "엑사원") == {2, 3}
        assert _fts_ids(archive, "정정보도") == {1, 4}
        assert [r["id"] for r in search(archive.db, parse_query("정정"))] == [4, 1]
        # FTS5 compares its index with the articles it indexes; a mismatch raises "corrupt".
        archive.db.execute(
            "insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)"
        )


def test_a_correction_matching_before_and_after_is_ranked_once(tmp_path: Path) -> None:
    with Archive(tmp_path / "news.db") as archive:
        for i in range(3):
            archive.add_article(
                _article(
                    i, f"엑사원 소식 {i}", "본문 엑사원", f"2026-01-0{i + 1}T09:00:00+09:00", "연합"
                )
            )
        archive.index_search()
        story_index.record_version(
            archive,
            1,
            title="엑사원 정정",
            text="정정 엑사원 보도문",
            modified_at=None,
            seen_at="2026-01-05T09:00:00+09:00",
        )
        # Its old text is still in the index (ranked), its new one read directly (unindexed).
        rows = search(archive.db, parse_query("엑사원"), sort="relevance")
        assert sorted(r["id"] for r in rows) == [1, 2, 3]
        assert [r["id"] for r in search(archive.db, parse_query("엑사원"))] == [3, 2, 1]


def _contains(article: tuple[str, str], term: str) -> bool:
    # Search decides as the watches do (crawler.watch.mentions): folded width, case, spacing.
    return any(mentions(field, term) for field in article)


def _oracle(query: Query) -> set[int]:
    found = set()
    for i, article in enumerate(CORPUS):
        if all(any(_contains(article, t) for t in g) for g in query.groups) and not any(
            _contains(article, t) for t in query.excluded
        ):
            found.add(i + 1)
    return found


query_text = st.lists(
    st.one_of(
        st.sampled_from([*WORDS, "OR", "-"]),
        st.sampled_from(WORDS).map(lambda w: "-" + w),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(
            lambda ws: '"' + " ".join(ws) + '"'
        ),
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=query_text)
def test_search_finds_exactly_what_the_query_says(archive: Archive, text: str) -> None:
    query = parse_query(text)
    ids = [r["id"] for r in search(archive.db, query, limit=1000)]
    assert set(ids) == _oracle(query)
    assert len(ids) == len(set(ids))
    dates = [r["published_at"] for r in search(archive.db, query, limit=1000)]
    assert dates == sorted(dates, reverse=True)


def _newest(ids: set[int], limit: int) -> list[int]:
    dates = {i + 1: f"2026-0{1 + i % 6}-{10 + i % 15:02d}T{i % 24:02d}" for i in range(len(CORPUS))}
    return sorted(ids, key=lambda i: (dates[i], i), reverse=True)[:limit]


@pytest.mark.parametrize(
    "plan",
    [(0.0, 4000), (0.0, 3), (2.0, 4000)],
    ids=["walk-dates", "walk-then-index", "index-first"],
)
@settings(max_examples=150, deadline=None)
@given(text=query_text, limit=st.integers(1, 6), windowed=st.booleans())
def test_every_plan_returns_the_newest_matches(
    archive: Archive, plan: tuple[float, int], text: str, limit: int, windowed: bool
) -> None:
    saved = archive_search.DENSE_SHARE, archive_search.PROBE_ROWS
    archive_search.DENSE_SHARE, archive_search.PROBE_ROWS = plan
    try:
        query = parse_query(text)
        window = Filters(since="2026-02-01", until="2026-05-01") if windowed else Filters()
        expected = _oracle(query)
        if windowed:
            expected = {i for i in expected if "2026-02" <= f"2026-0{1 + (i - 1) % 6}" < "2026-05"}
        got = [r["id"] for r in search(archive.db, query, window, limit=limit)]
        assert got == _newest(expected, limit)
    finally:
        archive_search.DENSE_SHARE, archive_search.PROBE_ROWS = saved


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_no_typed_query_breaks_the_sql(archive: Archive, text: str) -> None:
    query = parse_query(text)
    for sort in ("date", "relevance"):
        rows = search(archive.db, query, Filters(since="2026-01-01"), limit=5, sort=sort)
        assert len(rows) <= 5
    assert list(iter_articles(archive.db, query, limit=3)) is not None


def test_wildcards_are_literal_in_short_terms(archive: Archive) -> None:
    assert {r["id"] for r in search(archive.db, parse_query("%"), limit=100)} == _oracle(
        parse_query("%")
    )
    assert _oracle(parse_query("%")) != set(range(1, 41))  # % is not "anything"


def test_filters_narrow_by_date_outlet_source_and_story(archive: Archive) -> None:
    # A story id no archived article was given (each article starts its own story on insert).
    archive.db.execute("update articles set story_id = 1000 where id in (2, 4)")
    query = parse_query("제목")
    rows = search(archive.db, query, Filters(since="2026-03-01", until="2026-04-01"), limit=100)
    assert rows
    assert all("2026-03" <= r["published_at"] < "2026-04" for r in rows)
    assert {
        r["outlet"] for r in search(archive.db, query, Filters(outlets=("매일경제",)), limit=100)
    } == {"매일경제"}
    assert {
        r["source"] for r in search(archive.db, query, Filters(sources=("s1",)), limit=100)
    } == {"s1"}
    assert [r["id"] for r in search(archive.db, query, Filters(story=1000), limit=100)] == [4, 2]


def test_relevance_puts_the_denser_match_first(archive: Archive) -> None:
    rows = search(archive.db, parse_query("엑사원"), limit=100, sort="relevance")
    assert {r["id"] for r in rows} == _oracle(parse_query("엑사원"))
    window = Filters(since="2026-02-01", until="2026-05-01")
    ranked = search(archive.db, parse_query("엑사원 OR CVPR"), window, limit=100, sort="relevance")
    by_date = search(archive.db, parse_query("엑사원 OR CVPR"), window, limit=100)
    assert {r["id"] for r in ranked} == {r["id"] for r in by_date}
    assert len(ranked) > 1
    assert [
        r["id"]
        for r in search(
            archive.db, parse_query("엑사원"), Filters(since="2030-01-01"), sort="relevance"
        )
    ] == []
    with pytest.raises(QueryError, match="unknown sort 'size'"):
        search(archive.db, parse_query("엑사원"), sort="size")


def test_stats_count_per_outlet_and_week(archive: Archive) -> None:
    found = stats(archive.db)
    assert found.total == 40
    assert {o["outlet"]: o["articles"] for o in found.outlets} == {"연합뉴스": 20, "매일경제": 20}
    assert sum(w["articles"] for w in found.weeks) == 40
    expected: dict[str, int] = {}
    for i in range(40):
        week = week_of(f"2026-0{1 + i % 6}-{10 + i % 15:02d}")
        expected[week] = expected.get(week, 0) + 1
    assert {w["week"]: w["articles"] for w in found.weeks} == expected
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", w["week"]) for w in found.weeks)
