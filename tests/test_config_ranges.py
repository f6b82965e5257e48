"""Every number in the config is finite and in its documented range, or the file is refused: one
line naming the key and the range, exit status 2, before anything is fetched or written."""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from alerts.delivery import deliver
from archive import Archive
from newswatch.config import RANGES, SOURCE_KEYS, ConfigError, Range, load_config
from tests.conftest import newswatch, write_config
from tests.newssite import NewsSite
from tests.receivers import WebhookReceiver
from tests.test_alerts import Clock, alerts_config, channel, new_article, outbox_rows, refs

CONFIGURATION = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
HEADINGS = {"crawl": "[crawl]", "schedule": "[schedule]", "sources": "[[sources]]"}


def _text(key: str, literal: str) -> str:
    """A config file whose only unusual value is `key` (table.name) = literal."""
    table, name = key.split(".")
    head = '[watch]\nterms = ["엑사원"]\n'
    if table == "sources":
        kind = next(k for k, keys in SOURCE_KEYS.items() if name in keys)
        url = {"sitemap": "https://a.kr/s.xml", "rss": "https://a.kr/rss"}.get(kind)
        entry = f'[[sources]]\nname = "a"\ntype = "{kind}"\n' + (f'url = "{url}"\n' if url else "")
        return head + entry + f"{name} = {literal}\n"
    if table == "alerts":
        return head + f'[[alerts]]\nurl = "json://127.0.0.1/x"\n{name} = {literal}\n'
    return head + f"[{table}]\n{name} = {literal}\n"


def _where(key: str) -> str:
    table, name = key.split(".")
    return {"sources": f"[sources 'a'] {name}", "alerts": f"[alerts #1] {name}"}.get(
        table, f"[{table}] {name}"
    )


def _literal(value: float) -> str:
    """The TOML for `value`, which is also how the error message shows it."""
    if isinstance(value, int) or math.isfinite(value):
        return str(int(value)) if value == int(value) else repr(value)
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _outside(allowed: Range) -> list[float]:
    """Values just outside the range, the non-finite ones, and an integer no float holds."""
    below = allowed.low if allowed.above else allowed.low - 1
    return [float("nan"), float("inf"), float("-inf"), below, allowed.high + 1, 10**400]


NUMBERS = sorted(k for k in RANGES if k != "sources.max_age")


# Keys whose value is a float in the file (seconds); the others are whole numbers.
_FRACTIONAL = {
    "crawl.delay",
    "crawl.timeout",
    "crawl.max_host_wait",
    "schedule.crawl_timeout",
    "schedule.misfire_grace_time",
    "schedule.grace",
    "alerts.backoff",
}


@pytest.mark.parametrize("key", NUMBERS)
def test_a_number_outside_its_range_is_one_line_naming_the_key_and_range(
    tmp_path: Path, key: str
) -> None:
    allowed = RANGES[key]
    kind = "number" if key in _FRACTIONAL else "whole number"
    for value in _outside(allowed):
        path = tmp_path / "newswatch.toml"
        literal = _literal(value)
        path.write_text(_text(key, literal), encoding="utf-8")
        with pytest.raises(ConfigError) as error:
            load_config(path)
        assert str(error.value) == (
            f"{path}: {_where(key)} must be a {kind} {allowed.words()}, not {literal}."
        ), key


@pytest.mark.parametrize("key", NUMBERS)
def test_the_ends_of_a_range_are_allowed(tmp_path: Path, key: str) -> None:
    allowed = RANGES[key]
    ends = [allowed.high] + ([] if allowed.above else [allowed.low])
    if allowed.above:
        ends.append(allowed.low + 0.5)
    for value in ends:
        path = tmp_path / "newswatch.toml"
        literal = str(value) if key in _FRACTIONAL else str(int(value))
        path.write_text(_text(key, literal), encoding="utf-8")
        load_config(path)  # no error


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ('"0s"', "'0s'"),
        ('"3651d"', "'3651d'"),
        ('"99999999999999999999d"', "'99999999999999999999d'"),
        ("inf", "inf"),
        ("nan", "nan"),
    ],
)
def test_a_duration_outside_its_range_is_refused(
    tmp_path: Path, literal: str, message: str
) -> None:
    path = tmp_path / "newswatch.toml"
    path.write_text(_text("sources.max_age", literal), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f'{path}: [sources \'a\'] max_age must be a duration such as "30m", "6h" or "2d",'
        f" more than 0s and at most 3650d, not {message}."
    )
    path.write_text(_text("sources.max_age", '"3650d"'), encoding="utf-8")
    assert load_config(path).sources[0].options.max_age == 3650 * 86400


@pytest.mark.parametrize("key", ["schedule.crawl", "schedule.alerts"])
def test_an_interval_longer_than_366_days_is_refused(tmp_path: Path, key: str) -> None:
    path = tmp_path / "newswatch.toml"
    path.write_text(_text(key, '"99999999999d"'), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}: {_where(key)} '99999999999d' must be an interval of at most 366d."
    )
    path.write_text(_text(key, '"366d"'), encoding="utf-8")
    load_config(path)


def test_the_readme_gives_every_range_in_the_row_of_its_key() -> None:
    text = CONFIGURATION.read_text(encoding="utf-8")
    section = text[text.index("\n## Keys") : text.index("\n## Adding a source")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    for key, allowed in RANGES.items():
        table, name = key.split(".")
        if table == "alerts":
            (row,) = [r for r in rows if "`[[alerts]] url`" in r]
            assert f"`{name}` {allowed.words()}" in row, key
            continue
        (row,) = [r for r in rows if r.startswith(f"| `{HEADINGS[table]} {name}` |")]
        words = "more than 0s and at most 3650d" if key == "sources.max_age" else allowed.words()
        assert f"Range: {words}" in row, key
    for every in ("[[sources]] every", "[schedule] crawl", "[schedule] alerts"):
        (row,) = [r for r in rows if r.startswith(f"| `{every}` |")]
        assert "An interval is at most `366d`." in row, every


# The cases an outside tester reported, through the real command: exit 2, one line, nothing
# fetched, nothing written. `schedule` is the command misfire_grace_time broke.
REPORTED = [
    ("crawl", "[crawl]", "delay = inf", "[crawl] delay must be a number from 0 to 3,600 seconds"),
    ("crawl", "[crawl]", "delay = nan", "[crawl] delay must be a number from 0 to 3,600 seconds"),
    (
        "crawl",
        "[crawl]",
        "timeout = nan",
        "[crawl] timeout must be a number more than 0 and at most 3,600 seconds",
    ),
    (
        "crawl",
        '[[alerts]]\nurl = "json://127.0.0.1/x"',
        "backoff = inf",
        "[alerts #1] backoff must be a number from 0 to 21,600 seconds",
    ),
    (
        "schedule",
        "[schedule]",
        "misfire_grace_time = inf",
        "[schedule] misfire_grace_time must be a number more than 0 and at most 86,400 seconds",
    ),
    (
        "schedule",
        "[schedule]",
        "grace = nan",
        "[schedule] grace must be a number more than 0 and at most 3,600 seconds",
    ),
    (
        "schedule",
        "[schedule]",
        "crawl_timeout = nan",
        "[schedule] crawl_timeout must be a number more than 0 and at most 604,800 seconds",
    ),
]


@pytest.mark.parametrize("case", REPORTED, ids=[case[2] for case in REPORTED])
def test_the_command_refuses_a_non_finite_number_with_exit_2(
    site: NewsSite, tmp_path: Path, case: tuple[str, str, str, str]
) -> None:
    command, table, line, message = case
    site.add("/feed.xml", "<rss version='2.0'><channel></channel></rss>", content_type="text/xml")
    config = write_config(
        tmp_path / "newswatch.toml",
        archive=tmp_path / "news.db",
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    text = config.read_text(encoding="utf-8")
    key, _, literal = line.partition(" = ")
    if table == "[crawl]":  # write_config wrote that table: the key goes in it, once
        text = re.sub(rf"(?m)^{key} = .*\n", "", text).replace("[crawl]\n", f"[crawl]\n{line}\n")
    else:
        text += f"\n{table}\n{line}\n"
    config.write_text(text, encoding="utf-8")
    run = newswatch("--config", str(config), command, timeout=60)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == f"Error: {config}: {message}, not {literal}.\n"
    assert site.hits == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newswatch.toml"]


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def test_the_longest_backoff_after_the_most_attempts_waits_six_hours(
    tmp_path: Path, hook: WebhookReceiver
) -> None:
    # 21,600 s doubled 98 times is far past what a timedelta holds; the wait is capped first.
    config = alerts_config(tmp_path, channel(hook.url(), backoff=21600, max_attempts=100))
    with Archive(config.archive_path) as archive:
        archive.add_article(new_article(1), alert=refs(config))
    conn = sqlite3.connect(config.archive_path)
    with conn:
        conn.execute("update alert_outbox set attempts = 98")  # 98 failed sends so far
    conn.close()
    hook.statuses = [500]
    clock = Clock()
    report = deliver(config, clock=clock)
    assert (report.sent, report.channels[0].failed_attempts) == (0, 1)
    (row,) = outbox_rows(config)
    assert (row["status"], row["attempts"]) == ("pending", 99)
    due = datetime.fromisoformat(str(row["next_attempt_at"]))
    assert due - clock.now == timedelta(hours=6)
