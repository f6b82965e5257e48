"""RSS 2.0 and Atom feeds become leads (pure function over saved bytes)."""

from __future__ import annotations

from crawler.sources.base import Lead
from crawler.sources.feeds import parse_feed, read_feed

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>연합뉴스 최신기사</title>
<item><title><![CDATA[LG AI연구원, '엑사원 4.0' 공개]]></title>
  <link>https://www.yna.co.kr/view/AKR20250715000100017?input=1195m</link>
  <pubDate>Tue, 15 Jul 2025 10:30:00 +0900</pubDate></item>
<item><title>상대 링크</title><link>/view/AKR20250715000200017</link>
  <pubDate>Tue, 15 Jul 2025 01:30:00 GMT</pubDate></item>
<item><title>링크 없음</title></item>
<item><title>스크립트</title><link>javascript:alert(1)</link></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>AI Times</title>
<entry><title>EXAONE Deep</title><link rel="alternate" href="https://www.aitimes.com/news/articleView.html?idxno=168870"/>
<updated>2025-03-18T09:00:00+09:00</updated></entry>
</feed>"""

EUC_KR = '<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><item><title>똠방각하 엑사원</title><link>http://rss.example.kr/1</link></item></channel></rss>'.encode(
    "cp949"
)


def test_rss_items_with_links_become_leads_in_order() -> None:
    assert parse_feed(RSS, "https://www.yna.co.kr/rss/news.xml") == [
        Lead(
            "https://www.yna.co.kr/view/AKR20250715000100017?input=1195m",
            "LG AI연구원, '엑사원 4.0' 공개",
            "2025-07-15T10:30:00+09:00",
        ),
        Lead(
            "https://www.yna.co.kr/view/AKR20250715000200017",
            "상대 링크",
            "2025-07-15T10:30:00+09:00",
        ),
    ]


def test_atom_entries_become_leads() -> None:
    assert parse_feed(ATOM, "https://www.aitimes.com/rss/atom.xml") == [
        Lead(
            "https://www.aitimes.com/news/articleView.html?idxno=168870",
            "EXAONE Deep",
            "2025-03-18T09:00:00+09:00",
        )
    ]


def test_a_euc_kr_feed_keeps_cp949_syllables() -> None:
    (lead,) = parse_feed(EUC_KR, "http://rss.example.kr/feed")
    assert lead.title == "똠방각하 엑사원"


def test_garbage_is_no_leads() -> None:
    assert parse_feed(b"<html><body>502 Bad Gateway</body></html>", "https://x.kr/rss") == []
    assert parse_feed(b"", "https://x.kr/rss") == []


def test_a_korean_charset_from_the_http_header_is_honoured() -> None:
    body = EUC_KR.replace(b' encoding="euc-kr"', b"")
    (lead,) = parse_feed(body, "http://rss.example.kr/feed", "text/xml; charset=EUC-KR")
    assert lead.title == "똠방각하 엑사원"


def test_a_long_feed_is_cut_at_max_items_before_parsing() -> None:
    items = "".join(f"<item><link>http://x.kr/{n}</link></item>" for n in range(50))
    body = f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()
    page = read_feed(body, "http://x.kr/rss", max_items=3)
    assert [lead.url for lead in page.leads] == ["http://x.kr/0", "http://x.kr/1", "http://x.kr/2"]
    assert (page.beyond, page.ignored, page.malformed, page.error) == (47, 0, "", "")


def test_an_xml_error_is_malformed_a_charset_mismatch_is_not() -> None:
    broken = read_feed(RSS.replace(b"<item><title>\xec\x83\x81", b"<item<<&&"), "https://x.kr/rss")
    assert broken.malformed.startswith("<unknown>:")
    assert broken.leads[0].url.endswith("AKR20250715000100017?input=1195m")
    mislabelled = RSS.replace(b'encoding="UTF-8"', b'encoding="us-ascii"')
    assert read_feed(mislabelled, "https://x.kr/rss").malformed == ""
    assert read_feed(RSS, "https://x.kr/rss").ignored == 2  # no link; javascript:
