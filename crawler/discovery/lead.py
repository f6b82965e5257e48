"""A Lead: an article address a channel told us about, with what the channel said of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lead:
    url: str
    title: str | None = None
    published_at: str | None = None  # ISO 8601 +09:00, as the channel gave it
