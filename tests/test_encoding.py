"""Decoding bytes: BOM, header, meta, strict UTF-8, CP949, and declarations that lie."""

from __future__ import annotations

import pytest

from crawler.encoding import decode_html, header_value

KOREAN = "똠방각하 햏 뷁 한국어 기사"


def _page(charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}</head><body><p>{KOREAN}</p></body></html>"


@pytest.mark.parametrize("charset", ["euc-kr", "EUC-KR", "ks_c_5601-1987", "cp949", None])
def test_euc_kr_bytes_keep_cp949_only_syllables(charset: str | None) -> None:
    text, codec = decode_html(_page(charset).encode("cp949"))
    assert codec == "cp949"
    assert KOREAN in text
    assert "\ufffd" not in text


def test_header_charset_wins_over_meta_when_both_fit() -> None:
    body = _page("euc-kr").encode("utf-8")
    text, codec = decode_html(body, {"Content-Type": "text/html; charset=UTF-8"})
    assert codec == "utf_8"
    assert KOREAN in text


def test_wrong_header_charset_loses_to_bytes_that_fit() -> None:
    body = _page(None).encode("cp949")
    text, codec = decode_html(body, {"content-type": "text/html; charset=utf-8"})
    assert codec == "cp949"
    assert KOREAN in text


def test_latin1_label_on_utf8_bytes_is_ignored() -> None:
    text, codec = decode_html(_page("iso-8859-1").encode("utf-8"))
    assert codec == "utf_8"
    assert KOREAN in text


def test_bom_beats_declarations() -> None:
    body = b"\xef\xbb\xbf" + _page("euc-kr").encode("utf-8")
    text, codec = decode_html(body, {"Content-Type": "text/html; charset=euc-kr"})
    assert codec == "utf_8"
    assert text.startswith("<html>")


def test_undecodable_bytes_are_replaced_not_raised() -> None:
    text, _ = decode_html(b"<p>\xff\xfe\xfa broken</p>")
    assert "broken" in text


def test_undeclared_euc_kr_with_a_split_character_stays_korean() -> None:
    # The last byte of a two-byte character cut off (a truncated write, a bad splice): neither
    # UTF-8 nor CP949 decodes strictly, and CP949 needs one replacement where UTF-8 needs dozens.
    body = _page(None).encode("cp949").replace(b"</p>", "햏".encode("cp949")[:1] + b"</p>")
    text, codec = decode_html(body)
    assert codec == "cp949"
    assert KOREAN in text
    assert text.count("\ufffd") == 1


def test_utf8_page_with_a_euc_kr_fragment_stays_utf8() -> None:
    body = _page(None).encode() + "<p>광고 똠방</p>".encode("cp949")
    text, codec = decode_html(body)
    assert codec == "utf_8"
    assert KOREAN in text


def test_declared_charset_wins_a_tie_in_replacements() -> None:
    body = b"<html><head><meta charset='euc-kr'></head><body>\xff</body></html>"
    text, codec = decode_html(body)
    assert codec == "cp949"
    assert text.count("\ufffd") == 1


def test_header_lookup_is_case_insensitive() -> None:
    assert header_value({"CONTENT-TYPE": "text/html"}, "content-type") == "text/html"
    assert header_value({b"Content-Type": b"text/html"}, "Content-Type") == "text/html"  # type: ignore[dict-item]
    assert header_value(None, "content-type") is None
