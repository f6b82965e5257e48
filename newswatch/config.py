"""Loads and validates newswatch.toml into plain, immutable values.

The file format is public (other tools and tests write it), so every key is declared here with its
type, and anything unknown or mistyped stops the program with one sentence naming the file, the key
and the problem. The file is read once, here; each layer owns the shape of its own part and gets
it handed down: alert channels (alerts.config.AlertChannel), the schedule (scheduler.Schedule).
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alerts.config import ALERT_MODES, AlertChannel
from crawler.sources import registry
from crawler.sources.base import Source, SourceConfigError
from newswatch.config_reader import ConfigError, Range

# Under its old private name: the [[sources]] readers below take it by that name.
from newswatch.config_reader import Reader as _Reader
from scheduler import Schedule

# The shipped default: the LG AI Research watch with real Korean sources.
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "newswatch.toml"
ENV_VAR = "NEWSWATCH_CONFIG"

# Keys each source type takes besides name and type (crawler/sources/; docs/sources.md).
SOURCE_KEYS: dict[str, frozenset[str]] = registry.option_keys()
SOURCE_TYPES = registry.names()

# Every key the file may hold, by table; docs/configuration.md documents each (tests/test_docs.py
# checks).
KEYS: dict[str, frozenset[str]] = {
    "archive": frozenset({"path"}),
    "watch": frozenset({"name", "terms", "exclude"}),
    "watches": frozenset({"name", "terms", "exclude"}),
    "crawl": frozenset(
        {
            "delay",
            "allow_private",
            "timeout",
            "concurrency",
            "adaptive",
            "extract_workers",
            "max_host_wait",
        }
    ),
    "sources": registry.COMMON_KEYS.union(*SOURCE_KEYS.values()),
    "schedule": frozenset({"crawl", "alerts", "crawl_timeout", "misfire_grace_time", "grace"}),
    "alerts": frozenset(
        {
            "url",
            "mode",
            "min_score",
            "terms",
            "watches",
            "max_attempts",
            "backoff",
            "follow_up_outlets",
        }
    ),
}


# The range of every number the file holds, by "table.key" (docs/configuration.md, "Keys"). Upper
# bounds keep each value one the code can use: beyond them waits overflow a timedelta, a crawl
# never sends a request, or a pool forks hundreds of processes; none is a useful setting.
RANGES: dict[str, Range] = {
    "crawl.delay": Range(0, 3600, unit="seconds"),
    "crawl.timeout": Range(0, 3600, above=True, unit="seconds"),
    "crawl.max_host_wait": Range(1, 3600, unit="seconds"),
    "crawl.concurrency": Range(1, 100),
    "crawl.extract_workers": Range(0, 256),
    # Each source type declares the ranges of its own numbers (crawler/sources/).
    **{f"sources.{key}": allowed for key, allowed in registry.option_ranges().items()},
    "schedule.crawl_timeout": Range(0, 7 * 86400, above=True, unit="seconds"),
    "schedule.misfire_grace_time": Range(0, 86400, above=True, unit="seconds"),
    "schedule.grace": Range(0, 3600, above=True, unit="seconds"),
    "alerts.min_score": Range(0, 1_000_000),
    "alerts.max_attempts": Range(1, 100),
    "alerts.backoff": Range(0, 6 * 3600, unit="seconds"),
    "alerts.follow_up_outlets": Range(1, 1000),
}

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Watch:
    """One [[watches]] table: what users call it, the terms that match, the terms that veto."""

    name: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    def settings(self) -> dict[str, Any]:
        """The watch as plain values, the form Scrapy settings carry (WATCHES)."""
        return {"name": self.name, "terms": list(self.terms), "exclude": list(self.exclude)}


@dataclass(frozen=True, slots=True)
class Crawl:
    delay: float = 1.0
    allow_private: bool = False
    timeout: float = 30.0  # seconds a download may take before it fails (and is retried)
    concurrency: int = 1  # requests in flight at once per host
    adaptive: bool = True  # AutoThrottle: wait longer between requests to a slow host
    extract_workers: int | None = None  # extraction processes; None: one per core, 0: none
    # Seconds: the longest Crawl-delay honoured and the longest a page waits for its host's turn;
    # pages past it wait for the next crawl (crawler/middlewares.py HostBudget).
    max_host_wait: float = 30.0


@dataclass(frozen=True, slots=True)
class Config:
    path: Path  # the file this came from
    archive_path: Path
    watches: tuple[Watch, ...]
    crawl: Crawl = field(default_factory=Crawl)
    sources: tuple[Source, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)
    alerts: tuple[AlertChannel, ...] = ()

    @property
    def watch(self) -> Watch:
        """The first watch: the one a single-watch config has (titles, defaults)."""
        return self.watches[0]

    @property
    def terms(self) -> tuple[str, ...]:
        """Every watch's terms once, in configuration order (the sources' default searches)."""
        return tuple(dict.fromkeys(t for w in self.watches for t in w.terms))

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
    reader = _Reader(file, _table_keys, RANGES)
    reader.keys(data, "", set(KEYS))

    archive = reader.table(data, "archive")
    reader.keys(archive, "archive", KEYS["archive"])
    archive_path = Path(reader.string(archive, "archive", "path", default="newswatch.db"))
    if not archive_path.is_absolute() and file.resolve() != DEFAULT_CONFIG:
        # A relative path in a user's file means "next to this file", so a scheduled job behaves the
        # same whatever its working directory; the shipped default writes ./newswatch.db.
        archive_path = file.resolve().parent / archive_path

    watches = _watches(reader, data)

    crawl_table = reader.table(data, "crawl")
    reader.keys(crawl_table, "crawl", KEYS["crawl"])
    crawl = Crawl(
        delay=reader.number(crawl_table, "crawl", "delay", default=1.0),
        allow_private=reader.boolean(crawl_table, "crawl", "allow_private", default=False),
        timeout=reader.number(crawl_table, "crawl", "timeout", default=30.0),
        concurrency=reader.integer(crawl_table, "crawl", "concurrency", default=1),
        adaptive=reader.boolean(crawl_table, "crawl", "adaptive", default=True),
        max_host_wait=reader.number(crawl_table, "crawl", "max_host_wait", default=30.0),
        extract_workers=(
            reader.integer(crawl_table, "crawl", "extract_workers", default=0)
            if "extract_workers" in crawl_table
            else None
        ),
    )

    sources: list[Source] = []
    for where, entry in reader.array_of_tables(data, "sources"):
        name = reader.string(entry, where, "name", required=True)
        if any(s.name == name for s in sources):
            raise ConfigError(f"{file}: source name {name!r} is used twice; names must be unique.")
        sources.append(_source(reader, entry, name, watches))

    schedule_table = reader.table(data, "schedule")
    reader.keys(schedule_table, "schedule", KEYS["schedule"])
    defaults = Schedule()
    schedule = Schedule(
        crawl=reader.schedule(schedule_table, "schedule", "crawl", default=defaults.crawl),
        alerts=reader.schedule(schedule_table, "schedule", "alerts", default=defaults.alerts),
        crawl_timeout=reader.number(
            schedule_table, "schedule", "crawl_timeout", default=defaults.crawl_timeout
        ),
        misfire_grace_time=reader.number(
            schedule_table, "schedule", "misfire_grace_time", default=defaults.misfire_grace_time
        ),
        grace=reader.number(schedule_table, "schedule", "grace", default=defaults.grace),
    )

    return Config(
        path=file,
        archive_path=archive_path,
        watches=watches,
        crawl=crawl,
        sources=tuple(sources),
        schedule=schedule,
        alerts=_alert_channels(reader, data, watches),
    )


def _watches(reader: _Reader, data: dict[str, Any]) -> tuple[Watch, ...]:
    """[[watches]], or the old single [watch] table read as one watch; never both."""
    file = reader.file
    if "watch" in data and "watches" in data:
        raise ConfigError(
            f"{file}: has both [watch] and [[watches]]; move the [watch] table into [[watches]]."
        )
    if "watch" in data:
        table = reader.table(data, "watch")
        reader.keys(table, "watch", KEYS["watch"])
        return (_watch(reader, table, "watch", default_name=True),)
    if "watches" not in data:
        raise ConfigError(f"{file}: [[watches]] is missing; add at least one watch with its terms.")
    watches: list[Watch] = []
    for where, entry in reader.array_of_tables(data, "watches"):
        watch = _watch(reader, entry, where, default_name=False)
        if any(w.name == watch.name for w in watches):
            raise ConfigError(
                f"{file}: watch name {watch.name!r} is used twice; names must be unique."
            )
        watches.append(watch)
    if not watches:
        raise ConfigError(f"{file}: [[watches]] is empty; add at least one watch with its terms.")
    return tuple(watches)


def _watch(reader: _Reader, table: dict[str, Any], where: str, *, default_name: bool) -> Watch:
    terms = reader.string_list(table, where, "terms", required=True)
    if not terms:
        raise ConfigError(
            f"{reader.file}: [{where}] terms is empty; list at least one term to watch for."
        )
    name = (
        reader.string(table, where, "name", default=terms[0])
        if default_name
        else reader.string(table, where, "name", required=True)
    )
    return Watch(name=name, terms=terms, exclude=reader.string_list(table, where, "exclude"))


def _source(
    reader: _Reader, entry: dict[str, Any], name: str, watches: tuple[Watch, ...]
) -> Source:
    """One [[sources]] table, its options read by its type (crawler/sources/registry.py)."""
    where = f"sources '{name}'"
    kind = reader.string(entry, where, "type", required=True)
    terms = tuple(dict.fromkeys(t for w in watches for t in w.terms))
    try:
        source = registry.read_source(entry, where, name=name, kind=kind, terms=terms)
    except SourceConfigError as exc:
        raise ConfigError(f"{reader.file}: {exc}") from None
    every = reader.schedule(entry, where, "every") if "every" in entry else None
    return dataclasses.replace(source, every=every)


def _alert_channels(
    reader: _Reader, data: dict[str, Any], watches: tuple[Watch, ...]
) -> tuple[AlertChannel, ...]:
    file = reader.file
    channels: list[AlertChannel] = []
    for where, entry in reader.array_of_tables(data, "alerts"):
        template = reader.string(entry, where, "url", required=True)
        url, secrets = expand_env(template, file=file, where=where)
        mode = reader.string(entry, where, "mode", default="each")
        if mode not in ALERT_MODES:
            raise ConfigError(
                f"{file}: [{where}] mode must be one of {', '.join(ALERT_MODES)}, not {mode!r}."
            )
        channel = AlertChannel(
            template=template,
            url=url,
            mode=mode,
            min_score=reader.integer(entry, where, "min_score", default=1),
            terms=reader.string_list(entry, where, "terms"),
            watches=reader.string_list(entry, where, "watches"),
            max_attempts=reader.integer(entry, where, "max_attempts", default=8),
            backoff=reader.number(entry, where, "backoff", default=60.0),
            follow_up_outlets=reader.integer(entry, where, "follow_up_outlets", default=3),
            secrets=secrets,
        )
        unknown = [name for name in channel.watches if all(w.name != name for w in watches)]
        if unknown:
            known = ", ".join(repr(w.name) for w in watches)
            raise ConfigError(
                f"{file}: [{where}] watches names {unknown[0]!r}, which is no watch"
                f" (known: {known})."
            )
        if any(c.id == channel.id for c in channels):
            raise ConfigError(f"{file}: [{where}] url is listed twice; each channel once.")
        # Imported here: apprise loads its plugins, which only configs with alerts need.
        from alerts.channels import unsupported_reason  # noqa: PLC0415 - loads apprise

        problem = unsupported_reason(channel)
        if problem:
            raise ConfigError(f"{file}: [{where}] url {problem}.")
        channels.append(channel)
    return tuple(channels)


def expand_env(template: str, *, file: Path, where: str) -> tuple[str, tuple[str, ...]]:
    """Replace ${VAR} from the environment; return the URL and the values put in (to mask).

    A value inside a URL is percent-encoded (a password may hold @ or /); a URL that is only
    "${VAR}" takes the variable's value as the whole URL.
    """
    names = _ENV_REF.findall(template)
    missing = [name for name in names if name not in os.environ]
    if missing:
        raise ConfigError(
            f"{file}: [{where}] url refers to ${{{missing[0]}}}, which is not set in the"
            " environment."
        )
    whole = _ENV_REF.fullmatch(template) is not None
    secrets: list[str] = []

    def value(match: re.Match[str]) -> str:
        raw = os.environ[match.group(1)]
        put = raw if whole else quote(raw, safe="")
        secrets.extend(v for v in (raw, put) if v)
        return put

    return _ENV_REF.sub(value, template), tuple(dict.fromkeys(secrets))


def _table_keys(name: str) -> frozenset[str]:
    """The keys a [[name]] entry may have; for sources, those of every type registered now (one
    registered after this module was imported, by a test or a local extension, included)."""
    if name == "sources":
        return registry.COMMON_KEYS.union(*registry.option_keys().values())
    return KEYS[name]
