"""What every source type is made of: its options, the leads it reads, and what the crawl offers it.

A source type (crawler/sources/<type>.py) declares an options dataclass that reads and checks its
own keys of a [[sources]] table, the requests a crawl of it starts, and how it reads an answer into
leads. It reaches the rest of the crawl only through `Crawl`, which the spider implements: counts,
failures, state to keep until the next crawl, and the article request each lead becomes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from crawler.values import Range, duration_problem, parse_duration

if TYPE_CHECKING:
    import scrapy
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from crawler.items import PageItem

T = TypeVar("T")
GOOGLE_NEWS_ENDPOINT = "https://news.google.com"


class SourceConfigError(ValueError):
    """A [[sources]] table that cannot be used: "[sources 'x'] key problem." (one sentence; the
    configuration reader puts the file's name in front)."""


@dataclass(frozen=True, slots=True)
class Lead:
    """An article address a channel told us about, with what the channel said of it."""

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


@dataclass(frozen=True, slots=True)
class OptionTable:
    """One [[sources]] table as a source type reads it: typed values, or a SourceConfigError in
    the words the rest of the file's errors use."""

    table: Mapping[str, Any]
    where: str  # "sources 'yna'"
    terms: tuple[str, ...] = ()  # every watch's terms once: the default searches

    def error(self, key: str, problem: str) -> SourceConfigError:
        return SourceConfigError(f"[{self.where}] {key} {problem}.")

    def keys(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.error(repr(key), f"is not a known key (known: {known})")

    def string(self, key: str, *, required: bool = False, default: str = "") -> str:
        if key not in self.table:
            if required:
                raise self.error(key, "is missing")
            return default
        value = self.table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def address(self, key: str, *, required: bool = False, default: str = "") -> str:
        """An http(s) URL (a feed, an endpoint); `default` when the key is absent."""
        value = self.string(key, required=required)
        if value and not value.startswith(("http://", "https://")):
            raise self.error(key, f"must start with http:// or https://, not {value!r}")
        return value or default

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of non-empty strings; one string is read as a list of one."""
        value = self.table.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise self.error(key, "must be a list of non-empty strings")
        return tuple(item.strip() for item in value)

    def integer(self, key: str, allowed: Range, *, default: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not allowed.holds(value):
            raise self.error(key, f"must be a whole number {allowed.words()}, not {value!r}")
        return value

    def duration(self, key: str, allowed: Range, *, default: float) -> float:
        value = self.table.get(key)
        if value is None:
            return default
        problem = duration_problem(value, allowed)
        if problem:
            raise self.error(key, problem)
        assert isinstance(value, str)  # duration_problem refuses anything else
        return parse_duration(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {value!r}")
        return value


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """A source type's own keys, read and checked by `read`; each type subclasses it."""

    KEYS: ClassVar[tuple[str, ...]] = ()  # the keys it takes besides name, type and every
    RANGES: ClassVar[Mapping[str, Range]] = {}  # the range of each of its numbers, by key

    @classmethod
    def read(cls, table: OptionTable) -> SourceOptions:
        """The options of one [[sources]] table; raises SourceConfigError."""
        raise NotImplementedError

    @property
    def address(self) -> str:
        """What the summaries name as the source's address (its feed, its endpoint)."""
        return ""

    def google_links(self) -> tuple[str, bool]:
        """Where Google News links among its leads are decoded, and whether with requests to
        Google (when they do not decode offline)."""
        return GOOGLE_NEWS_ENDPOINT, True

    def values(self) -> dict[str, Any]:
        """The options as plain values, the form Scrapy settings carry."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True, slots=True)
class Source:
    """One configured discovery channel: its name, its type, that type's options."""

    name: str
    type: str
    options: SourceOptions
    every: str | None = None  # its own crawl schedule (cron or interval); None: [schedule] crawl

    @property
    def address(self) -> str:
        return self.options.address

    def settings(self) -> dict[str, Any]:
        """The source as plain values, the form Scrapy settings carry (NEWSWATCH_SOURCES)."""
        return {
            "name": self.name,
            "type": self.type,
            "every": self.every,
            "options": self.options.values(),
        }


class Crawl(Protocol):
    """What the crawl (the spider) offers a source type while it runs."""

    def count(self, source: str, what: str, n: int = 1) -> None:
        """Add to the source's count `what` (crawler/counts.py)."""

    def switched_off(self, source: str, why: str) -> None:
        """The source does not run this crawl, on purpose (not a failure)."""

    def channel_failed(self, source: str, url: str, reason: str) -> None:
        """The source's own channel (feed, API, probe) could not be read at `url`."""

    def source_failed(self, failure: Failure) -> None:
        """Errback for a source's own requests: the source failed, with the reason."""

    def remember(self, source: str, **state: str | None) -> None:
        """State to keep until the next crawl (validators, watermarks), saved only if the
        source ends this crawl without a failure."""

    def remembered(self, source: str) -> Mapping[str, Any]:
        """What this crawl has remembered for the source so far."""

    def follow(self, lead: Lead, source: Source) -> Iterator[scrapy.Request]:
        """The request(s) that fetch a lead's article (Google News links decoded first)."""

    def read_article(
        self, response: Response, source: Source, lead: Lead, *, remember_not_article: bool
    ) -> Iterator[PageItem]:
        """The fetched page of a lead, as the pipelines take it."""

    async def parse_aside(self, function: Callable[..., T], *args: object) -> T:
        """function(*args), a pure parse of an answer, in the extraction workers if any."""


OptionsT = TypeVar("OptionsT", bound=SourceOptions)


class SourceType(Generic[OptionsT]):
    """One kind of source: built for one configured source and one crawl.

    Subclasses set `name` (the `type` in the file) and `Options`, and implement `start`; their
    callbacks are their own methods. State kept between crawls arrives in `start` and is handed
    back with `Crawl.remember`.
    """

    name: ClassVar[str]
    Options: ClassVar[type[SourceOptions]]

    def __init__(self, source: Source, crawl: Crawl) -> None:
        self.source = source
        self.options: OptionsT = source.options  # type: ignore[assignment]
        self.crawl = crawl

    def start(self, state: Mapping[str, Any]) -> Iterable[scrapy.Request]:
        """The crawl's first requests for this source; `state` is what the last crawl kept."""
        raise NotImplementedError

    def original_lead(self, item: PageItem) -> Lead | None:
        """Another address to read when a page of this source gave no article (a portal copy
        whose layout cannot be read), or None."""
        return None
