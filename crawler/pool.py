"""The crawl's extraction worker processes: pure functions run beside the reactor, rebuilt when a
worker dies. The ExtractionPool extension (crawler/extensions.py) holds the crawl's one pool."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from crawler.article import Reading
from crawler.workers import Named, worker_context

T = TypeVar("T")
Reader = Callable[[bytes, str, Mapping[str, str]], Reading]
# What a worker runs for each page, and first: named, so this process need not import them.
READ_FOR_CRAWL = Named("crawler.reading", "read_for_crawl")
START_WORKER = Named("crawler.reading", "start_worker")


class ExtractorPool:
    """Worker processes that read pages (`read_for_crawl`), rebuilt when one dies.

    Workers are started by a fork server (spawn where there is none), never forked from the crawl
    process itself: that one runs an event loop and threads, which a plain fork copies half-way.
    When a worker dies (a segfault in lxml, the OOM killer), every page in flight fails with
    BrokenProcessPool; each is then retried alone in a one-worker quarantine pool, so only the page
    that kills a worker there is counted failed and the crawl goes on.
    """

    def __init__(self, workers: int, function: Reader = READ_FOR_CRAWL) -> None:
        self.context = worker_context()
        self.workers = workers
        # Pickled by name: a module-level function or a partial of one (tests swap it).
        self.function = function
        self.pool = self._new_pool(workers)
        self.quarantine: ProcessPoolExecutor | None = None
        self.quarantine_lock = asyncio.Lock()

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            workers, mp_context=self.context, initializer=START_WORKER, initargs=(os.getpid(),)
        )
        # The executor starts a worker per task submitted while none is idle: start them all now,
        # while the crawl fetches its feeds, rather than when the first pages arrive.
        for _ in range(workers):
            pool.submit(int)
        return pool

    async def read(self, body: bytes, url: str, headers: Mapping[str, str]) -> Reading:
        """function(body, url, headers) in a worker; raises BrokenProcessPool for a killer page."""
        return await self.call(self.function, body, url, dict(headers))

    async def call(self, function: Callable[..., T], *args: object) -> T:
        """function(*args) in a worker (both picklable); raises BrokenProcessPool if it kills
        the worker alone in the quarantine pool too."""
        pool = self.pool
        try:
            return await _run(pool, function, *args)
        except BrokenProcessPool:
            if self.pool is pool:  # the first task to notice replaces the broken pool
                pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool(self.workers)
        async with self.quarantine_lock:
            if self.quarantine is None:
                self.quarantine = self._new_pool(1)
            try:
                return await _run(self.quarantine, function, *args)
            except BrokenProcessPool:
                self.quarantine.shutdown(wait=False, cancel_futures=True)
                self.quarantine = None
                raise

    def close(self) -> None:
        for pool in (self.pool, self.quarantine):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


async def _run(pool: ProcessPoolExecutor, function: Callable[..., T], *args: object) -> T:
    future: Future[T] = pool.submit(function, *args)
    return await asyncio.wrap_future(future)
