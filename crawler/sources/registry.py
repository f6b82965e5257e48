"""The source types by name: what `type = "…"` in a [[sources]] table means.

Configuration reading and the spider look a type up here and never branch on its name. A type
defined elsewhere (a test, a local extension) joins with `register`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.sources.base import OptionTable, Source, SourceConfigError, SourceType
from crawler.sources.google_news import GoogleNews
from crawler.sources.lg_newsroom import LgNewsroom
from crawler.sources.naver_api import NaverApi
from crawler.sources.rss import Rss
from crawler.sources.sitemap import Sitemap
from crawler.values import Range

COMMON_KEYS = frozenset({"name", "type", "every"})  # keys every [[sources]] table may have

_TYPES: dict[str, type[SourceType[Any]]] = {}


def register(kind: type[SourceType[Any]]) -> type[SourceType[Any]]:
    """Make `kind` the source type of its `name`; returns it (so it may be a decorator)."""
    if _TYPES.get(kind.name, kind) is not kind:
        raise ValueError(f"source type {kind.name!r} is registered already")
    _TYPES[kind.name] = kind
    return kind


def unregister(kind: type[SourceType[Any]]) -> None:
    """Forget `kind` (a test's own type, once the test is done)."""
    if _TYPES.get(kind.name) is kind:
        del _TYPES[kind.name]


# In the order error messages list them.
for _kind in (Rss, Sitemap, GoogleNews, NaverApi, LgNewsroom):
    register(_kind)


def names() -> tuple[str, ...]:
    return tuple(_TYPES)


def source_type(name: str, where: str = "") -> type[SourceType[Any]]:
    """The type called `name`; raises SourceConfigError naming the known ones."""
    try:
        return _TYPES[name]
    except KeyError:
        known = ", ".join(_TYPES)
        raise SourceConfigError(f"[{where}] unknown type {name!r}; known types: {known}.") from None


def option_keys() -> dict[str, frozenset[str]]:
    """Each type's own keys (besides name, type and every)."""
    return {name: frozenset(kind.Options.KEYS) for name, kind in _TYPES.items()}


def option_ranges() -> dict[str, Range]:
    """The range of every number a source type takes, by key, for the documentation's tables
    (newswatch.config.RANGES). Each type checks its own numbers against its own ranges; where two
    types give one key different ranges, the first type's is listed."""
    ranges: dict[str, Range] = {}
    for kind in _TYPES.values():
        for key, allowed in kind.Options.RANGES.items():
            ranges.setdefault(key, allowed)
    return ranges


def read_source(
    entry: Mapping[str, Any], where: str, *, name: str, kind: str, terms: tuple[str, ...]
) -> Source:
    """One [[sources]] table's type and options (not `every`, which the schedule reads);
    raises SourceConfigError."""
    source_kind = source_type(kind, where)
    table = OptionTable(entry, where, terms)
    table.keys(COMMON_KEYS | set(source_kind.Options.KEYS))
    return Source(name=name, type=kind, options=source_kind.Options.read(table))


def from_settings(values: Mapping[str, Any]) -> Source:
    """A source from its plain values (Source.settings(), as Scrapy settings carry it)."""
    kind = source_type(values["type"])
    return Source(
        name=values["name"],
        type=values["type"],
        options=kind.Options(**values.get("options", {})),
        every=values.get("every"),
    )
