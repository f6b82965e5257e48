"""Running one crawl: configuration → Scrapy settings → a finished crawl_runs row.

One crawl per process: Twisted's reactor cannot be restarted, so the scheduler starts a new
`newswatch crawl` process for every run (DESIGN.md, "Scheduling").
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.ossignal import install_shutdown_handlers, signal_names
from twisted.python.failure import Failure

from archive import Archive
from archive.runs import interrupt_abandoned
from crawler.middlewares import CrawlInterrupted
from crawler.spiders.news import NewsSpider
from crawler.workers import start_fork_server
from newswatch.config import Config
from newswatch.locks import crawl_lock
from newswatch.words import Backfill, Mark, analyse_crawled
from pipelines.archive import ArchivePipeline
from pipelines.run_recorder import STAT_ARCHIVE_ERROR, RunRecorder
from pipelines.session import ArchiveSession


def crawl_settings(
    config: Config,
    *,
    log_level: str = "WARNING",
    progress: bool = False,
    alert_backfill: bool = False,
) -> Settings:
    """Scrapy settings for a crawl: the project's settings.py plus what the config file says."""
    settings = Settings()
    settings.setmodule("settings", priority="project")
    overrides: dict[str, Any] = {
        "ARCHIVE_PATH": str(config.archive_path),
        "WATCHES": [watch.settings() for watch in config.watches],
        "NEWSWATCH_SOURCES": [source.settings() for source in config.sources],
        "NEWSWATCH_ALLOW_PRIVATE": config.crawl.allow_private,
        "DOWNLOAD_DELAY": config.crawl.delay,
        "DOWNLOAD_TIMEOUT": config.crawl.timeout,
        # AutoThrottle never goes below DOWNLOAD_DELAY; start it there, not at its 5 s default.
        "AUTOTHROTTLE_START_DELAY": config.crawl.delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if config.crawl.delay > 0 else 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.crawl.concurrency,
        # AutoThrottle aims at this many requests in flight per host; never more than allowed.
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(config.crawl.concurrency),
        "POLITENESS_ADAPTIVE": config.crawl.adaptive,
        "POLITENESS_MAX_WAIT": config.crawl.max_host_wait,
        "EXTRACT_WORKERS": config.crawl.extract_workers,
        "LOG_LEVEL": log_level,
        "ALERTS_CHANNELS": _alert_channels(config),
        "ALERTS_BACKFILL": alert_backfill,
    }
    settings.setdict(overrides, priority="cmdline")
    if progress:
        settings.set(
            "EXTENSIONS",
            settings.getdict("EXTENSIONS") | {"newswatch.progress.CrawlProgress": 500},
            priority="cmdline",
        )
    return settings


def _alert_channels(config: Config) -> list[dict[str, Any]]:
    """The channels as the crawl sees them. Scrapy logs its settings: never a URL in here."""
    if not config.alerts:
        return []
    from alerts.channels import label  # noqa: PLC0415 - loads apprise; only with alerts

    return [
        {
            "id": c.id,
            "label": label(c),
            "min_score": c.min_score,
            "terms": list(c.terms),
            "watches": list(c.watches),
            "follow_up_outlets": c.follow_up_outlets,
        }
        for c in config.alerts
    ]


def _collect_garbage_less_often() -> None:
    """Fewer cyclic garbage collections in the crawl process, which runs one crawl and exits.

    Every request, response and item is a burst of container objects, and Python's default
    (a collection per 700 new objects) kept scanning the same long-lived ones: the modules just
    imported (frozen here, out of every later scan) and the crawl's own state. Few of those objects
    form cycles; reference counting frees the rest. Measured on the throughput mirror, side by
    side: less CPU in the crawl process and less wall time, for more peak memory (garbage in
    cycles waits longer for its collection; bench/RESULTS.md, Throughput).
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


@dataclass(frozen=True, slots=True)
class CrawlResult:
    run: dict[str, Any]  # the crawl_runs row with its per-source rows under "sources"
    signum: int | None = None  # the signal that stopped it, if one did
    # The words analysis of what it stored (newswatch/words.py); None when it did not run (the
    # crawl was stopped, the archive failed, a backfill held the words lock) or did not finish.
    words: Backfill | None = None
    words_problem: str = ""  # why the analysis did not finish, "" when it did or did not run


def run_crawl(
    config: Config,
    *,
    log_level: str = "WARNING",
    progress: bool = False,
    alert_backfill: bool = False,
    only: Sequence[str] = (),
    wait: bool = True,
) -> CrawlResult:
    """Run one crawl of every configured source (or of those named in `only`), in this process.

    Crawls of one archive run one at a time (crawl_lock): with `wait` this one waits for a running
    one to end, without it raises CrawlBusyError.
    """
    if only:
        unknown = sorted(set(only) - {s.name for s in config.sources})
        if unknown:
            raise KeyError(", ".join(unknown))
        config = dataclasses.replace(
            config, sources=tuple(s for s in config.sources if s.name in only)
        )
    with crawl_lock(config.archive_path, wait=wait):
        result, since = _run_crawl(
            config, log_level=log_level, progress=progress, alert_backfill=alert_backfill
        )
        if result.signum is None and since is not None:  # not stopped, the archive took writes
            result = _analyse_words(config, result, since)
        return result


def _analyse_words(config: Config, result: CrawlResult, since: Mark) -> CrawlResult:
    """The words of what the crawl stored, before its alerts go out, with Ctrl-C and SIGTERM
    stopping it at once (Scrapy's handlers, still installed, would wait for a reactor that has
    stopped). What was committed stays; `newswatch words --backfill` does the rest."""
    stopped: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopped.append(signum)
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return dataclasses.replace(result, words=analyse_crawled(config, since))
    except KeyboardInterrupt:
        signum = stopped[0] if stopped else signal.SIGINT
        return dataclasses.replace(
            result, signum=signum, words_problem=f"was stopped by {signal_names[signum]}"
        )
    except (OSError, sqlite3.Error, BrokenProcessPool) as exc:
        return dataclasses.replace(result, words_problem=f"failed: {exc}")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run_crawl(
    config: Config, *, log_level: str, progress: bool, alert_backfill: bool
) -> tuple[CrawlResult, Mark | None]:
    # Already started by the command line, before it imported this module (crawler/workers.py).
    start_fork_server(config.crawl.extract_workers)
    _collect_garbage_less_often()
    run_id, since = _open_run(config.archive_path)
    settings = crawl_settings(
        config, log_level=log_level, progress=progress, alert_backfill=alert_backfill
    )
    settings.set("NEWSWATCH_RUN_ID", run_id, priority="cmdline")
    if log_level != "DEBUG":  # Scrapy's start-up banner (INFO) is for -vv
        logging.getLogger("scrapy.utils.log").addFilter(_below_warning)
    process = StoppableCrawlerProcess(settings)
    quiet_scrapy_noise(log_level)  # after: Scrapy sets its loggers' levels as it starts
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler)
    process.start()
    logging.getLogger(__name__).debug("crawl finished")
    assert crawler.stats is not None
    if process.forced:  # the reactor stopped before the spider closed: end the run here
        _finish_abandoned(crawler)
    with Archive(config.archive_path) as archive:
        run = archive.run(run_id)
    archive_error = crawler.stats.get_value(STAT_ARCHIVE_ERROR)
    if archive_error:  # the run's row may not have taken its end: say why it stopped anyway
        run |= {"status": "failed", "detail": archive_error}
    return CrawlResult(run=run, signum=process.signum), None if archive_error else since


def _finish_abandoned(crawler: Crawler) -> None:
    """What closing the spider would have done, for a crawl whose requests in flight were
    abandoned: commit the archive stage's open batch (its pages are counted as stored), then
    record the run as interrupted with its counts."""
    archive_stage = crawler.get_item_pipeline(ArchivePipeline)
    if archive_stage is not None:
        archive_stage.close_spider()
    recorder = crawler.get_extension(RunRecorder)
    if recorder is not None:
        recorder.spider_closed("interrupted")
    session = crawler.get_extension(ArchiveSession)
    if session is not None:
        session.close()


class ArchiveUnusableError(Exception):
    """The archive takes no writes (read-only, full, locked): nothing was fetched."""


def _open_run(path: Path) -> tuple[int, Mark]:
    """Write the crawl's crawl_runs row before anything is fetched: an archive that cannot take it
    (read-only, a full disk, a write lock held past the busy timeout) fails here, in one line,
    with no request sent. Runs left 'running' by a killed crawl are recorded as interrupted: this
    process holds the crawl lock, so no other crawl is running on the archive. The Mark is where
    the archive stood: what the words analysis after the crawl starts from."""
    try:
        with Archive(path) as archive:
            interrupt_abandoned(archive.db)
            return archive.start_run(os.getpid()), Mark.of(archive.db)
    except (OSError, sqlite3.Error) as exc:
        raise ArchiveUnusableError(f"cannot write to the archive {path}: {exc}") from exc


class StoppableCrawlerProcess(CrawlerProcess):
    """A CrawlerProcess whose Ctrl-C and SIGTERM stop the crawl in seconds, saying so.

    Scrapy's first signal closes the spider gracefully, which waits for every request in flight:
    a hung download (up to DOWNLOAD_TIMEOUT and its retries) or a host's Crawl-delay could hold
    it for minutes, silently. Here the first signal says at once that the crawl is stopping,
    starts no new request, and gives what is in flight STOP_GRACE seconds; then, or at a second
    signal, the reactor stops and the run is recorded as interrupted (`_run_crawl`).
    (`_signal_shutdown` and `_signal_kill` are the handlers Scrapy installs; see scrapy/crawler.py.)
    """

    STOP_GRACE = 5.0  # seconds

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.forced = False
        self.signum: int | None = None

    def _signal_shutdown(self, signum: int, _: Any) -> None:
        install_shutdown_handlers(self._signal_kill)
        _reactor().callFromThread(self._stop_soon, signum)

    def _signal_kill(self, signum: int, _: Any) -> None:
        install_shutdown_handlers(signal.SIG_IGN)
        _reactor().callFromThread(self._force_stop, f"{signal_names[signum]} again: stopping now")

    def _stop_soon(self, signum: int) -> None:
        self.signum = signum
        _say(
            f"{signal_names[signum]}: stopping the crawl; no new requests, {self.STOP_GRACE:g} s"
            " for those in flight (again to stop at once)"
        )
        for crawler in self.crawlers:
            _abandon_queued(crawler)
        self._graceful_stop_reactor()
        _reactor().callLater(
            self.STOP_GRACE, self._force_stop, "requests still in flight: abandoned"
        )

    def _force_stop(self, why: str) -> None:
        reactor = _reactor()
        if not reactor.running or self.forced:
            return
        self.forced = True
        _say(why)
        reactor.stop()


def _reactor() -> Any:
    """The reactor Scrapy installed (imported late: importing it earlier would install the
    default one)."""
    from twisted.internet import reactor  # noqa: PLC0415

    return reactor


def _abandon_queued(crawler: Crawler) -> None:
    """Fail the requests waiting in the downloader's slots for their host's delay: the crawl is
    stopping and will not wait for them (they stay unknown; the next crawl reads them)."""
    engine = crawler.engine
    if engine is None:
        return
    for slot in engine.downloader.slots.values():
        if slot.latercall is not None:
            slot.latercall.cancel()
            slot.latercall = None
        while slot.queue:
            request, waiting = slot.queue.popleft()
            waiting.errback(Failure(CrawlInterrupted(f"not fetching {request.url}: stopping")))


def _say(line: str) -> None:
    print(f"newswatch: {line}", file=sys.stderr, flush=True)


class _Noise(logging.Filter):
    """Scrapy's own reports of failures the spider already reports in one line each."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # robots.txt that cannot be fetched: the request it guarded then fails (or is read) and
        # the spider says so; Scrapy's line comes with a 35-line traceback.
        return not message.startswith(("Error downloading <GET", "Gave up retrying"))


def _below_warning(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def quiet_scrapy_noise(log_level: str) -> None:
    """At -v and below: no Scrapy start-up banner, component lists or stats dump (INFO), and no
    traceback from its middlewares for a failure newswatch reports itself. -vv shows all of it."""
    if log_level == "DEBUG":
        return
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    noise = _Noise()
    for name in (
        "scrapy.downloadermiddlewares.robotstxt",
        "scrapy.downloadermiddlewares.retry",
        "scrapy.core.scraper",
    ):
        logging.getLogger(name).addFilter(noise)
