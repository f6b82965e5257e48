"""Reading a page for the crawl: what an extraction worker runs for each page.

Kept apart from the pipeline (pipelines/extract.py), which imports Scrapy: a worker process imports
this module (the fork server has it already) and none of Scrapy, Twisted or SQLite, which cost each
worker CPU at the start of every crawl, when its two cores have the most to do (bench/RESULTS.md,
Throughput). The crawl process names it (crawler.workers.Named) and imports it only when it reads
pages itself (no workers), so with workers the extraction engine loads in the fork server alone.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from crawler.article import Reading
from crawler.extraction import read_page
from crawler.pages import pack_page
from crawler.similarity import Sketch
from crawler.watch import Watch


def read_for_crawl(
    body: bytes, url: str, headers: Mapping[str, str], watch: Watch | None = None
) -> Reading:
    """What a worker does for each page: everything but the archive look-ups. It reads the page,
    scores the article against `watch` and, when the article is relevant (or there is no watch),
    adds its dedup sketch and packs the page for the archive (pages.body_gz): CPU the crawl
    process, the one that limits the crawl's rate, need not spend. An irrelevant article, which
    the relevance stage will drop, gets neither."""
    reading = read_page(body, url, headers)
    article = reading.article
    if article is None:
        return reading
    if watch is not None:
        found = watch.watches.match(article.title, article.text)
        relevance = max((m.score for m in found), default=0)
        matches = tuple(m for m in found if m.score >= watch.min_score)
        reading = replace(reading, relevance=relevance, watches=matches)
        if not matches:
            return reading
    return replace(reading, sketch=Sketch.of(article.text), packed_page=pack_page(body))


def start_worker(crawl_pid: int) -> None:
    """Pool initializer: outlive no crawl; run the extraction code once before the first page."""
    threading.Thread(target=_exit_with, args=(crawl_pid,), daemon=True).start()
    read_for_crawl(b"<html><body><p>warm</p></body></html>", "http://127.0.0.1/", {})


def _exit_with(crawl_pid: int) -> None:
    # A crawl killed outright (the scheduler's kill after its grace time) cannot shut its pool
    # down, and a worker, child of the fork server, would wait for pages forever.
    while True:
        time.sleep(1.0)
        if not _running(crawl_pid):
            os._exit(0)


def _running(pid: int) -> bool:
    """Whether a process runs; a zombie (killed, not yet collected by its parent) does not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
    return state != "Z"
