"""The scheduler's plan from a config (job ids, triggers, next fire times) and its run records.

Nothing here waits: fire times are computed from a fixed moment, and the run records are written
into a real SQLite archive directly.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from archive import Archive
from archive.runs import fail_stale_runs, last_run_id, recent_runs, record_exit
from newswatch.config import ConfigError, load_config
from scheduler import SEOUL, Schedule, Scheduler, interval_seconds, plan

NOW = datetime(2026, 11, 21, 10, 7, 30, tzinfo=SEOUL)  # a Saturday

CONFIG = """
[archive]
path = "news.db"

[watch]
terms = ["엑사원"]

[schedule]
crawl = "*/15 * * * *"
alerts = "1m"
crawl_timeout = 600
misfire_grace_time = 120
grace = 20

[[sources]]
name = "yna"
type = "rss"
url = "https://www.yna.co.kr/rss/news.xml"

[[sources]]
name = "naver"
type = "rss"
url = "https://example.com/naver.xml"
every = "5m"

[[sources]]
name = "morning"
type = "rss"
url = "https://example.com/morning.xml"
every = "0 9 * * mon-fri"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def fire_times(trigger: CronTrigger | IntervalTrigger, count: int) -> list[str]:
    times, previous, now = [], None, NOW
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        times.append(fire.isoformat())
        previous = now = fire
    return times


def test_jobs_triggers_and_next_fire_times_come_from_the_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, CONFIG))
    jobs = {job.id: job for job in plan(config, NOW)}
    assert list(jobs) == ["crawl", "crawl:naver", "crawl:morning", "alerts"]
    assert {job_id: (job.kind, job.sources) for job_id, job in jobs.items()} == {
        "crawl": ("crawl", ("yna",)),  # the sources without a schedule of their own
        "crawl:naver": ("crawl", ("naver",)),
        "crawl:morning": ("crawl", ("morning",)),
        "alerts": ("alerts", ()),
    }
    assert isinstance(jobs["crawl"].trigger, CronTrigger)
    assert isinstance(jobs["crawl:naver"].trigger, IntervalTrigger)
    assert isinstance(jobs["alerts"].trigger, IntervalTrigger)
    assert fire_times(jobs["crawl"].trigger, 3) == [  # type: ignore[arg-type]
        "2026-11-21T10:15:00+09:00",
        "2026-11-21T10:30:00+09:00",
        "2026-11-21T10:45:00+09:00",
    ]
    assert fire_times(jobs["crawl:naver"].trigger, 2) == [  # type: ignore[arg-type]
        "2026-11-21T10:12:30+09:00",
        "2026-11-21T10:17:30+09:00",
    ]
    # Saturday now: the next weekday 09:00 in Seoul is Monday's.
    assert fire_times(jobs["crawl:morning"].trigger, 2) == [  # type: ignore[arg-type]
        "2026-11-23T09:00:00+09:00",
        "2026-11-24T09:00:00+09:00",
    ]
    assert fire_times(jobs["alerts"].trigger, 2) == [  # type: ignore[arg-type]
        "2026-11-21T10:08:30+09:00",
        "2026-11-21T10:09:30+09:00",
    ]
    assert config.schedule == Schedule(
        crawl="*/15 * * * *", alerts="1m", crawl_timeout=600, misfire_grace_time=120, grace=20
    )


def test_without_per_source_schedules_one_job_crawls_every_source(tmp_path: Path) -> None:
    text = CONFIG.replace('every = "5m"\n', "").replace('every = "0 9 * * mon-fri"\n', "")
    jobs = plan(load_config(write(tmp_path, text)), NOW)
    assert [(job.id, job.sources) for job in jobs] == [("crawl", ()), ("alerts", ())]


def test_a_config_without_schedule_gets_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[watch]\nterms = ["엑사원"]\n'))
    assert config.schedule == Schedule(
        crawl="*/15 * * * *", alerts="1m", crawl_timeout=1800, misfire_grace_time=300, grace=30
    )
    assert [job.id for job in plan(config, NOW)] == ["alerts"]  # no sources, nothing to crawl


def test_the_scheduler_holds_each_job_once_with_explicit_misfire_handling(tmp_path: Path) -> None:
    runner = Scheduler(load_config(write(tmp_path, CONFIG)), now=NOW)
    runner.scheduler.start(paused=True)  # computes next run times; runs nothing while paused
    try:
        jobs = {job.id: job for job in runner.scheduler.get_jobs()}
        assert sorted(jobs) == ["alerts", "crawl", "crawl:morning", "crawl:naver"]
        for job in jobs.values():
            assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 120)
            assert job.next_run_time == NOW  # every job runs once at start, to catch up
        assert str(runner.scheduler.timezone) == "Asia/Seoul"
    finally:
        runner.scheduler.shutdown(wait=False)


@pytest.mark.parametrize(
    ("every", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("1d", 86400), ("2 m", 120)]
)
def test_intervals(every: str, seconds: int) -> None:
    assert interval_seconds(every) == seconds


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        (
            '[schedule]\ncrawl = "15x"\n',
            "[schedule] crawl '15x' is neither an interval (30s, 15m, 1h, 1d) nor a cron expression",
        ),
        (
            '[schedule]\ncrawl = "61 * * * *"\n',
            "[schedule] crawl '61 * * * *' is neither an interval",
        ),
        ('[schedule]\nalerts = "0m"\n', "[schedule] alerts '0m' must be a positive interval."),
        (
            '[schedule]\ncrawl = "0 9 * * 1-5"\n',
            "[schedule] crawl '0 9 * * 1-5' must name weekdays (mon-fri, sun), not number them.",
        ),
        (
            "[schedule]\ncrawl_timeout = 0\n",
            "[schedule] crawl_timeout must be a number more than 0 and at most 604,800 seconds,"
            " not 0.",
        ),
        (
            '[schedule]\ngrace = "soon"\n',
            "[schedule] grace must be a number more than 0 and at most 3,600 seconds, not 'soon'.",
        ),
        ("[schedule]\nevery = 5\n", "[schedule] 'every' is not a known key"),
        (
            '[[sources]]\nname = "a"\ntype = "rss"\nurl = "https://a.kr/rss"\nevery = "sometimes"\n',
            "[sources 'a'] every 'sometimes' is neither an interval",
        ),
    ],
)
def test_schedule_mistakes_are_one_line_naming_the_key(
    tmp_path: Path, fragment: str, message: str
) -> None:
    path = write(tmp_path, '[watch]\nterms = ["엑사원"]\n' + fragment)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


# --- what the scheduler records about crawl processes -------------------------------------------


def test_a_killed_crawls_running_row_becomes_failed_with_its_exit(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        before = last_run_id(archive.db)
        run_id = archive.start_run(pid=4321)
        row = record_exit(
            archive.db,
            after_id=before,
            pid=4321,
            started_at="2026-11-21T10:00:00+09:00",
            exit_code=-9,
            duration_s=3.5,
            trigger="crawl:naver",
            sources=["naver"],
        )
        assert (row["id"], row["status"], row["detail"]) == (run_id, "failed", "killed by signal 9")
        assert (row["exit_code"], row["duration_s"], row["trigger"], row["source_filter"]) == (
            -9,
            3.5,
            "crawl:naver",
            "naver",
        )
        assert row["finished_at"]


def test_a_finished_crawl_keeps_its_own_status_and_gains_exit_and_duration(
    tmp_path: Path,
) -> None:
    with Archive(tmp_path / "a.db") as archive:
        archive.start_run(pid=99)  # an older run by another process with a reused pid
        archive.finish_run(1, status="ok", counts={"stored": 1}, per_source={})
        before = last_run_id(archive.db)
        run_id = archive.start_run(pid=99)
        archive.finish_run(run_id, status="ok", counts={"stored": 2}, per_source={})
        row = record_exit(
            archive.db,
            after_id=before,
            pid=99,
            started_at="x",
            exit_code=0,
            duration_s=1.25,
            trigger="crawl",
        )
        assert (row["id"], row["status"], row["stored"], row["exit_code"]) == (run_id, "ok", 2, 0)
        assert (row["duration_s"], row["source_filter"], row["detail"]) == (1.25, None, "")
        assert archive.run(1)["exit_code"] is None  # the older run is untouched


def test_a_crawl_that_died_before_writing_its_row_gets_one(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        row = record_exit(
            archive.db,
            after_id=0,
            pid=7,
            started_at="2026-11-21T10:00:00+09:00",
            exit_code=1,
            duration_s=0.4,
            trigger="crawl",
            failure="timed out after 2 s",
        )
        assert (row["status"], row["pid"], row["exit_code"]) == ("failed", 7, 1)
        assert row["detail"] == "timed out after 2 s before it recorded a run"
        assert row["started_at"] == "2026-11-21T10:00:00+09:00"


def test_stale_running_rows_of_gone_processes_are_interrupted_at_start(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        gone = archive.start_run(pid=111)
        alive = archive.start_run(pid=222)
        done = archive.start_run(pid=333)
        archive.finish_run(done, status="ok", counts={}, per_source={})
        assert fail_stale_runs(archive.db, lambda pid: pid == 222) == [gone]
        assert archive.run(gone)["status"] == "interrupted"
        assert archive.run(gone)["detail"] == "process 111 was gone when the scheduler started"
        assert archive.run(alive)["status"] == "running"
        assert archive.run(done)["status"] == "ok"
        assert [r["id"] for r in recent_runs(archive.db, limit=2)] == [done, alive]


def test_the_systemd_unit_runs_the_scheduler_and_outwaits_its_grace() -> None:
    import configparser

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(Path(__file__).parent.parent / "deploy" / "newswatch.service", encoding="utf-8")
    service = unit["Service"]
    assert service["Type"] == "simple"
    assert service["ExecStart"].endswith("/.venv/bin/newswatch schedule")
    assert (service["Restart"], service["KillSignal"], service["KillMode"]) == (
        "on-failure",
        "SIGTERM",
        "mixed",  # SIGTERM to the scheduler only; a second one would stop Scrapy uncleanly
    )
    assert float(service["TimeoutStopSec"]) > Schedule().grace
    assert service["Environment"].split()[0] == "NEWSWATCH_CONFIG=/srv/newswatch/newswatch.toml"
    assert service["WorkingDirectory"] == "/srv/newswatch"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
