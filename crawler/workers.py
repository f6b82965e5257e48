"""How the extraction workers start: from a fork server that has already imported what they run.

Kept free of heavy imports (no Scrapy, Twisted, numpy or lxml), so that `newswatch crawl` can start
the fork server first thing (newswatch/commands/crawl.py): its imports of lxml and trafilatura then
run on the second core while the crawl process imports Scrapy, instead of holding up the pool when
the crawl is ready. Measured on the throughput mirror: the pool waited for the server when it was
started after Scrapy's imports (bench/RESULTS.md, Throughput).
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.forkserver
import os
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

# What a worker runs: pages (crawler.reading.read_for_crawl, with the extraction engine it loads),
# feeds (crawler.sources.feeds.read_feed, with feedparser) and, after the crawl, the words
# analysis (crawler.words.analyse_texts, with mecab-ko).
PRELOAD = ["crawler.reading", "crawler.extraction", "crawler.words", "crawler.sources.feeds"]


@dataclass(frozen=True, slots=True)
class Named:
    """A module-level function named by its import path, so the crawl process can send it to a
    worker without importing it: a worker's fork server has PRELOAD imported, and the crawl
    process then never loads the extraction engine (trafilatura, dateparser) it leaves to them.
    Like Scrapy's load_object for components named in settings; pickled as the two names."""

    module: str
    name: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.name)(*args, **kwargs)


def extract_workers(value: object) -> int:
    """The EXTRACT_WORKERS setting as a count: None (unset) means one worker per core."""
    if value is None or value == "":
        return os.cpu_count() or 1
    workers = int(value)  # type: ignore[call-overload]
    if workers < 0:
        raise ValueError(f"EXTRACT_WORKERS must be 0 or more, not {workers}")
    return workers


def worker_context() -> BaseContext:
    """The fork server where the platform has one (spawn elsewhere), with its imports set."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return context


def start_fork_server(setting: object) -> None:
    """Start the workers' fork server now, if the crawl will have workers (`setting`, as for
    extract_workers) and this platform has one. It returns at once; the server imports PRELOAD
    beside whatever this process does next. Starting a running server again does nothing."""
    if extract_workers(setting) > 0 and worker_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()
