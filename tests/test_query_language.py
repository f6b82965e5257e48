"""The query language as people type it: terms, phrases, OR, exclusions, dates (no database)."""

from __future__ import annotations

from datetime import datetime

import pytest

from archive.query_language import QueryError, parse_query, parse_when
from crawler.clock import KST


@pytest.mark.parametrize(
    ("text", "groups", "excluded"),
    [
        ("엑사원", [["엑사원"]], []),
        ("  엑사원   CVPR ", [["엑사원"], ["CVPR"]], []),
        ('"LG AI연구원" 엑사원', [["LG AI연구원"], ["엑사원"]], []),
        ('"LG   AI연구원', [["LG AI연구원"]], []),  # unclosed quote runs to the end
        ("엑사원 OR EXAONE LG", [["엑사원", "EXAONE"], ["LG"]], []),
        ("a OR b OR c", [["a", "b", "c"]], []),
        ('엑사원 -채용 -"삼성 전자"', [["엑사원"]], ["채용", "삼성 전자"]),
        ("엑사원 OR", [["엑사원"]], []),  # a dangling OR is ignored
        ("OR 엑사원", [["엑사원"]], []),
        ("OR", [["OR"]], []),  # alone, it is the word
        ('"OR" 엑사원', [["OR"], ["엑사원"]], []),  # quoted, it is a word
        ("K-EXAONE", [["K-EXAONE"]], []),  # a hyphen inside a word is not an exclusion
        ("- 엑사원", [["엑사원"]], []),  # a lone hyphen folds to nothing: no term
        ("NEAR(a b) *", [["NEAR(a"], ["b)"], ["*"]], []),  # FTS5 syntax is plain text
        ("엑사원 엑사원", [["엑사원"]], []),
        ("", [], []),
        ('""', [], []),
        ("\x00\x07\t\n", [], []),
        ("엑사\x00원", [["엑사"], ["원"]], []),  # control characters separate words
    ],
)
def test_parse_query(text: str, groups: list[list[str]], excluded: list[str]) -> None:
    query = parse_query(text)
    assert [list(g) for g in query.groups] == groups
    assert list(query.excluded) == excluded


def test_parse_query_composes_decomposed_hangul_and_survives_undecodable_bytes() -> None:
    decomposed = "\u1105\u1161\u1112\u1161"  # 라하 typed as jamo, as a macOS terminal sends it
    assert parse_query(decomposed).groups == (("라하",),)
    assert parse_query("엑사원\udcff").groups == (("엑사원\ufffd",),)


def test_parse_when_reads_dates_times_and_spans_in_kst() -> None:
    now = datetime(2026, 7, 15, 12, 0, tzinfo=KST)
    assert parse_when("2025-07-01") == "2025-07-01T00:00:00+09:00"
    assert parse_when("2025-07-31", end=True) == "2025-08-01T00:00:00+09:00"
    assert parse_when("7d", now=now) == "2026-07-08T12:00:00+09:00"
    assert parse_when("2w", now=now) == "2026-07-01T12:00:00+09:00"
    assert parse_when("12h", now=now) == "2026-07-15T00:00:00+09:00"
    assert parse_when("2025-07-01T10:00:00Z") == "2025-07-01T19:00:00+09:00"
    assert parse_when("2025-07-01 10:00") == "2025-07-01T10:00:00+09:00"
    with pytest.raises(QueryError, match="'last week' is not a date"):
        parse_when("last week")
