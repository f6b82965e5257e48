"""A Lead: an article address a channel told us about, with what the channel said of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lead:
    url: str
    title: str | None = None
    published_at: str | None = None  # ISO 8601 +09:00, as the channel gave it
    # Other addresses of the same article the channel named (Naver's originallink, the Google
    # News link a URL was decoded from): recorded with the article, and checked before fetching.
    alternates: tuple[str, ...] = ()
    outlet: str | None = None  # the outlet's name, when the channel gives it

    @property
    def urls(self) -> tuple[str, ...]:
        return (self.url, *self.alternates)
