"""Watch terms: the one matcher deciding whether a text mentions a term, and the watches on it.

Korean copy spaces names freely ("LG AI연구원", "LG AI 연구원", "LGAI연구원") and Latin names come
in any case and width ("EXAONE", "Exaone", "ＥＸＡＯＮＥ"), so matching folds Unicode width, case,
whitespace, hyphen-like marks and middle dots on both sides before a plain substring search.
Substring matching is what Korean needs: particles attach to the name ("엑사원을", "LG AI연구원은").
Watches, their exclude terms, alert rules and search all decide through `occurs` on folded text
(search's full-text index holds the folded text: archive/migrations/m009_watches.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_FOLD_AWAY = re.compile(r"[\s\-‐‑‒–—―−·・‧•∙⋅_]+")

TITLE_WEIGHT = 3  # a mention in the headline says more about the article than one in passing
LEAD_CHARS = 300  # the opening of the text that counts as its lead (where a match was)
WHERE = ("title", "lead", "body")  # where a watch matched, most telling first


def fold(text: str) -> str:
    """The comparison form: NFKC (full-width → ASCII), case-folded, no spacing, hyphens or dots."""
    return _FOLD_AWAY.sub("", unicodedata.normalize("NFKC", text).casefold())


def occurs(folded_term: str, folded_text: str) -> bool:
    """The one decision: a (non-empty) folded term occurs in a folded text."""
    return bool(folded_term) and folded_term in folded_text


def mentions(text: str, term: str) -> bool:
    """Whether `text` mentions `term`, both as written (folded here)."""
    return occurs(fold(term), fold(text))


@dataclass(frozen=True, slots=True)
class WatchTerms:
    terms: tuple[str, ...]
    folded: tuple[str, ...]

    @classmethod
    def of(cls, terms: tuple[str, ...] | list[str]) -> WatchTerms:
        folded = tuple(dict.fromkeys(f for f in (fold(t) for t in terms) if f))
        return cls(terms=tuple(terms), folded=folded)

    def mentions(self, text: str) -> int:
        """How many times any term occurs in `text` (overlapping terms are each counted)."""
        return self.count_folded(fold(text))

    def count_folded(self, haystack: str) -> int:
        return sum(haystack.count(term) for term in self.folded)

    def any_in(self, *folded_texts: str) -> bool:
        return any(occurs(term, text) for term in self.folded for text in folded_texts)

    def score(self, title: str, text: str) -> int:
        return TITLE_WEIGHT * self.mentions(title) + self.mentions(text)

    def matched(self, title: str, text: str) -> list[str]:
        """The configured terms that occur, in configuration order."""
        haystack = fold(title) + "\n" + fold(text)
        return [term for term in self.terms if occurs(fold(term), haystack)]


@dataclass(frozen=True, slots=True)
class FoldedArticle:
    """An article's title, lead and text folded once, for matching many watches against it."""

    title: str
    lead: str
    text: str
    both: str  # title and text with a separator no term holds: one search instead of two

    @classmethod
    def of(cls, title: str, text: str) -> FoldedArticle:
        folded_title, folded_text = fold(title), fold(text)
        return cls(
            folded_title, fold(text[:LEAD_CHARS]), folded_text, f"{folded_title}\n{folded_text}"
        )


@dataclass(frozen=True, slots=True)
class WatchMatch:
    watch: str
    where: str  # title | lead | body: the most telling place a term occurs
    score: int  # TITLE_WEIGHT per mention in the title, one per mention in the text


@dataclass(frozen=True, slots=True)
class WatchRule:
    """One watch, compiled: its name, its terms, and the terms that veto a match (a namesake)."""

    name: str
    terms: WatchTerms
    exclude: WatchTerms

    @classmethod
    def of(cls, name: str, terms: Iterable[str], exclude: Iterable[str] = ()) -> WatchRule:
        return cls(name, WatchTerms.of(tuple(terms)), WatchTerms.of(tuple(exclude)))

    def match(self, article: FoldedArticle) -> WatchMatch | None:
        if not self.terms.any_in(article.both):  # (fold removes every newline from a term)
            return None
        if self.exclude.any_in(article.both):
            return None
        if self.terms.any_in(article.title):
            where = "title"
        elif self.terms.any_in(article.lead):
            where = "lead"
        else:
            where = "body"
        score = TITLE_WEIGHT * self.terms.count_folded(article.title)
        return WatchMatch(self.name, where, score + self.terms.count_folded(article.text))


@dataclass(frozen=True, slots=True)
class Watches:
    """Every configured watch; an article is kept when it matches at least one."""

    rules: tuple[WatchRule, ...]

    @classmethod
    def of(cls, specs: Iterable[Mapping[str, Any]]) -> Watches:
        """From the WATCHES setting: dicts with name, terms and (optional) exclude."""
        return cls(
            tuple(WatchRule.of(str(s["name"]), s["terms"], s.get("exclude") or ()) for s in specs)
        )

    @classmethod
    def from_settings(cls, watches: list[Any], terms: list[str]) -> Watches | None:
        """WATCHES, or the older WATCH_TERMS read as one watch named by its first term."""
        if watches:
            return cls.of(watches)
        if terms:
            return cls((WatchRule.of(terms[0], terms),))
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(rule.name for rule in self.rules)

    def match(self, title: str, text: str, min_score: int = 1) -> list[WatchMatch]:
        """The watches the article matches (score at least `min_score`), in configuration order."""
        article = FoldedArticle.of(title, text)
        found = (rule.match(article) for rule in self.rules)
        return [m for m in found if m is not None and m.score >= min_score]

    def only(self, names: Iterable[str]) -> Watches:
        wanted = set(names)
        return Watches(tuple(r for r in self.rules if r.name in wanted))


@dataclass(frozen=True, slots=True)
class Watch:
    """The relevance test (the crawl's WATCHES and WATCH_MIN_SCORE), sent with each page."""

    watches: Watches
    min_score: int
