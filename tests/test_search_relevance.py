"""`search --sort relevance`: bm25 over the analysed words, on real Korean text, with the query's
meaning unchanged (the same articles as the date sort) and the trigram ranking as the fallback."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import Archive, NewArticle
from archive import search as archive_search
from archive import words as archive_words
from archive.query_language import NO_FILTERS, Filters, parse_query
from archive.search import search
from archive.word_ranking import K1, B, idf
from crawler.words import TITLE_WEIGHT, Analyser
from tests.test_query import CORPUS, _article, _oracle, query_text

WATCH = ["LG AI연구원", "LG AI Research", "엑사원", "EXAONE"]
ANALYSER = Analyser.of(WATCH)


def analyse(text: str) -> list[str]:
    """A query's words, as the CLI computes them (newswatch/commands/query.py)."""
    return list(ANALYSER.words(text, ""))


def analyse_pending(archive: Archive) -> int:
    """Store the words of every article not analysed yet, as `newswatch words --backfill` does."""
    rows = archive_words.pending(archive.db, limit=10_000)
    archive_words.store(
        archive.db,
        [
            archive_words.Analysed(r.id, r.week, r.text_hash, ANALYSER.analyse(r.title, r.text))
            for r in rows
        ],
    )
    return len(rows)


# Real sentences. Only the first is about AI; the other three name it once in passing, and the
# fifth names it only inside LG AI연구원, which the analysis keeps as one word.
ARTICLES = [
    (
        "2025-03-03T09:00:00+09:00",
        "전자신문",
        "생성형 AI 경쟁, 국내 기업도 본격 참전",
        "국내 기업들이 생성형 AI 시장에 뛰어들고 있다. AI 모델을 직접 개발하는 기업이 늘었고,"
        " AI 반도체와 AI 서비스 투자도 커졌다. 업계는 올해 AI 경쟁이 더 치열해질 것으로 본다.",
    ),
    (
        "2025-03-04T09:00:00+09:00",
        "매일경제",
        "반도체 수출 석 달 만에 반등",
        "반도체 수출이 석 달 만에 늘었다. 메모리 가격이 오르고 서버 수요가 회복된 덕분이다."
        " 데이터센터용 AI 칩 주문도 일부 늘었다. 정부는 수출 지원책을 이어갈 계획이다."
        " 조선과 자동차 수출도 함께 증가했다.",
    ),
    (
        "2025-03-05T09:00:00+09:00",
        "연합뉴스",
        "주말 전국에 비 소식",
        "토요일 전국에 비가 내리겠다. 기상청은 일부 지역에 강풍 주의보를 내렸다."
        " 휴일에는 날씨가 갠다. 예보에는 AI 기법이 처음 쓰였다.",
    ),
    (
        "2025-03-06T09:00:00+09:00",
        "한국경제",
        "서울 아파트값 다시 상승",
        "서울 아파트 매매가격이 다시 올랐다. 강남과 용산을 중심으로 거래가 늘었다. 전문가들은"
        " 금리 인하 기대가 집값을 밀어 올렸다고 분석했다. 중개업소에서는 AI 시세 분석 서비스를"
        " 쓰는 사례도 늘었다.",
    ),
    (
        "2025-03-01T09:00:00+09:00",
        "디지털타임스",
        "LG AI연구원, 엑사원 새 버전 공개",
        "LG AI연구원이 엑사원 새 버전을 공개했다. LG AI연구원은 엑사원을 오픈소스로 내놓고"
        " 연구자들이 쓸 수 있게 했다.",
    ),
]
# Stored after the analysis ran and never analysed (as in an archive older than the words): all
# about AI.
LATE = (
    "2025-03-07T09:00:00+09:00",
    "전자신문",
    "AI 반도체 전쟁, AI 칩 설계가 승부",
    "AI 칩 설계 경쟁이 뜨겁다. AI 가속기와 AI 메모리를 함께 설계하는 기업이 앞서 나간다.",
)


def _new(n: int, when: str, outlet: str, title: str, text: str) -> NewArticle:
    return _article(n, title, text, when, outlet)


@pytest.fixture
def ai_archive(tmp_path: Path) -> Iterator[Archive]:
    """Articles 1-5 (ARTICLES) indexed and analysed."""
    with Archive(tmp_path / "news.db") as archive:
        for n, entry in enumerate(ARTICLES, 1):
            assert archive.add_article(_new(n, *entry)).article_id == n
        archive.index_search()
        assert analyse_pending(archive) == 5
        yield archive


def ids(
    archive: Archive,
    text: str,
    filters: Filters = NO_FILTERS,
    *,
    sort: str = "date",
    analyse: Callable[[str], Iterable[str]] | None = None,
) -> list[int]:
    rows = search(archive.db, parse_query(text), filters, limit=100, sort=sort, analyse=analyse)
    return [r["id"] for r in rows]


def test_a_two_character_word_ranks_the_article_most_about_it_first(ai_archive: Archive) -> None:
    # Trigrams cannot rank "AI": today's ranking gives the newest first.
    assert ids(ai_archive, "AI", sort="relevance") == [4, 3, 2, 1, 5]
    assert ids(ai_archive, "AI") == [4, 3, 2, 1, 5]
    # Over the words: the article about AI (six times, once in its headline) first; the three
    # naming it once by their length, shortest first (14, 20 and 21 analysed words); the one
    # without the word "AI" (only inside LG AI연구원) after every ranked one.
    assert ids(ai_archive, "AI", sort="relevance", analyse=analyse) == [1, 3, 2, 4, 5]
    assert ids(ai_archive, "LG", sort="relevance", analyse=analyse) == [5]


def test_negations_phrases_and_filters_exclude_what_they_did(ai_archive: Archive) -> None:
    def both(text: str, filters: Filters = NO_FILTERS) -> tuple[list[int], list[int]]:
        ranked = ids(ai_archive, text, filters, sort="relevance", analyse=analyse)
        assert sorted(ranked) == sorted(ids(ai_archive, text, filters))  # the same articles
        return ranked, ids(ai_archive, text, filters, sort="relevance")

    assert both("AI -반도체") == ([3, 4, 5], [4, 3, 5])  # 1 and 2 name 반도체
    assert both('"AI 모델"') == ([1], [1])  # the words are in 1 and 3; the phrase only in 1
    assert both('"AI 칩" OR 아파트') == ([4, 2], [4, 2])
    assert both("AI", Filters(since="2025-03-04")) == ([3, 2, 4], [4, 3, 2])
    assert both("AI", Filters(until="2025-03-04")) == ([1, 5], [1, 5])
    assert both("AI", Filters(outlets=("연합뉴스", "매일경제"))) == ([3, 2], [3, 2])
    assert both("AI -LG", Filters(since="2025-03-10")) == ([], [])


def test_articles_not_analysed_yet_come_after_the_ranked_ones(ai_archive: Archive) -> None:
    assert ai_archive.add_article(_new(6, *LATE)).article_id == 6
    # Newest and most about AI, but without words yet: after the ranked articles, then in the
    # trigram ranking (newest first for two characters) with article 5, which has no "AI" word.
    assert ids(ai_archive, "AI", sort="relevance", analyse=analyse) == [1, 3, 2, 4, 6, 5]
    assert analyse_pending(ai_archive) == 1
    assert ids(ai_archive, "AI", sort="relevance", analyse=analyse) == [6, 1, 3, 2, 4, 5]


def test_the_matches_the_words_cannot_rank_keep_the_trigram_ranking(ai_archive: Archive) -> None:
    ai_archive.add_article(_new(6, *LATE))
    dense = ("2025-02-01T09:00:00+09:00", "전자신문", "반도체 특집", "반도체, 반도체, 또 반도체.")
    ai_archive.add_article(_new(7, *dense))
    ai_archive.index_search()  # indexed, not analysed
    # The analysed ones by their words (2 says 반도체 twice), then bm25 over the trigram index
    # for the rest: the dense old one before the newest.
    assert ids(ai_archive, "반도체", sort="relevance", analyse=analyse) == [2, 1, 7, 6]
    assert ids(ai_archive, "반도체", sort="relevance") == [7, 2, 6, 1]


@pytest.mark.parametrize(("chunk", "walk"), [(200, 1000), (1, 1000), (1, 2), (2, 0)])
def test_each_limit_gives_the_start_of_the_same_ranking(
    ai_archive: Archive, chunk: int, walk: int
) -> None:
    ai_archive.add_article(_new(6, *LATE))  # not analysed: in the part the trigrams rank
    saved = archive_search.CHECK_CHUNK, archive_search.RANKED_WALK
    # Few ids per check, so the walk crosses chunks; a short walk, so the matches come from the
    # index: every plan gives the same ranking.
    archive_search.CHECK_CHUNK, archive_search.RANKED_WALK = chunk, walk
    try:
        for text, expected in (
            ("AI", [1, 3, 2, 4, 6, 5]),
            ("AI -반도체", [3, 4, 5]),  # 6 names 반도체 too
            ("AI OR 엑사원", [5, 1, 3, 2, 4, 6]),  # 5: 엑사원, rarer, three times in 12 words
            ("AI 휴일", [3]),
        ):
            assert ids(ai_archive, text, sort="relevance", analyse=analyse) == expected
            for limit in range(1, len(expected) + 1):
                rows = search(
                    ai_archive.db, parse_query(text), limit=limit, sort="relevance", analyse=analyse
                )
                assert [r["id"] for r in rows] == expected[:limit]
    finally:
        archive_search.CHECK_CHUNK, archive_search.RANKED_WALK = saved


def test_without_words_to_rank_by_the_trigram_ranking_stays(ai_archive: Archive) -> None:
    # A query with no word the analysis keeps (a particle), and one no article has as a word
    # (도체 is inside 반도체), rank as trigrams do.
    for text in ("는", "도체", "엑사원을 OR 공개했"):
        assert ids(ai_archive, text, sort="relevance", analyse=analyse) == ids(
            ai_archive, text, sort="relevance"
        )
    assert ids(ai_archive, "도체", sort="relevance", analyse=analyse) == [2, 1]


def test_an_archive_without_words_ranks_as_trigrams_do(tmp_path: Path) -> None:
    with Archive(tmp_path / "news.db") as archive:
        for n, entry in enumerate(ARTICLES, 1):
            archive.add_article(_new(n, *entry))
        archive.index_search()
        for text in ("AI", "반도체", "엑사원 OR 아파트", "AI -반도체"):
            assert ids(archive, text, sort="relevance", analyse=analyse) == ids(
                archive, text, sort="relevance"
            )
        assert ids(archive, "반도체", sort="relevance", analyse=analyse) == [2, 1]


# --- against an oracle: the query's articles, in bm25 order over the words ----------------------


@pytest.fixture(scope="module")
def oracle_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """tests/test_query.py's corpus: 40 articles, 25 indexed, the first 30 analysed."""
    path = tmp_path_factory.mktemp("relevance-oracle") / "news.db"
    with Archive(path) as opened:
        for i, (title, text) in enumerate(CORPUS):
            day = f"2026-0{1 + i % 6}-{10 + i % 15:02d}T{i % 24:02d}:00:00+09:00"
            opened.add_article(_article(i, title, text, day, ["연합뉴스", "매일경제"][i % 2]))
            if i == 24:
                opened.index_search()
            if i == 29:
                analyse_pending(opened)
        yield opened


def _bm25(archive: Archive, words: list[str]) -> dict[int, float]:
    """Each analysed article's score for `words`, in Python (the bench's formula)."""
    db = archive.db
    total, average = db.execute("select count(*), avg(words) from analysed_articles").fetchone()
    scores: dict[int, float] = {}
    for word in set(words):
        row = db.execute("select articles from words where word = ?", [word]).fetchone()
        if row is None:
            continue
        for article_id, count, in_title, length in db.execute(
            "select w.article_id, w.count, w.in_title, a.words from article_words w"
            " join analysed_articles a using (article_id) where w.word = ?",
            [word],
        ):
            tf = count + (TITLE_WEIGHT - 1) * in_title
            part = idf(row[0], total) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
            scores[article_id] = scores.get(article_id, 0.0) + part
    return scores


@settings(max_examples=200, deadline=None)
@given(
    text=query_text,
    limit=st.integers(1, 8),
    chunk=st.sampled_from([1, 3, 200]),
    walk=st.sampled_from([0, 2, 1000]),
)
def test_the_ranking_orders_exactly_the_query_s_articles(
    oracle_archive: Archive, text: str, limit: int, chunk: int, walk: int
) -> None:
    query = parse_query(text)
    saved = archive_search.CHECK_CHUNK, archive_search.RANKED_WALK
    archive_search.CHECK_CHUNK, archive_search.RANKED_WALK = chunk, walk
    try:
        full = [
            r["id"]
            for r in search(oracle_archive.db, query, limit=1000, sort="relevance", analyse=analyse)
        ]
        first = search(oracle_archive.db, query, limit=limit, sort="relevance", analyse=analyse)
    finally:
        archive_search.CHECK_CHUNK, archive_search.RANKED_WALK = saved
    assert sorted(full) == sorted(_oracle(query))
    assert [r["id"] for r in first] == full[:limit]
    scores = _bm25(oracle_archive, analyse(" ".join(query.terms))) if query.terms else {}
    ranked = [i for i in full if i in scores]
    # The scored articles come first, best first (ties: newer id first), the rest after.
    assert full[: len(ranked)] == ranked
    expected = sorted(ranked, key=lambda i: (-scores[i], -i))
    for got, want in zip(ranked, expected, strict=True):
        assert got == want or math.isclose(scores[got], scores[want], rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_no_typed_query_breaks_the_words_ranking(oracle_archive: Archive, text: str) -> None:
    query = parse_query(text)
    rows = search(
        oracle_archive.db,
        query,
        Filters(since="2026-01-01"),
        limit=5,
        sort="relevance",
        analyse=analyse,
    )
    assert len(rows) <= 5
