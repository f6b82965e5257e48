"""Watch terms: does a text mention the watched organisation, and how much.

Korean copy spaces names freely ("LG AI연구원", "LG AI 연구원", "LGAI연구원") and Latin names come
in any case ("EXAONE", "Exaone"), so matching folds Unicode width, case, whitespace and hyphen-like
marks on both sides before a plain substring search. Substring matching is what Korean needs:
particles attach to the name ("엑사원을", "LG AI연구원은").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_FOLD_AWAY = re.compile(r"[\s\-‐‑‒–—·・‧_]+")

TITLE_WEIGHT = 3  # a mention in the headline says more about the article than one in passing


def fold(text: str) -> str:
    """The comparison form: NFKC (full-width → ASCII), case-folded, no spacing or hyphens."""
    return _FOLD_AWAY.sub("", unicodedata.normalize("NFKC", text).casefold())


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
        haystack = fold(text)
        return sum(haystack.count(term) for term in self.folded)

    def score(self, title: str, text: str) -> int:
        return TITLE_WEIGHT * self.mentions(title) + self.mentions(text)

    def matched(self, title: str, text: str) -> list[str]:
        """The configured terms that occur, in configuration order."""
        haystack = fold(title) + "\n" + fold(text)
        return [term for term in self.terms if fold(term) and fold(term) in haystack]
