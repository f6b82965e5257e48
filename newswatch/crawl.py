"""Running one crawl: configuration → Scrapy settings → a finished crawl_runs row.

One crawl per process: Twisted's reactor cannot be restarted, so the scheduler starts a new
`newswatch crawl` process for every run (DESIGN.md, "Scheduling").
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive import Archive
from crawler.extensions import STAT_RUN_ID
from crawler.spiders.news import NewsSpider
from newswatch.config import Config


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
        "WATCH_TERMS": list(config.watch.terms),
        "NEWSWATCH_SOURCES": [source.settings() for source in config.sources],
        "NEWSWATCH_ALLOW_PRIVATE": config.crawl.allow_private,
        "DOWNLOAD_DELAY": config.crawl.delay,
        # AutoThrottle never goes below DOWNLOAD_DELAY; start it there, not at its 5 s default.
        "AUTOTHROTTLE_START_DELAY": config.crawl.delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if config.crawl.delay > 0 else 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.crawl.concurrency,
        # AutoThrottle aims at this many requests in flight per host; never more than allowed.
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(config.crawl.concurrency),
        "POLITENESS_ADAPTIVE": config.crawl.adaptive,
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
            "follow_up_outlets": c.follow_up_outlets,
        }
        for c in config.alerts
    ]


@dataclass(frozen=True, slots=True)
class CrawlResult:
    run: dict[str, Any]  # the crawl_runs row with its per-source rows under "sources"


def run_crawl(
    config: Config,
    *,
    log_level: str = "WARNING",
    progress: bool = False,
    alert_backfill: bool = False,
    only: Sequence[str] = (),
) -> CrawlResult:
    """Run one crawl of every configured source (or of those named in `only`), in this process."""
    if only:
        unknown = sorted(set(only) - {s.name for s in config.sources})
        if unknown:
            raise KeyError(", ".join(unknown))
        config = dataclasses.replace(
            config, sources=tuple(s for s in config.sources if s.name in only)
        )
    # Create the archive (and its schema) before Scrapy starts, so an unusable path fails here
    # with a clear error instead of inside a component.
    Archive(config.archive_path).close()
    process = CrawlerProcess(
        crawl_settings(
            config, log_level=log_level, progress=progress, alert_backfill=alert_backfill
        )
    )
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler)
    process.start()
    logging.getLogger(__name__).debug("crawl finished")
    assert crawler.stats is not None
    run_id = crawler.stats.get_value(STAT_RUN_ID)
    with Archive(config.archive_path) as archive:
        run = archive.run(run_id) if run_id else {"status": "failed", "sources": []}
    return CrawlResult(run=run)
