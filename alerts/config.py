"""The alerts' part of the configuration: one `AlertChannel` per [[alerts]] table.

newswatch.config reads and checks the file and builds these values; the alerts layer owns their
shape, so nothing in alerts/ imports newswatch (the layer above it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

ALERT_MODES = ("each", "digest")


@dataclass(frozen=True, slots=True)
class AlertChannel:
    """One [[alerts]] table: an apprise URL and what it wants to hear about.

    `url` is expanded from the environment and may hold secrets, so it is kept out of repr();
    `template` is the URL as written (with ${VAR} references), and `id` is a hash of it, stable
    when a secret rotates and safe to store in the archive.
    """

    template: str
    url: str = field(repr=False)
    mode: str = "each"
    min_score: int = 1
    terms: tuple[str, ...] = ()
    watches: tuple[str, ...] = ()  # only stories matching one of these watches; () for all
    max_attempts: int = 8
    backoff: float = 60.0  # seconds before the first retry; doubles with each failure
    follow_up_outlets: int = 3  # a story grown by this many outlets gets one follow-up message
    secrets: tuple[str, ...] = field(default=(), repr=False)  # expanded values, to mask

    @property
    def id(self) -> str:
        return hashlib.sha256(self.template.encode("utf-8")).hexdigest()[:16]


class WatchedSource(Protocol):
    """What the alerts read of a configured source, for source-health notices: its name and
    where it reads from."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...


class AlertsConfig(Protocol):
    """What delivery, health and status read of the configuration (newswatch.config.Config)."""

    @property
    def archive_path(self) -> Path: ...
    @property
    def alerts(self) -> Sequence[AlertChannel]: ...
    @property
    def sources(self) -> Sequence[WatchedSource]: ...
