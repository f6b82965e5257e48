"""The values one number or duration in the configuration file may take, and how they are said.

Shared by the configuration reader (newswatch/config.py) and the source types that read their own
options (crawler/sources/), so both refuse a value in the same words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class Range:
    """The values one number in the file may take: finite, from `low` (excluded when `above`) to
    `high`. The documentation's tables give each key's range in the words `words()` returns."""

    low: float
    high: float
    above: bool = False  # "more than low": low itself is not allowed
    unit: str = ""  # what the number counts, for the message ("seconds")

    def holds(self, value: float) -> bool:
        # A float is checked for nan and inf; an int (TOML's may have hundreds of digits, which
        # no float holds) is compared as it is.
        if isinstance(value, float) and not math.isfinite(value):
            return False
        return (value > self.low if self.above else value >= self.low) and value <= self.high

    def words(self) -> str:
        low, high = (f"{int(v):,}" if v == int(v) else f"{v:,}" for v in (self.low, self.high))
        unit = f" {self.unit}" if self.unit else ""
        if self.above:
            return f"more than {low} and at most {high}{unit}"
        return f"from {low} to {high}{unit}"


def parse_duration(text: str) -> float:
    """Seconds in "30s", "15m", "2h", "1d"; ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * UNIT_SECONDS[match.group(2)]


def duration_words(seconds: float) -> str:
    """Seconds as the file writes them: 0s, 90s, 30m, 2d."""
    for unit in ("d", "h", "m"):
        if seconds and seconds % UNIT_SECONDS[unit] == 0:
            return f"{seconds / UNIT_SECONDS[unit]:g}{unit}"
    return f"{seconds:g}s"


def duration_problem(value: object, allowed: Range) -> str | None:
    """Why `value` is not a duration in `allowed` (the message's end), or None when it is one."""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        if allowed.holds(parse_duration(value)):
            return None
    except ValueError:
        pass
    low, high = duration_words(allowed.low), duration_words(allowed.high)
    more = "more than" if allowed.above else "at least"
    return (
        f'must be a duration such as "30m", "6h" or "2d", {more} {low} and at most'
        f" {high}, not {value!r}"
    )
