"""Per-source crawl counters and outcomes, kept in Scrapy's stats.

Counters are `source/{name}/{count}` integers. A source whose own channel (feed, sitemap, API)
could not be read also leaves its reason, `source_failure/{name}`, and one that could not run as
configured (Naver without credentials) its reason for being off, `source_off/{name}`: the crawl
summary, `crawl_run_sources` and `newswatch runs` name them instead of showing a row of zeros.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scrapy.statscollectors import StatsCollector

PREFIX = "source/"
FAILURE = "source_failure/"
OFF = "source_off/"


def count(stats: StatsCollector | None, source: str, name: str, value: int = 1) -> None:
    if stats is not None:
        stats.inc_value(f"{PREFIX}{source}/{name}", value)


def channel_failed(stats: StatsCollector | None, source: str, reason: str) -> None:
    """The source's own request failed: counted, and its first reason kept for the summary."""
    count(stats, source, "feed_failed")
    if stats is not None and stats.get_value(f"{FAILURE}{source}") is None:
        stats.set_value(f"{FAILURE}{source}", reason)


def switched_off(stats: StatsCollector | None, source: str, reason: str) -> None:
    """The source cannot run as configured: it is off for this crawl, with the reason."""
    count(stats, source, "skipped")
    if stats is not None:
        stats.set_value(f"{OFF}{source}", reason)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # "ok", "failed" (its own channel could not be read) or "off" (cannot run)
    reason: str = ""


def outcome(stats: dict[str, object], source: str) -> Outcome:
    """What became of one source in a crawl, from the crawl's stats."""
    off = stats.get(f"{OFF}{source}")
    if off:
        return Outcome("off", str(off))
    failure = stats.get(f"{FAILURE}{source}")
    if failure:
        return Outcome("failed", str(failure))
    return Outcome("ok")


def per_source(stats: dict[str, object]) -> dict[str, dict[str, int]]:
    """{source: {count: value}} from a stats dict."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            source, _, name = key[len(PREFIX) :].rpartition("/")
            table[source][name] = value
    return dict(table)
