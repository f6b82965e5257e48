"""The general Korean clean-up, on lines as trafilatura or a profile body yields them."""

from __future__ import annotations

import pytest

from crawler.korean import clean_lines, is_boilerplate, split_names, strip_title_suffix

BODY = "LG AI연구원이 엑사원 4.0을 공개했다."


@pytest.mark.parametrize(
    ("line", "author"),
    [
        (f"(서울=연합뉴스) 홍길동 기자 = {BODY}", "홍길동"),
        (f"[서울=뉴시스]홍길동 기자 = {BODY}", "홍길동"),
        (f"(서울=뉴스1) 홍길동 기자 = {BODY}", "홍길동"),
        (f"[이데일리 홍길동 기자] {BODY}", "홍길동"),
        (f"(워싱턴=연합뉴스) 홍길동 특파원 = {BODY}", "홍길동"),
    ],
)
def test_lead_stamps_move_to_authors(line: str, author: str) -> None:
    result = clean_lines([line, "둘째 문단이다."])
    assert result.paragraphs == [BODY, "둘째 문단이다."]
    assert result.authors == [author]


@pytest.mark.parametrize(
    "marker",
    [
        "많이 본 뉴스",
        "관련기사",
        "실시간 뉴스",
        "주요뉴스",
        "주요 뉴스",
        "인기뉴스",
        "이시각 주요뉴스",
        "최신기사",
        "추천기사",
        "함께 볼만한 뉴스",
        "SNS 공유하기",
        "관련 키워드",
        "by Dable",
    ],
)
def test_text_is_cut_at_end_markers(marker: str) -> None:
    result = clean_lines([BODY, marker, "다른 기사 제목", "또 다른 기사"])
    assert result.paragraphs == [BODY]


def test_end_marker_words_inside_a_sentence_do_not_cut() -> None:
    lines = [BODY, "이 회사의 관련기사 검색량은 주요뉴스 못지않았다.", "마지막 문단."]
    assert clean_lines(lines).paragraphs == lines


@pytest.mark.parametrize(
    "line",
    [
        "ⓒ이코노미스트(https://economist.co.kr) '내일을 위한 경제뉴스 이코노미스트' "
        "무단 전재 및 재배포 금지",
        "Copyright ⓒ 매일경제 & mk.co.kr. 무단 전재, 재배포 및 AI학습 이용 금지",
        "저작권자 © AI타임스 무단전재 및 재배포, AI학습 및 활용 금지",
        "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>",
        "(이투데이DB)",
        "▲LG AI 연구원이 참가한 행사 사진 (사진제공=LG AI 연구원)",
        "배경훈 원장이 설명하고 있다. [사진 LG그룹]",
        "(사진=셔터스톡)",
        "print",
        "이병희 기자 leoybh@edaily.co.kr",
        "최지연 기자(jychoi@zdnet.co.kr)",
        "jhkim@yna.co.kr",
        "입력 2021-05-05 11:00",
        "대표이사 홍길순 | 사업자등록번호 123-45-67890",
        "◎공감언론 뉴시스 jmlee@newsis.com",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    assert is_boilerplate(line)
    assert clean_lines([BODY, line, "끝 문단."]).paragraphs == [BODY, "끝 문단."]


def test_crypto_ticker_run_is_dropped_but_prose_about_bitcoin_stays() -> None:
    prose = "비트코인 가격이 하루 만에 5% 넘게 올랐다."
    ticker = [
        "종목",
        "현재가(원)",
        "변동률",
        "비트코인",
        "71,329,000",
        "+1.46%",
        "이더리움",
        "4,734,000",
        "+8.06%",
        "* 24시간 변동률 기준",
    ]
    assert clean_lines([BODY, prose, *ticker]).paragraphs == [BODY, prose]


def test_trailing_byline_goes_to_authors() -> None:
    result = clean_lines([BODY, "정덕현 칼럼니스트 thekian1@entermedia.co.kr"])
    assert result.paragraphs == [BODY]
    assert result.authors == ["정덕현"]


def test_repeated_headline_at_top_is_dropped() -> None:
    assert clean_lines(["엑사원 공개", BODY], title="엑사원  공개").paragraphs == [BODY]


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        (
            "‘흙수저’ 소년공이 쏘아올린 정치 신화 - 매일경제",
            ("매일경제",),
            "‘흙수저’ 소년공이 쏘아올린 정치 신화",
        ),
        ("제목 | 한국일보", ("한국일보",), "제목"),
        ("제목 - AI타임스", ("AI타임스",), "제목"),
        ("장동혁, 제명했지만…-정치ㅣ한국일보", ("한국일보",), "장동혁, 제명했지만…"),
        ("LG-SK 협력 강화", ("매일경제",), "LG-SK 협력 강화"),
        ("A - B 테스트", ("한국일보",), "A - B 테스트"),
    ],
)
def test_strip_title_suffix(title: str, names: tuple[str, ...], expected: str) -> None:
    assert strip_title_suffix(title, names) == expected


def test_split_names() -> None:
    assert split_names("홍길동·김철수 기자") == ["홍길동", "김철수"]
    assert split_names("배윤경 기자") == ["배윤경"]


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("홍길동 기자 hong@ytn.co.kr", ["홍길동"]),
        ("YTN 홍길동 (hong@ytn.co.kr)", ["홍길동"]),
        ("boriam@donga.com", []),
        ("경주=이권효 boriam@donga.com /최지연·박성민 기자", ["이권효", "최지연", "박성민"]),
        ("이창곤 선임기자 goni@hani.co.kr", ["이창곤"]),
        ("◎공감언론 뉴시스 jmlee@newsis.com", []),
        ("이정화 에디터", ["이정화"]),
    ],
)
def test_email_bylines_at_either_end_go_to_authors(line: str, authors: list[str]) -> None:
    first = clean_lines([line, BODY, "둘째 문단이다."])
    last = clean_lines([BODY, "둘째 문단이다.", line])
    for result in (first, last):
        assert result.paragraphs == [BODY, "둘째 문단이다."]
        assert result.authors == authors


def test_a_sentence_with_an_email_address_is_not_a_byline() -> None:
    line = "문의는 help@example.com으로 보내면 된다고 회사는 밝혔다. 접수는 다음 달까지다."
    assert clean_lines([BODY, line]).paragraphs == [BODY, line]


@pytest.mark.parametrize(
    "tail",
    [
        [
            "제보는 카카오톡 okjebo",
            "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>",
        ],
        [
            "※ '당신의 제보가 뉴스가 됩니다'",
            "[카카오톡] YTN 검색해 채널 추가",
            "[메일] social@ytn.co.kr",
        ],
        ["연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23", "(끝)"],
        ["(끝)", "실시간뉴스", "다른 기사 제목"],
        ["2025/03/18 09:12 송고"],
        ["ⓒ 스포티비뉴스"],
        ["▶ 네이버에서 연합뉴스를 구독하세요!"],
        ["좋아요 0 슬퍼요 0 화나요 0"],
        ["앱 다운로드"],
        ["[실시간뉴스]", "- 다른 기사 제목2분 전"],
        ["관련기사", "다른 기사"],
        ["많이 본 뉴스", "1 다른 기사"],
    ],
)
def test_wire_tails_are_removed(tail: list[str]) -> None:
    assert clean_lines([BODY, "둘째 문단이다.", *tail]).paragraphs == [BODY, "둘째 문단이다."]


def test_a_widget_list_above_the_article_is_skipped() -> None:
    lines = ["[실시간뉴스]", "- 다른 기사 제목2분 전", "- 또 다른 기사3분 전", BODY]
    assert clean_lines(lines).paragraphs == [BODY]


def test_stamp_opening_a_later_paragraph_goes_to_authors() -> None:
    lines = ["사진 없는 머리말", "둘째 줄", "셋째 줄", f"(서울=연합뉴스) 홍길동 기자 = {BODY}"]
    result = clean_lines(lines)
    assert result.paragraphs[-1] == BODY
    assert result.authors == ["홍길동"]


def test_tip_words_inside_a_sentence_do_not_cut() -> None:
    lines = [BODY, "경찰은 시민 제보를 받아 용의자를 붙잡았다고 밝혔다.", "마지막 문단."]
    assert clean_lines(lines).paragraphs == lines
