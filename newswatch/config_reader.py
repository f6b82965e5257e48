"""Typed, checked access to the tables of one TOML file, for newswatch.config.

Every problem is a ConfigError of one sentence naming the file, the table and the key, so a person
can fix the file without reading code. The values a number may take are `Range`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.values import Range, duration_words, parse_duration
from scheduler import check_every


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is one sentence a person can act on."""


def _not_a_duration(value: object) -> float:
    raise ValueError(value)


@dataclass(frozen=True, slots=True)
class Reader:
    """Typed access to one file's tables, raising ConfigError that names the file and the key.

    `table_keys` gives the keys an [[array]] table of that name may hold, `ranges` the range of
    every number by "table.key" (newswatch.config's KEYS and RANGES).
    """

    file: Path
    table_keys: Callable[[str], frozenset[str]] = lambda _name: frozenset()
    ranges: Mapping[str, Range] = field(default_factory=dict)

    def array_of_tables(
        self, data: dict[str, Any], name: str
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each [[name]] entry, its keys checked, with where it is ("sources #2")."""
        raw = data.get(name, [])
        if not isinstance(raw, list):
            raise ConfigError(f"{self.file}: '{name}' must be an array of tables ([[{name}]]).")
        for index, entry in enumerate(raw, start=1):
            if not isinstance(entry, dict):
                raise ConfigError(f"{self.file}: [[{name}]] entry #{index} is not a table.")
            where = f"{name} #{index}"
            self.keys(entry, where, self.table_keys(name))
            yield where, entry

    def error(self, where: str, key: str, problem: str) -> ConfigError:
        return self._fail(where, key, problem)

    def duration(self, table: dict[str, Any], where: str, key: str, *, default: float) -> float:
        value = table.get(key)
        if value is None:
            return default
        allowed = self.range(where, key)
        try:
            seconds = parse_duration(value) if isinstance(value, str) else _not_a_duration(value)
            if not allowed.holds(seconds):
                raise ValueError(value)
        except ValueError:
            low, high = duration_words(allowed.low), duration_words(allowed.high)
            more = "more than" if allowed.above else "at least"
            raise self._fail(
                where,
                key,
                f'must be a duration such as "30m", "6h" or "2d", {more} {low} and at most'
                f" {high}, not {value!r}",
            ) from None
        return seconds

    def _fail(self, where: str, key: str, problem: str) -> ConfigError:
        place = f"[{where}] {key}" if where else key
        return ConfigError(f"{self.file}: {place} {problem}.")

    def keys(self, table: dict[str, Any], where: str, allowed: set[str] | frozenset[str]) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self._fail(where, repr(key), f"is not a known key (known: {known})")

    def table(self, data: dict[str, Any], key: str, *, required: bool = False) -> dict[str, Any]:
        if key not in data:
            if required:
                raise self._fail("", f"[{key}]", "is missing")
            return {}
        value = data[key]
        if not isinstance(value, dict):
            raise self._fail("", key, "must be a table")
        return value

    def string(
        self,
        table: dict[str, Any],
        where: str,
        key: str,
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        if key not in table:
            if required:
                raise self._fail(where, key, "is missing")
            return default
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self._fail(where, key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def string_list(
        self, table: dict[str, Any], where: str, key: str, *, required: bool = False
    ) -> tuple[str, ...]:
        if key not in table:
            if required:
                raise self._fail(where, key, "is missing")
            return ()
        value = table[key]
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise self._fail(where, key, "must be a list of non-empty strings")
        return tuple(item.strip() for item in value)

    def number(self, table: dict[str, Any], where: str, key: str, *, default: float) -> float:
        """A finite number (integer or float) in the key's Range: nan, inf and overflowing
        literals (1e999 is inf) are refused like any value out of range."""
        value = table.get(key, default)
        allowed = self.range(where, key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not allowed.holds(value)
        ):
            raise self._fail(where, key, f"must be a number {allowed.words()}, not {value!r}")
        return float(value)

    def integer(self, table: dict[str, Any], where: str, key: str, *, default: int) -> int:
        value = table.get(key, default)
        allowed = self.range(where, key)
        if isinstance(value, bool) or not isinstance(value, int) or not allowed.holds(value):
            raise self._fail(where, key, f"must be a whole number {allowed.words()}, not {value!r}")
        return value

    def schedule(self, table: dict[str, Any], where: str, key: str, *, default: str = "") -> str:
        value = self.string(table, where, key, default=default)
        problem = check_every(value)
        if problem:
            raise self._fail(where, key, f"{value!r} {problem}")
        return value

    def boolean(self, table: dict[str, Any], where: str, key: str, *, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(where, key, f"must be true or false, not {value!r}")
        return value

    def range(self, where: str, key: str) -> Range:
        """The Range of `key` in the table `where` names ("crawl", "sources 'yna'", "alerts #1")."""
        table = where.split(" ", 1)[0]
        return self.ranges[f"{table}.{key}"]
