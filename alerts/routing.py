"""Which channels want an article: each channel's score threshold, optional terms and watches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from archive.outbox import ChannelRef
from crawler.watch import WatchTerms


@dataclass(frozen=True, slots=True)
class ChannelFilter:
    """A channel as the crawl sees it (the ALERTS_CHANNELS setting): no URL, no secret."""

    ref: ChannelRef
    min_score: int
    terms: WatchTerms | None
    follow_up_outlets: int = 3
    watches: frozenset[str] = frozenset()  # only articles matching one of these; empty: all

    @classmethod
    def of(cls, spec: Mapping[str, Any]) -> ChannelFilter:
        terms = tuple(spec.get("terms") or ())
        return cls(
            ref=ChannelRef(
                id=str(spec["id"]),
                label=str(spec["label"]),
                follow_up_outlets=int(spec.get("follow_up_outlets", 3)),
            ),
            min_score=int(spec.get("min_score", 1)),
            terms=WatchTerms.of(terms) if terms else None,
            follow_up_outlets=int(spec.get("follow_up_outlets", 3)),
            watches=frozenset(spec.get("watches") or ()),
        )

    def wants(self, *, title: str, text: str, relevance: int, watches: Iterable[str] = ()) -> bool:
        if relevance < self.min_score:
            return False
        if self.watches and self.watches.isdisjoint(watches):
            return False
        # Same folding as the watch (case, width, spacing), so "엑사원" finds "엑사원을".
        return self.terms is None or self.terms.score(title, text) > 0


def filters(specs: Iterable[Mapping[str, Any]]) -> tuple[ChannelFilter, ...]:
    return tuple(ChannelFilter.of(spec) for spec in specs)


def wanted_by(
    channels: Sequence[ChannelFilter],
    *,
    title: str,
    text: str,
    relevance: int,
    watches: Sequence[str] = (),
) -> list[ChannelRef]:
    """The channels that want an article, each once however many watches it matches."""
    return [
        c.ref
        for c in channels
        if c.wants(title=title, text=text, relevance=relevance, watches=watches)
    ]
