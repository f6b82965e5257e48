"""Loads and validates newswatch.toml into plain, immutable values.

The file format is public (other tools and tests write it), so every key is declared here with its
type, and anything unknown or mistyped stops the program with one sentence naming the file, the key
and the problem.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger

# The shipped default: the LG AI Research watch with real Korean sources.
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "newswatch.toml"
ENV_VAR = "NEWSWATCH_CONFIG"

SOURCE_TYPES = ("rss",)

# Every key the file may hold, by table; README.md documents each (tests/test_docs.py checks).
KEYS: dict[str, frozenset[str]] = {
    "archive": frozenset({"path"}),
    "watch": frozenset({"name", "terms"}),
    "crawl": frozenset({"delay", "allow_private"}),
    "sources": frozenset({"name", "type", "url", "every"}),
    "schedule": frozenset({"crawl", "alerts", "crawl_timeout", "misfire_grace_time", "grace"}),
}


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is one sentence a person can act on."""


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    type: str
    url: str
    every: str | None = None  # its own crawl schedule (cron or interval); None: [schedule] crawl


@dataclass(frozen=True, slots=True)
class Watch:
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Crawl:
    delay: float = 1.0
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the scheduler crawls and delivers alerts; each is a cron expression or an interval."""

    crawl: str = "*/15 * * * *"
    alerts: str = "1m"
    crawl_timeout: float = 1800.0  # seconds before a hung crawl is stopped and recorded as failed
    misfire_grace_time: float = 300.0  # seconds a run may start late (APScheduler's default is 1)
    grace: float = 30.0  # seconds a stopping crawl gets to finish its current articles


# An interval such as "30s", "15m", "1h" or "1d"; anything else must be a 5-field cron expression.
_INTERVAL = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def interval_seconds(every: str) -> int | None:
    """Seconds of an interval such as "15m", or None when `every` is not an interval."""
    match = _INTERVAL.match(every.strip())
    return int(match[1]) * _UNIT_SECONDS[match[2]] if match else None


def check_every(every: str) -> str | None:
    """Why `every` is not a usable schedule, or None when it is."""
    seconds = interval_seconds(every)
    if seconds is not None:
        return None if seconds > 0 else "must be a positive interval"
    fields = every.split()
    if len(fields) == 5 and any(c.isdigit() for c in fields[4]):
        # APScheduler 3 counts weekdays from Monday = 0, cron from Sunday = 0; names are clear.
        return "must name weekdays (mon-fri, sun), not number them"
    try:
        CronTrigger.from_crontab(every, timezone="Asia/Seoul")
    except ValueError as exc:
        return f"is neither an interval (30s, 15m, 1h, 1d) nor a cron expression ({exc})"
    return None


@dataclass(frozen=True, slots=True)
class Config:
    path: Path  # the file this came from
    archive_path: Path
    watch: Watch
    crawl: Crawl = field(default_factory=Crawl)
    sources: tuple[Source, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The file to use: --config, $NEWSWATCH_CONFIG, ./newswatch.toml, then the shipped default."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    local = Path("newswatch.toml")
    if local.is_file():
        return local
    return DEFAULT_CONFIG


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate a config file; raise ConfigError with a one-line reason."""
    file = find_config(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the config file ({exc.strerror or exc}).") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: the config file is not UTF-8 text.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc}).") from exc
    return parse_config(data, file)


def parse_config(data: dict[str, Any], file: Path) -> Config:
    reader = _Reader(file)
    reader.keys(data, "", set(KEYS))

    archive = reader.table(data, "archive")
    reader.keys(archive, "archive", KEYS["archive"])
    archive_path = Path(reader.string(archive, "archive", "path", default="newswatch.db"))
    if not archive_path.is_absolute() and file.resolve() != DEFAULT_CONFIG:
        # A relative path in a user's file means "next to this file", so a scheduled job behaves the
        # same whatever its working directory; the shipped default writes ./newswatch.db.
        archive_path = file.resolve().parent / archive_path

    watch_table = reader.table(data, "watch", required=True)
    reader.keys(watch_table, "watch", KEYS["watch"])
    terms = reader.string_list(watch_table, "watch", "terms", required=True)
    if not terms:
        raise ConfigError(f"{file}: [watch] terms is empty; list at least one term to watch for.")
    watch = Watch(name=reader.string(watch_table, "watch", "name", default=terms[0]), terms=terms)

    crawl_table = reader.table(data, "crawl")
    reader.keys(crawl_table, "crawl", KEYS["crawl"])
    delay = reader.number(crawl_table, "crawl", "delay", default=1.0)
    if delay < 0:
        raise ConfigError(f"{file}: [crawl] delay must be 0 or more seconds, not {delay}.")
    crawl = Crawl(
        delay=delay,
        allow_private=reader.boolean(crawl_table, "crawl", "allow_private", default=False),
    )

    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{file}: 'sources' must be an array of tables ([[sources]]).")
    sources: list[Source] = []
    for index, entry in enumerate(raw_sources, start=1):
        where = f"sources #{index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{file}: [[sources]] entry #{index} is not a table.")
        reader.keys(entry, where, KEYS["sources"])
        name = reader.string(entry, where, "name", required=True)
        where = f"sources '{name}'"
        kind = reader.string(entry, where, "type", required=True)
        if kind not in SOURCE_TYPES:
            raise ConfigError(
                f"{file}: [{where}] unknown type {kind!r}; known types: {', '.join(SOURCE_TYPES)}."
            )
        url = reader.string(entry, where, "url", required=True)
        if not url.startswith(("http://", "https://")):
            raise ConfigError(
                f"{file}: [{where}] url must start with http:// or https://, not {url!r}."
            )
        if any(s.name == name for s in sources):
            raise ConfigError(f"{file}: source name {name!r} is used twice; names must be unique.")
        every = reader.schedule(entry, where, "every") if "every" in entry else None
        sources.append(Source(name=name, type=kind, url=url, every=every))

    schedule_table = reader.table(data, "schedule")
    reader.keys(schedule_table, "schedule", KEYS["schedule"])
    defaults = Schedule()
    schedule = Schedule(
        crawl=reader.schedule(schedule_table, "schedule", "crawl", default=defaults.crawl),
        alerts=reader.schedule(schedule_table, "schedule", "alerts", default=defaults.alerts),
        crawl_timeout=reader.seconds(
            schedule_table, "schedule", "crawl_timeout", default=defaults.crawl_timeout
        ),
        misfire_grace_time=reader.seconds(
            schedule_table, "schedule", "misfire_grace_time", default=defaults.misfire_grace_time
        ),
        grace=reader.seconds(schedule_table, "schedule", "grace", default=defaults.grace),
    )

    return Config(
        path=file,
        archive_path=archive_path,
        watch=watch,
        crawl=crawl,
        sources=tuple(sources),
        schedule=schedule,
    )


@dataclass(frozen=True, slots=True)
class _Reader:
    """Typed access to one file's tables, raising ConfigError that names the file and the key."""

    file: Path

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
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(where, key, f"must be a number, not {value!r}")
        return float(value)

    def schedule(self, table: dict[str, Any], where: str, key: str, *, default: str = "") -> str:
        value = self.string(table, where, key, default=default)
        problem = check_every(value)
        if problem:
            raise self._fail(where, key, f"{value!r} {problem}")
        return value

    def seconds(self, table: dict[str, Any], where: str, key: str, *, default: float) -> float:
        value = self.number(table, where, key, default=default)
        if value <= 0:
            raise self._fail(where, key, f"must be a positive number of seconds, not {value:g}")
        return value

    def boolean(self, table: dict[str, Any], where: str, key: str, *, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(where, key, f"must be true or false, not {value!r}")
        return value
