"""Per-source crawl counters, kept in Scrapy's stats as `source/{name}/{count}`."""

from __future__ import annotations

from collections import defaultdict

from scrapy.statscollectors import StatsCollector

PREFIX = "source/"


def count(stats: StatsCollector | None, source: str, name: str, value: int = 1) -> None:
    if stats is not None:
        stats.inc_value(f"{PREFIX}{source}/{name}", value)


def per_source(stats: dict[str, object]) -> dict[str, dict[str, int]]:
    """{source: {count: value}} from a stats dict."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            source, _, name = key[len(PREFIX) :].rpartition("/")
            table[source][name] = value
    return dict(table)
