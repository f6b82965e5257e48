"""The scheduler: runs each crawl and alert delivery as a child process on its schedule, unattended.

APScheduler 3.x in the foreground, timezone Asia/Seoul, logging to stderr, until SIGINT or SIGTERM.
Each crawl is its own `newswatch crawl` process (DESIGN.md, "Scheduling"): a crash, leak or hang in
one crawl cannot take the scheduler down, and Twisted's reactor never needs restarting. The crawl
writes its own crawl_runs row; the scheduler adds how the process ended (archive/runs.py).

`python scheduler.py [--config FILE]` is `newswatch [--config FILE] schedule`.

This module owns the [schedule] part of the configuration (`Schedule`, `check_every`);
newswatch.config reads the file and hands the values here, so nothing here imports newswatch.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from archive import Archive, now_kst
from archive.runs import describe_exit, fail_stale_runs, last_run_id, record_exit
from crawler.terminal import TerminalSafeFormatter

SEOUL = ZoneInfo("Asia/Seoul")
# Set in a child's environment to the scheduler's pid: the child then ends with the scheduler.
PARENT_ENV = "NEWSWATCH_SCHEDULER_PID"
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

log = logging.getLogger("newswatch.scheduler")

# An interval such as "30s", "15m", "1h" or "1d"; anything else must be a 5-field cron expression.
_INTERVAL = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_INTERVAL = 366 * 86400  # seconds; a schedule interval ("every") of at most 366d


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the scheduler crawls and delivers alerts; each is a cron expression or an interval."""

    crawl: str = "*/15 * * * *"
    alerts: str = "1m"
    crawl_timeout: float = 1800.0  # seconds before a hung crawl is stopped and recorded as failed
    misfire_grace_time: float = 300.0  # seconds a run may start late (APScheduler's default is 1)
    grace: float = 30.0  # seconds a stopping crawl gets to finish its current articles


def interval_seconds(every: str) -> int | None:
    """Seconds of an interval such as "15m", or None when `every` is not an interval."""
    match = _INTERVAL.match(every.strip())
    return int(match[1]) * _UNIT_SECONDS[match[2]] if match else None


def check_every(every: str) -> str | None:
    """Why `every` is not a usable schedule, or None when it is."""
    seconds = interval_seconds(every)
    if seconds is not None:
        if seconds <= 0:
            return "must be a positive interval"
        return None if seconds <= MAX_INTERVAL else "must be an interval of at most 366d"
    fields = every.split()
    if len(fields) == 5 and any(c.isdigit() for c in fields[4]):
        # APScheduler 3 counts weekdays from Monday = 0, cron from Sunday = 0; names are clear.
        return "must name weekdays (mon-fri, sun), not number them"
    try:
        CronTrigger.from_crontab(every, timezone="Asia/Seoul")
    except ValueError as exc:
        return f"is neither an interval (30s, 15m, 1h, 1d) nor a cron expression ({exc})"
    return None


class ScheduledSource(Protocol):
    """What the scheduler reads of a configured source: its name and its own schedule, if any."""

    @property
    def name(self) -> str: ...
    @property
    def every(self) -> str | None: ...


class ScheduledConfig(Protocol):
    """What the scheduler reads of the configuration (newswatch.config.Config provides it)."""

    @property
    def path(self) -> Path: ...
    @property
    def archive_path(self) -> Path: ...
    @property
    def sources(self) -> Sequence[ScheduledSource]: ...
    @property
    def schedule(self) -> Schedule: ...
    @property
    def alerts(self) -> Sequence[object]: ...


@dataclass(frozen=True, slots=True)
class Job:
    """One scheduled job: a crawl (of `sources`; of every source when empty) or alert delivery."""

    id: str
    kind: str  # "crawl" | "alerts"
    trigger: BaseTrigger
    sources: tuple[str, ...] = ()


def trigger_for(every: str, now: datetime) -> BaseTrigger:
    """The trigger for a validated schedule: an interval ("15m") or a cron expression, in KST."""
    seconds = interval_seconds(every)
    if seconds is not None:
        return IntervalTrigger(
            seconds=seconds, start_date=now + timedelta(seconds=seconds), timezone=SEOUL
        )
    return CronTrigger.from_crontab(every, timezone=SEOUL)


def plan(config: ScheduledConfig, now: datetime | None = None) -> list[Job]:
    """The jobs a config asks for: one per source with its own `every`, one for the rest, alerts."""
    now = now or datetime.now(SEOUL)
    own = [s for s in config.sources if s.every]
    rest = tuple(s.name for s in config.sources if not s.every)
    jobs = []
    if rest:
        # Without per-source schedules this job crawls "every source", even after config edits.
        jobs.append(
            Job("crawl", "crawl", trigger_for(config.schedule.crawl, now), rest if own else ())
        )
    jobs += [
        Job(f"crawl:{s.name}", "crawl", trigger_for(s.every or "", now), (s.name,)) for s in own
    ]
    jobs.append(Job("alerts", "alerts", trigger_for(config.schedule.alerts, now)))
    return jobs


def process_alive(pid: int) -> bool:
    """Whether `pid` is still a running newswatch crawl (not gone, not a reused pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process with that pid: not ours, but do not guess
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc here: trust the signal check
    # After a reboot the pid may belong to another program; a zombie's cmdline is empty.
    return b"newswatch" in cmdline or b"scrapy" in cmdline


def stop_with_parent() -> None:
    """In a child the scheduler started: stop gracefully when the scheduler dies, even by kill -9.

    Without this an orphaned crawl would run on beside the restarted scheduler's next crawl of the
    same source. Linux only (prctl); elsewhere the service manager's process group kill does it.
    The parent-death signal belongs to the thread that started us and can come more than once (the
    kernel may first hand us to another dying thread of the scheduler; seen in tests as an unclean
    stop), so it is SIGHUP, turned here into exactly one SIGTERM: Scrapy's graceful stop.
    """
    parent = os.environ.get(PARENT_ENV)
    if not parent or not sys.platform.startswith("linux"):
        return
    told: list[bool] = []

    def parent_gone(_signum: int = 0, _frame: object = None) -> None:
        if not told:
            told.append(True)
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGHUP, parent_gone)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGHUP, 0, 0, 0) != 0:
        return
    if os.getppid() != int(parent):  # the scheduler died before prctl took effect
        parent_gone()


class Scheduler:
    """Runs a config's jobs in child processes; `stop()` ends them within the grace period."""

    def __init__(self, config: ScheduledConfig, *, now: datetime | None = None) -> None:
        self.config = config
        self.config_path = str(config.path.resolve())
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._children: dict[int, subprocess.Popen[Any]] = {}
        self._active = 0  # job threads that started a child and have not recorded its end yet
        self._idle = threading.Condition(self._lock)
        self._alerts_lock = threading.Lock()  # one delivery at a time: scheduled or after a crawl
        self.jobs = plan(config, now)
        self.scheduler = BackgroundScheduler(
            timezone=SEOUL,
            executors={"default": ThreadPoolExecutor(max_workers=len(self.jobs) + 1)},
            job_defaults={
                "max_instances": 1,  # never two crawls of the same sources at once
                "coalesce": True,  # runs missed while busy or down become one run
                # APScheduler's default of 1 s silently drops a run that starts a little late.
                "misfire_grace_time": max(1, round(config.schedule.misfire_grace_time)),
            },
        )
        self.scheduler.add_listener(
            self._job_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR
        )
        start = now or datetime.now(SEOUL)
        for job in self.jobs:
            # Every job runs once at start: a restart catches up on what it missed while down.
            self.scheduler.add_job(
                self._run,
                trigger=job.trigger,
                args=[job],
                id=job.id,
                name=job.id,
                next_run_time=start,
            )

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        with Archive(self.config.archive_path) as archive:
            stale = fail_stale_runs(archive.db, process_alive)
        if stale:
            log.warning(
                "recorded %d crawl run(s) left 'running' as interrupted: %s", len(stale), stale
            )
        if not any(job.kind == "crawl" for job in self.jobs):
            log.warning("%s lists no sources: nothing to crawl", self.config.path)
        self.scheduler.start()
        for job in self.scheduler.get_jobs():
            log.info("job %s: %s", job.id, job.trigger)

    def stop(self, grace: float | None = None) -> None:
        """Start nothing new, ask running children to finish (SIGTERM), kill them after `grace`."""
        grace = self.config.schedule.grace if grace is None else grace
        with self._lock:
            self.stopping.set()
            children = list(self._children.values())
        self.scheduler.shutdown(wait=False)
        for child in children:
            # Scrapy's first SIGTERM is a graceful stop: no new requests, in-flight items finish.
            _signal(child, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("process %d still running after %g s: killing it", child.pid, grace)
                _signal(child, signal.SIGKILL)
        with self._idle:  # let the job threads record how their children ended
            self._idle.wait_for(lambda: self._active == 0, timeout=30)

    # --- jobs -----------------------------------------------------------------------------------

    def _run(self, job: Job) -> None:
        if self.stopping.is_set():
            return
        if job.kind == "crawl":
            run = self.crawl(job)
            if run and run.get("stored"):
                self.deliver_alerts(f"after {job.id} stored {run['stored']}")
        else:
            self.deliver_alerts("scheduled")

    def crawl(self, job: Job) -> dict[str, Any] | None:
        """Run one crawl process to its end (or timeout) and record how it ended."""
        command = ["crawl", *(f"--source={name}" for name in job.sources)]
        with Archive(self.config.archive_path) as archive:
            after = last_run_id(archive.db)
        started_at, began = now_kst(), time.monotonic()
        child = self._spawn(command, stdout=subprocess.DEVNULL)
        if child is None:
            return None
        timeout = self.config.schedule.crawl_timeout
        failure = ""
        try:
            try:
                exit_code = child.wait(timeout)
            except subprocess.TimeoutExpired:
                failure = f"timed out after {timeout:g} s"
                log.error("%s: %s; stopping it", job.id, failure)
                exit_code = self._end(child)
            if self.stopping.is_set() and exit_code != 0 and not failure:
                failure = (
                    f"killed: still running {self.config.schedule.grace:g} s after the stop"
                    if exit_code == -signal.SIGKILL
                    else "stopped with the scheduler"
                )
            with Archive(self.config.archive_path) as archive:
                run = record_exit(
                    archive.db,
                    after_id=after,
                    pid=child.pid,
                    started_at=started_at,
                    exit_code=exit_code,
                    duration_s=round(time.monotonic() - began, 3),
                    trigger=job.id,
                    sources=job.sources,
                    failure=failure,
                )
        finally:
            self._release(child)
        log.info(
            "%s: run %s %s in %.1f s, %s new%s",
            job.id,
            run["id"],
            run["status"],
            run["duration_s"],
            run["stored"] or 0,
            f" ({run['detail']})" if run["detail"] else "",
        )
        return run

    def deliver_alerts(self, why: str) -> None:
        """Run `newswatch alerts send` once (nothing to do without [[alerts]] channels)."""
        if not self.config.alerts:
            return
        with self._alerts_lock:
            child = self._spawn(
                ["alerts", "send"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            if child is None:
                return
            try:
                try:
                    out, err = child.communicate(timeout=self.config.schedule.crawl_timeout)
                except subprocess.TimeoutExpired:
                    self._end(child)
                    out, err = child.communicate()
            finally:
                self._release(child)
        if child.returncode != 0:
            lines = (err or "").strip().splitlines() or (out or "").strip().splitlines() or [""]
            exit_status = describe_exit(child.returncode)
            log.error("alert delivery (%s) failed (%s): %s", why, exit_status, lines[-1])
        else:
            log.info("%s", delivery_summary(why, f"{out or ''}\n{err or ''}"))

    # --- children -------------------------------------------------------------------------------

    def _spawn(self, command: Sequence[str], **popen: Any) -> subprocess.Popen[Any] | None:
        argv = [sys.executable, "-m", "newswatch", "--config", self.config_path, *command]
        with self._lock:
            if self.stopping.is_set():
                return None
            child = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                argv,
                env=os.environ | {PARENT_ENV: str(os.getpid())},
                # A session of its own: Ctrl-C in a terminal reaches only the scheduler, which then
                # sends one SIGTERM (a second would make Scrapy stop uncleanly).
                start_new_session=True,
                **popen,
            )
            self._children[child.pid] = child
            self._active += 1
        return child

    def _release(self, child: subprocess.Popen[Any]) -> None:
        with self._idle:
            self._children.pop(child.pid, None)
            self._active -= 1
            self._idle.notify_all()

    def _end(self, child: subprocess.Popen[Any]) -> int:
        """SIGTERM, then SIGKILL after the grace period; the exit status."""
        _signal(child, signal.SIGTERM)
        try:
            return child.wait(self.config.schedule.grace)
        except subprocess.TimeoutExpired:
            _signal(child, signal.SIGKILL)
            return child.wait()

    def _job_event(self, event: JobEvent) -> None:
        # APScheduler reports these only as events (its own log lines are switched off in run()).
        if event.code == EVENT_JOB_MISSED:
            log.warning(
                "%s: the run due at %s was missed (more than misfire_grace_time late)",
                event.job_id,
                event.scheduled_run_time,
            )
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("%s: still running at its next run time; that run is skipped", event.job_id)
        elif event.code == EVENT_JOB_ERROR:
            exception = getattr(event, "exception", None)
            log.error("%s failed: %r", event.job_id, exception, exc_info=exception)


# `newswatch alerts send` prints a line per channel: "alerts: LABEL: N sent[, M failed …]".
_DELIVERY_LINE = re.compile(r"^alerts: (?P<label>.+?): (?P<sent>\d+) sent(?P<rest>.*)$")


def delivery_summary(why: str, output: str) -> str:
    """One sentence for the log about a finished delivery: how many went to which channel."""
    parts = []
    for line in filter(None, (line.strip() for line in output.splitlines())):
        found = _DELIVERY_LINE.match(line)
        parts.append(f"{found['sent']} sent to {found['label']}{found['rest']}" if found else line)
    return f"alert delivery ({why}) finished: " + ("; ".join(parts) or "no channel to send to")


def _signal(child: subprocess.Popen[Any], signum: int) -> None:
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # it ended between the poll and the signal
            child.send_signal(signum)


def run(config: ScheduledConfig) -> int:
    """Run the scheduler in the foreground until SIGINT or SIGTERM; exit status 0 when stopped."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalSafeFormatter("%(asctime)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)  # our listener reports its events
    requested = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runner = Scheduler(config)
    runner.start()
    log.info("scheduler started (archive %s, pid %d)", config.archive_path, os.getpid())
    while not requested.wait(1):  # a timed wait keeps the main thread responsive to signals
        pass
    runner.stop()
    log.info("scheduler stopped")
    return 0


def main() -> None:
    """`python scheduler.py [ARGS]`: become `python -m newswatch [ARGS] schedule`.

    The command reads and checks the configuration (newswatch, the layer above this one), so this
    process replaces itself with it: same pid, so signals and service managers see no difference.
    """
    argv = [sys.executable, "-m", "newswatch", *sys.argv[1:], "schedule"]
    os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments


if __name__ == "__main__":
    main()
