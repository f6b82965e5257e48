"""The query language people type, parsed into values: terms, "phrases", OR, -exclusions, filters.

Pure: no SQL and no database here (archive/search.py and archive/queries.py turn these values into
parameters). Terms are folded as the watches fold them (crawler.watch.fold: width, case, spacing,
hyphens, dots), so what a query means is what the watches' matcher says.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from crawler.clock import KST
from crawler.watch import fold


class QueryError(ValueError):
    """A query or filter a person typed that cannot be run; the message says what to change."""


@dataclass(frozen=True)
class Query:
    """Every group must match (a group matches if any of its terms does); no excluded term may."""

    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for group in self.groups for t in group)

    def pattern(self) -> re.Pattern[str] | None:
        """A regex finding the positive terms in text, longest first, for snippets; spacing,
        hyphens and dots between a term's characters are allowed, as the matcher allows them."""
        terms = sorted({fold(t) for t in self.terms} - {""}, key=len, reverse=True)
        if not terms:
            return None
        between = r"[\s\-‐‑‒–—―−·・‧•∙⋅_]*"
        return re.compile("|".join(between.join(map(re.escape, t)) for t in terms), re.IGNORECASE)

    def encoded(self) -> str:
        """The query's folded terms as one SQL parameter for the newswatch_query function."""
        groups = [[fold(t) for t in g] for g in self.groups]
        return json.dumps([groups, [fold(t) for t in self.excluded]], ensure_ascii=False)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    # Lone surrogates (undecodable command-line bytes) cannot be bound as SQLite text.
    text = _SURROGATE.sub("\ufffd", text)
    # NFC: a macOS terminal types decomposed Hangul jamo; the archive holds composed syllables.
    text = unicodedata.normalize("NFC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) pairs: kind is "term", "not" or "or"; quoted phrases are one term."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end  # an unclosed quote runs to the end
            value, quoted, i = text[i + 1 : end], True, end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            value, quoted, i = text[i:j], False, j
        value = " ".join(value.split())
        if not value:
            continue
        if value == "OR" and not quoted and not negated:
            yield "or", value
        else:
            yield ("not" if negated else "term"), value


def parse_query(text: str) -> Query:
    """Parse terms, "quoted phrases", OR between terms and -exclusions, as a person types them.

    OR binds the terms on either side into one group; a dangling OR is ignored (and a query that is
    only "OR" searches for the word). Parentheses and FTS5 operators are plain characters.
    """
    groups: list[list[str]] = []
    excluded: list[str] = []
    joining = False
    saw_or = False
    for kind, value in _tokens(_clean(text)):
        if kind != "or" and not fold(value):
            continue  # only spacing, hyphens or dots: nothing the matcher could look for
        if kind == "or":
            saw_or = True
            joining = bool(groups)
        elif kind == "not":
            excluded.append(value)
            joining = False
        else:
            if joining:
                groups[-1].append(value)
            else:
                groups.append([value])
            joining = False
    if not groups and not excluded and saw_or:
        groups = [["OR"]]
    unique_groups = dict.fromkeys(tuple(dict.fromkeys(g)) for g in groups)
    return Query(tuple(unique_groups), tuple(dict.fromkeys(excluded)))


@dataclass(frozen=True)
class Filters:
    """Which articles a search, an export or the stats look at (archive.queries.filter_clauses)."""

    since: str | None = None  # ISO bound, inclusive, compared with published_at
    until: str | None = None  # ISO bound, exclusive
    outlets: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    story: int | None = None
    watches: tuple[str, ...] = ()  # articles matching any of these watches (article_watches)


NO_FILTERS = Filters()  # every article: the default of the functions that take filters

_RELATIVE = re.compile(r"^(\d{1,5})([dwh])$")


def parse_when(value: str, *, end: bool = False, now: datetime | None = None) -> str:
    """A --since/--until value as an ISO bound in KST: "2025-07-01", an ISO time, "7d", "2w", "12h".

    A bare date as an --until bound means the whole of that day (the bound is the next midnight).
    """
    text = value.strip()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative[1]), relative[2]
        delta = {"d": timedelta(days=amount), "w": timedelta(weeks=amount)}.get(
            unit, timedelta(hours=amount)
        )
        return ((now or datetime.now(KST)) - delta).astimezone(KST).isoformat(timespec="seconds")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        if end:
            day += timedelta(days=1)
        return datetime(day.year, day.month, day.day, tzinfo=KST).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(
            f"{value!r} is not a date: use YYYY-MM-DD, an ISO time, or a span such as 7d, 2w, 12h"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(KST).isoformat(timespec="seconds")
