"""Korean news clean-up: cut article text at end-of-article markers and remove boilerplate lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Short lines that end the article: everything after is lists and widgets (docs/sources.md §4.2).
END_MARKERS: frozenset[str] = frozenset(
    {
        "많이 본 뉴스",
        "많이본 뉴스",
        "많이 본 기사",
        "실시간 뉴스",
        "관련기사",
        "관련 기사",
        "관련뉴스",
        "관련 뉴스",
        "최신기사",
        "최신 기사",
        "추천기사",
        "추천 기사",
        "인기기사",
        "인기 기사",
        "인기뉴스",
        "인기 뉴스",
        "주요 기사",
        "주요기사",
        "주요뉴스",
        "주요 뉴스",
        "이시각 주요뉴스",
        "이 시각 주요뉴스",
        "함께 볼만한 뉴스",
        "함께 볼만한",
        "함께 보면 좋은 뉴스",
        "SNS 공유하기",
        "관련 키워드",
        "관련키워드",
        "by Dable",
        "[By Taboola]",
        "오늘의 상승종목",
        "실시간 암호화폐 시세",
        "이 기사와 관련된 기사",
        "이 기사를 추천합니다",
        "기자의 다른 기사",
        "끝",  # "(끝)", the wire services' end of copy
    }
)
_END_MARKER_KEYS = frozenset(m.replace(" ", "").lower() for m in END_MARKERS)
_MARKER_BRACKETS = "[]()<>【】〔〕「」"
# Lines that open a wire tail, cut with everything after them: the reader-tip ("제보") blocks of
# 연합뉴스/YTN/연합뉴스TV and Naver's "오분류 제보" notice. Matched only in short lines.
_TAIL_OPENERS = re.compile(
    r"제보는?\s*(?:카카오톡|카톡|이메일|메일|전화)|당신의\s*제보|기사\s*문의\s*및\s*제보"
    r"|제보\s*(?:하기|부탁|바랍니다)|^\s*[\[<(※]?\s*제보\s*[\]>):]"
)
_TAIL_MAX = 120

# Lines that are never article text. One shared list: the clean-up drops them and evaluation and
# tests count them in output (a hit there is a clean-up failure).
BOILERPLATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"무단\s*(?:전재|복제|배포|재배포)",
        r"저작권자\s*[ⓒ©(]",
        r"all\s+rights?\s+reserved",
        r"copyrights?\s*(?:[ⓒ©]|\(c\))",
        r"^\s*[<\[]?\s*[ⓒ©]",
        r"AI\s*학습\s*(?:및\s*)?(?:이용|활용)\s*금지",
        r"^\s*(?:\[사진|\(사진|사진\s*=|사진\s*제공|\(출처|\[출처|▲)",
        r"\[사진[^\]]*\]\s*$",
        r"^\s*\([^()]{0,20}DB\)\s*$",
        r"^\s*(?:print|인쇄|공유|스크랩|댓글|글자\s*크기|기사\s*공유|페이스북|트위터|카카오톡|URL\s*복사)\s*$",
        r"(?:KOSPI|KOSDAQ|현재가|전일\s*대비|등락률|변동률|장종료|상승종목|암호화폐\s*시세)",
        r"^\s*[+\-]?[\d,]+(?:\.\d+)?\s*%?\s*$",
        r"^\s*[(\[][^()\[\]]{0,20}=\s*(?:연합뉴스|뉴시스|뉴스1)[)\]]\s*[가-힣]{2,4}\s*(?:기자|특파원)",
        r"^\s*\[[^\]]{0,20}\s[가-힣]{2,4}\s*(?:기자|특파원)\]",
        r"^\s*/?\s*[가-힣]{2,4}\s*(?:기자|특파원|칼럼니스트|객원기자)?\s*[(<\[]?\s*[\w.+-]+@[\w-]+\.[\w.]+\s*[)>\]]?\s*$",
        r"^\s*(?:기자|칼럼니스트|특파원)\s+[가-힣]{2,4}\s+[\w.+-]+@[\w-]+\.[\w.]+\s*$",
        r"^\s*[\w.+-]+@[\w-]+\.[\w.]+\s*$",
        r"^\s*(?:기사입력|입력|수정|최종수정|송고|등록|승인|업데이트)\s*:?\s*\[?\s*\d{4}[.\-/]",
        # A line that is only a date ("2026.07.17", "2026-07-17 10:00", "2026년 7월 17일 (금)").
        r"^\s*\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}\s*[.일]?\s*(?:\([월화수목금토일]\))?"
        r"\s*(?:(?:오전|오후)\s*)?(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$",
        r"(?:대표이사|발행인|편집인|사업자\s*(?:등록)?\s*번호|대표\s*전화|청소년보호책임자)",
        r"^\s*◎\s*공감언론",
        # Wire tails and widgets (issue 18): send stamps ("2025/03/18 09:12 송고"), "<저작권자 …>",
        # short lines with a copyright sign, subscription prompts, like counters, app prompts.
        r"\d{4}/\d{2}/\d{2}\s*\d{2}:\d{2}\s*송고\s*$",
        r"^\s*[<\[(]?\s*저작권자",
        r"^(?=.{0,80}$).*[ⓒ©]",
        r"^(?=.{0,80}$).*구독(?:하기|하세요|해\s*주세요|\s*신청|\s*버튼)",
        r"^\s*(?:(?:좋아요|추천해요|추천|공감|싫어요|비추천|훈훈해요|슬퍼요|화나요|놀랐어요"
        r"|후속\s*기사\s*원해요)\s*\d*\s*)+$",
        r"^(?=.{0,80}$).*앱\s*(?:다운로드|다운|설치|에서\s*(?:보기|열기))",
        # Markup shown as text (an ad slot's <iframe> escaped into the page) and ad labels.
        r"^\s*<\s*/?\s*(?:iframe|script|div|img|a|span|p|ins)\b",
        r"^(?=.{0,25}$).*광고\s*$",
        # A short line carrying an e-mail address is a byline or a contact line, never text.
        r"^(?=.{0,80}$)(?!.*(?:다|요)[.!?])(?!.*[.!?]\s).*[\w.+-]+@[\w-]+\.[a-z]{2,}",
    )
)

_TICKER_WORD = re.compile(
    r"^(?:비트코인(?:\s*캐시|에스브이)?|이더리움(?:\s*클래식)?|리플|라이트코인|에이다|이오스|트론|"
    r"스텔라루멘|체인링크|샌드박스|솔라나|도지코인|폴카닷|종목|현재가\(원\)|"
    r"\*?\s*24시간 변동률 기준)$"
)
_NUMERIC = re.compile(r"^[+\-]?[\d,]+(?:\.\d+)?\s*%?$")

# Lead stamps (docs/sources.md §4.4). Each captures the reporter names.
_LEAD_STAMPS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^\s*\([^()]{0,30}=\s*[^()]{1,20}\)\s*((?:[가-힣]{2,4}\s*(?:·|,)?\s*)+?)\s*(?:기자|특파원)\s*=\s*"
    ),
    re.compile(
        r"^\s*\[[^\[\]]{0,30}=\s*[^\[\]]{1,20}\]\s*((?:[가-힣]{2,4}\s*(?:·|,)?\s*)+?)\s*(?:기자|특파원)\s*=\s*"
    ),
    re.compile(
        r"^\s*\[[^\[\]=]{1,20}?\s+((?:[가-힣]{2,4}\s*(?:·|,)?\s*)+?)\s*(?:기자|특파원)\]\s*"
    ),
)
_BYLINE_EMAIL = (
    re.compile(
        r"^\s*/?\s*([가-힣]{2,4})\s*(?:기자|특파원|칼럼니스트|객원기자)?\s*[(<\[]?\s*"
        r"[\w.+-]+@[\w-]+\.[\w.]+\s*[)>\]]?\s*$"
    ),
    re.compile(r"^\s*(?:기자|칼럼니스트|특파원)\s+([가-힣]{2,4})\s+[\w.+-]+@[\w-]+\.[\w.]+\s*$"),
    re.compile(r"^\s*([가-힣]{2,4})\s*(?:기자|특파원|에디터)\s*$"),
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_SENTENCE_END = re.compile(r"(?:다|요|죠)[.!?]|[.!?]\s+\S")
_PLACE = re.compile(r"[가-힣]{1,6}=")  # "경주=홍길동": the dateline's place
_BYLINE_WORD = re.compile(r"(?<![가-힣])[가-힣]{2,4}(?![가-힣])")
_TITLES = frozenset(
    {
        "기자",
        "선임기자",
        "특파원",
        "에디터",
        "논설위원",
        "객원기자",
        "칼럼니스트",
        "인턴기자",
        "앵커",
    }
)
# Words in a byline that name the outlet, not a person: common outlet-name endings, the wire
# services, and 뉴시스's "◎공감언론" slogan.
_OUTLET_ENDINGS = (
    "뉴스",
    "일보",
    "신문",
    "방송",
    "닷컴",
    "미디어",
    "경제",
    "투데이",
    "연예",
    "언론",
)
_TITLES = _TITLES | {"뉴시스", "뉴스1"}
_SPACES = re.compile(r"[ \t\u00a0\u200b\u3000]+")


@dataclass(slots=True)
class CleanText:
    """Article paragraphs after clean-up, plus the reporter names found in stamps and bylines."""

    paragraphs: list[str]
    authors: list[str] = field(default_factory=list)


def normalize_line(line: str) -> str:
    """Collapse runs of spaces (incl. NBSP and zero-width space) and trim."""
    return _SPACES.sub(" ", line).strip()


def is_end_marker(line: str) -> bool:
    """Whether a whole line is an end-of-article marker such as 많이 본 뉴스 or [실시간뉴스]."""
    key = line.replace(" ", "").strip(_MARKER_BRACKETS).lower()
    return len(line) <= 20 and key in _END_MARKER_KEYS


def is_tail_opener(line: str) -> bool:
    """Whether a line opens a wire tail ("제보는 카카오톡 okjebo", "※ '당신의 제보가 …'")."""
    return len(line) <= _TAIL_MAX and _TAIL_OPENERS.search(line) is not None


def is_boilerplate(line: str) -> bool:
    """Whether a line matches one of the shared boilerplate patterns."""
    return any(pattern.search(line) for pattern in BOILERPLATE_PATTERNS)


def _is_ticker_run_line(lines: list[str], index: int) -> bool:
    """A coin or ticker label counts only beside numbers, so prose naming 비트코인 survives."""
    if not _TICKER_WORD.match(lines[index]):
        return False
    neighbours = lines[max(0, index - 1) : index] + lines[index + 1 : index + 2]
    return any(_NUMERIC.match(n) or _TICKER_WORD.match(n) for n in neighbours)


def clean_lines(lines: list[str], *, title: str | None = None) -> CleanText:
    """Clean article lines: stop at end markers and wire tails, drop boilerplate, move stamps
    and e-mail bylines to authors."""
    lines = [n for n in (normalize_line(line) for line in lines) if n]
    result = CleanText(paragraphs=[])
    title_key = title.replace(" ", "") if title else None
    listing = False  # inside a headline list that a widget heading opened above the article
    for index, line in enumerate(lines):
        if is_end_marker(line) or is_tail_opener(line):
            if result.paragraphs:
                break
            listing = is_end_marker(line)
            continue
        if listing and line.startswith(("- ", "• ", "· ")):
            continue
        listing = False
        if not result.paragraphs and title_key and line.replace(" ", "") == title_key:
            continue  # the headline repeated at the top of the body
        if byline := byline_name(line):
            result.authors.extend(split_names(byline))
            continue
        # Stamps open a paragraph (the first, or the first after a widget): keep the sentence,
        # move the name to authors.
        text = _strip_lead_stamp(line, result.authors)
        if not text:
            continue
        if is_boilerplate(text) or _is_ticker_run_line(lines, index):
            continue
        if result.paragraphs and result.paragraphs[-1] == text:
            continue  # captions and lazy-load fallbacks often repeat a line
        result.paragraphs.append(text)
    return result


def byline_name(line: str) -> str | None:
    """The reporter's name(s) if the whole line is a byline ("홍길동 기자 hong@yna.co.kr",
    "YTN 홍길동 (hong@ytn.co.kr)", "경주=홍길동 hong@donga.com /김철수·이영희 기자")."""
    if len(line) > 80:
        return None
    for pattern in _BYLINE_EMAIL:
        if match := pattern.match(line):
            return match.group(1)
    if not _EMAIL.search(line) or _SENTENCE_END.search(_EMAIL.sub("", line)):
        return None
    names = [
        word
        for word in _BYLINE_WORD.findall(_EMAIL.sub(" ", _PLACE.sub(" ", line)))
        if word not in _TITLES and not word.endswith(_OUTLET_ENDINGS)
    ]
    return "·".join(dict.fromkeys(names)) or None


def strip_lead_stamp(line: str) -> str:
    """`line` without a "(서울=연합뉴스) 홍길동 기자 =" stamp at its start."""
    return _strip_lead_stamp(line, [])


def _strip_lead_stamp(line: str, authors: list[str]) -> str:
    for pattern in _LEAD_STAMPS:
        if match := pattern.match(line):
            authors.extend(split_names(match.group(1)))
            return line[match.end() :].strip()
    return line


_NAME_SUFFIX = re.compile(
    r"\s*(?:기자|특파원|칼럼니스트|객원기자|선임기자|논설위원|에디터)(?=$|\s|외)"
)


def split_names(value: str) -> list[str]:
    """Split a byline into names without the 기자 suffix ("홍길동·김철수 기자" → two names)."""
    names = []
    for part in re.split(r"[,·/|]|\s{2,}", value):
        name = _NAME_SUFFIX.sub("", part).strip()
        name = re.sub(r"\s*[\w.+-]+@[\w-]+\.[\w.]+", "", name).strip()
        name = re.sub(r"\s*[(\[<]\s*[)\]>]", "", name).strip()  # "조민정()": an emptied e-mail
        if name and len(name) <= 20:
            names.append(name)
    return names


# Outlet names appended to titles: " - 매일경제", " | 한국일보", "-정치ㅣ한국일보", " : 동아닷컴".
_TITLE_SUFFIX = re.compile(r"\s*(?:[-|:ㅣ–—]|::)\s*[^-|:ㅣ–—]{1,25}$")


def strip_title_suffix(title: str, outlet_names: tuple[str, ...]) -> str:
    """Remove a trailing " - 매체명" (possibly after a section name) when it names the outlet."""
    title = normalize_line(title)
    for _ in range(3):
        match = _TITLE_SUFFIX.search(title)
        if not match:
            break
        tail = match.group(0)
        if not any(name and name.lower() in tail.lower() for name in outlet_names):
            break
        title = title[: match.start()].rstrip()
        # "-정치ㅣ한국일보": the section name sits between two separators.
        title = re.sub(r"\s*[-|]\s*[가-힣/]{1,8}$", "", title) if "ㅣ" in tail else title
    return title
