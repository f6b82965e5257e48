"""What the commands print, where monitors run them and on a terminal, from one real archive file.

On a pipe (CliRunner's output is not a terminal, as cron's and systemd's are not) every table is
whole tab-separated lines at COLUMNS=80; on a real terminal (a pty, 80 columns) the rich tables
fold long names and URLs but cut nothing. Archived text holding a one-byte CSI (U+009B), DEL, ESC
and a bidi override reaches no terminal raw from any command (issue 19, item 7).
"""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from alerts.channels import label
from archive import Archive, NewArticle, outbox
from archive.runs import record_exit
from archive.stories import outlet_count
from newswatch.cli import cli
from newswatch.config import load_config
from newswatch.display import TerminalSafeFormatter, json_text, kst_time, terminal_safe
from scheduler import delivery_summary
from tests.conftest import _child_env, write_config

SOURCE = "a-rather-long-source-name-for-tests"
HOSTILE = "\x9b31m빨강\x7f\x1b[2J\u202e끝"  # CSI, DEL, ESC, a bidi override
TITLE = f"LG AI연구원, 엑사원 4.0 공개 {HOSTILE}"
SHOWN_TITLE = "LG AI연구원, 엑사원 4.0 공개 31m빨강[2J끝"  # what a terminal may be given
YNA = "https://www.yna.co.kr/view/AKR20250715000100017?section=it/all&site=headline_news_more"
MK = "https://www.mk.co.kr/news/it/11333783"
NAVER_COPY = "http://127.0.0.1:8080/mnews/article/001/0015123456"  # fetched where it had no name
NEWSIS = "https://www.newsis.com/view/?id=NISX20250715_0003000001"
HOOK = "json://127.0.0.1:9/a-very-long-webhook-path-for-the-alerts-of-newswatch"
UNSAFE = ("\x9b", "\x7f", "\x1b", "\u202e")


def _article(url: str, title: str, outlet: str, published: str, text: str) -> NewArticle:
    return NewArticle(
        url=url,
        title=title,
        text=text,
        published_at=published,
        modified_at=None,
        outlet=outlet,
        author=None,
        original_url=None,
        source=SOURCE,
        discovered_via="rss",
        relevance=1,
    )


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A story of two articles and two copies (one a Naver copy named only by its address), a
    failed alert whose error is a server's hostile answer, and a failed crawl run."""
    tmp = tmp_path_factory.mktemp("output")
    db = tmp / "news.db"
    path = write_config(
        tmp / "newswatch.toml",
        archive=db,
        sources=[(SOURCE, "rss", "http://127.0.0.1:9/a/rather/long/path/to/the/feed.xml")],
        extra=f'[[alerts]]\nurl = "{HOOK}"\n',
    )
    channel = load_config(path).alerts[0]
    with Archive(db) as archive:
        first = archive.add_article(
            _article(
                YNA,
                TITLE,
                "연합뉴스",
                "2025-07-15T01:40:00+00:00",
                "엑사원 본문이다. 엑사원 본문이다. 엑사원 본문이다.",
            ),
            seen_at="2025-07-15T11:00:00+09:00",
            alert=[outbox.ChannelRef(channel.id, label(channel))],
        )
        for url, outlet, at in (
            (NAVER_COPY, "127.0.0.1", "2025-07-15T11:05:00+09:00"),
            (NEWSIS, "뉴시스", "2025-07-15T11:06:00+09:00"),
        ):
            archive.add_urls(
                first.article_id,
                [url],
                "naver",
                outlet=outlet,
                matched_by="near_duplicate",
                similarity=0.9,
                seen_at=at,
            )
        archive.add_article(
            _article(
                MK, "엑사원 후속 보도", "매일경제", "2025-07-15T12:00:00+09:00", "다른 엑사원."
            ),
            seen_at="2025-07-15T12:30:00+09:00",
            story_id=first.story_id,
        )
        archive.index_search()
        (message,) = outbox.claim_due(
            archive.db, channel.id, now="2025-07-15T12:00:00+09:00", lease_until="9999"
        )
        outbox.mark_attempt_failed(
            archive.db,
            [message["id"]],
            error=f"HTTP 500 {HOSTILE}",
            retry_at="9999",
            max_attempts=1,
        )
        record_exit(
            archive.db,
            after_id=0,
            pid=4242,
            started_at="2025-07-15T10:00:00+09:00",
            exit_code=1,
            duration_s=2.5,
            trigger="manual",
            sources=[SOURCE],
            failure=f"archive {db}: disk I/O error {HOSTILE}",
        )
    return path


def run(config: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["--config", str(config), *args], obj={}, env={"COLUMNS": "80"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _assert_safe(output: str) -> None:
    for char in UNSAFE:
        assert char not in output, repr(char)


# --- on a pipe: whole lines ------------------------------------------------------------------


def test_stories_on_a_pipe_prints_whole_lines(config: Path) -> None:
    shown = run(config, "stories")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        "story\tlast seen (KST)\tarticles\tcopies\toutlets\ttitle\tids\tabout",
        # (no label: this archive's words were never analysed)
        f"1\t2025-07-15 12:30\t2\t2\t연합뉴스, 뉴시스, 매일경제\t{SHOWN_TITLE}\t1 2\t",
    ]


def test_search_table_on_a_pipe_has_ids_kst_times_and_whole_urls(config: Path) -> None:
    shown = run(config, "search", "엑사원", "--format", "table")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        "id\tdate (KST)\toutlet\ttitle\tlink\tsnippet\twatches",
        f"2\t2025-07-15 12:00\t매일경제\t엑사원 후속 보도\t{MK}\t다른 엑사원.\t",
        f"1\t2025-07-15 10:40\t연합뉴스\t{SHOWN_TITLE}\t{YNA}\t"
        + "엑사원 본문이다. 엑사원 본문이다. 엑사원 본문이다.\t",
    ]


def test_stats_on_a_pipe(config: Path) -> None:
    shown = run(config, "stats")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        "2 articles by outlet",
        "outlet\tarticles\tfirst\tlast",
        "매일경제\t1\t2025-07-15\t2025-07-15",
        "연합뉴스\t1\t2025-07-15\t2025-07-15",
        "",
        "by week (Monday, KST)",
        "week\tarticles",
        "2025-07-14\t2",
    ]


def test_alerts_status_on_a_pipe_names_the_channel_whole_and_filters_the_error(
    config: Path,
) -> None:
    shown = run(config, "alerts", "status")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        "alert outbox",
        "channel\tpending\tsent\tfailed",
        f"{HOOK}\t0\t0\t1",
        f"failed: {HOOK} story story:1 after 1 attempts: HTTP 500 31m빨강[2J끝",
    ]


def test_show_on_a_pipe_keeps_each_line_whole(config: Path) -> None:
    shown = run(config, "show", "1")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        SHOWN_TITLE,
        "published (KST): 2025-07-15 10:40",
        "outlet: 연합뉴스",
        f"url: {YNA}",
        "first seen (KST): 2025-07-15 11:00",
        f"source: {SOURCE}",
        "",
        "엑사원 본문이다. 엑사원 본문이다. 엑사원 본문이다.",
        "",
        "also seen at:",
        f"  {NAVER_COPY}",
        f"  {NEWSIS}",
        "",
        f"story #1: {SHOWN_TITLE}",
        f" *      1  2025-07-15 10:40  연합뉴스  {SHOWN_TITLE}",
        "        2  2025-07-15 12:00  매일경제  엑사원 후속 보도",
    ]


def test_json_of_every_command_carries_the_text_exactly_with_controls_escaped(
    config: Path,
) -> None:
    outputs = {
        "stories": run(config, "stories", "--format", "json").stdout,
        "show": run(config, "show", "1", "--format", "json").stdout,
        "search": run(config, "search", "엑사원", "--format", "json").stdout,
        "search jsonl": run(config, "search", "엑사원").stdout,
    }
    for output in outputs.values():
        _assert_safe(output)
    assert json.loads(outputs["stories"])[0]["title"] == TITLE
    assert json.loads(outputs["stories"])[0]["article_ids"] == [1, 2]
    assert json.loads(outputs["show"])["title"] == TITLE
    assert json.loads(outputs["search"])[1]["title"] == TITLE
    assert json.loads(outputs["search jsonl"].splitlines()[1])["title"] == TITLE


# --- a story's outlets: one rule ---------------------------------------------------------------


def test_stories_report_and_alert_follow_ups_count_the_same_outlets(
    config: Path, tmp_path: Path
) -> None:
    listed = json.loads(run(config, "stories", "--format", "json").stdout)
    # The Naver copy fetched from 127.0.0.1 named no outlet: its address is no outlet.
    assert listed[0]["outlets"] == ["연합뉴스", "뉴시스", "매일경제"]
    page = tmp_path / "report.html"
    assert run(config, "report", "--out", str(page)).exit_code == 0
    assert "<td>연합뉴스, 뉴시스, 매일경제</td>" in page.read_text(encoding="utf-8")
    with Archive(load_config(config).archive_path) as archive:
        assert outlet_count(archive.db, 1) == 3


# --- on a terminal: rich tables that cut nothing ----------------------------------------------


def on_terminal(config: Path, *args: str, columns: int = 80) -> str:
    """The command's output on a real terminal (a pty) of `columns` columns, styles removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(config), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=_child_env({"COLUMNS": str(columns), "TERM": "xterm-256color"}),
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert child.wait(timeout=60) == 0, output.decode("utf-8", "replace")
    text = output.decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # rich's colours; anything else would remain


def cells(table: str, key: int = 0) -> list[list[str]]:
    """Each row of a rich table as its cells' whole text (a folded cell's lines joined); a row
    starts where column `key` (one that never folds) has text."""
    rows: list[list[list[str]]] = []
    body = table.rsplit("╇", maxsplit=1)[-1]  # below the heading rule
    for line in body.splitlines()[1:]:
        if not line.startswith("│"):
            continue
        parts = [p.strip() for p in line.strip("│").split("│")]
        if parts[key] or not rows:
            rows.append([[p] for p in parts])
        else:
            for cell, part in zip(rows[-1], parts, strict=True):
                cell.append(part)
    return [["".join(part for part in cell if part) for cell in row] for row in rows]


def _assert_whole_table(output: str, columns: int = 80) -> None:
    _assert_safe(output)
    for line in output.splitlines():
        if line[:1] in "┏┃┡│└":  # the table's lines fit the terminal: rich cropped none
            assert cell_len(line) <= columns, line
            assert line.rstrip()[-1] in "┓┃┩│┘", line
    assert "…" not in output.replace("이야기…", "")  # only a snippet ends in an ellipsis


def test_terminal_stories_folds_outlets_and_titles_but_cuts_nothing(config: Path) -> None:
    output = on_terminal(config, "stories")
    _assert_whole_table(output)
    assert output.rstrip().endswith("┘")
    (row,) = cells(output)
    # Folding breaks words where the cell ends: compare without the spaces.
    assert [c.replace(" ", "") for c in row] == [
        "1",
        "2025-07-1512:30",
        "2",
        "2",
        "연합뉴스,뉴시스,매일경제",
        SHOWN_TITLE.replace(" ", ""),
        "12",
        "",
    ]


def test_terminal_search_shows_every_url_whole_across_its_lines(config: Path) -> None:
    output = on_terminal(config, "search", "엑사원")
    _assert_whole_table(output)
    rows = cells(output)
    assert [(r[0], r[4]) for r in rows] == [("2", MK), ("1", YNA)]
    assert rows[1][3].replace(" ", "") == SHOWN_TITLE.replace(" ", "")


def test_terminal_stats_and_alerts_status(config: Path) -> None:
    stats = on_terminal(config, "stats")
    _assert_whole_table(stats)
    assert [r[0] for r in cells(stats.split("by week")[0])] == ["매일경제", "연합뉴스"]
    status = on_terminal(config, "alerts", "status")
    _assert_whole_table(status)
    assert cells(status.split("failed:")[0], key=1) == [[HOOK, "0", "0", "1"]]
    assert f"failed: {HOOK} story story:1 after 1 attempts: HTTP 500 31m빨강[2J끝" in status


def test_terminal_show_prints_no_control_characters(config: Path) -> None:
    output = on_terminal(config, "show", "1")
    _assert_safe(output)
    assert output.startswith(SHOWN_TITLE)


# --- runs and sources: the same filter applies there (issue 17) ----------------------------


def test_runs_filters_the_run_detail(config: Path) -> None:
    shown = run(config, "runs")
    assert shown.exit_code == 0
    _assert_safe(shown.stdout)
    assert "disk I/O error 31m빨강[2J끝" in shown.stdout


def test_sources_on_a_pipe_prints_whole_lines(config: Path) -> None:
    shown = run(config, "sources")
    assert shown.exit_code == 0
    _assert_safe(shown.stdout)
    (row,) = [line.split() for line in shown.stdout.splitlines() if line.startswith(SOURCE)]
    assert row[:3] == [SOURCE, "rss", "http://127.0.0.1:9/a/rather/long/path/to/the/feed.xml"]


# --- the rest of issue 17's small things -------------------------------------------------------


def test_crawl_with_an_unknown_source_lists_the_valid_names(config: Path) -> None:
    shown = run(config, "crawl", "--source", "nope", "--source", SOURCE, "--source", "zz")
    assert shown.exit_code == 2
    assert shown.stderr == (
        f"Error: --source: no source named nope, zz in {config}; its sources are {SOURCE}.\n"
    )


def test_the_scheduler_logs_a_delivery_as_one_sentence(config: Path) -> None:
    sent = run(config, "alerts", "send")  # the real output the scheduler reads
    assert sent.exit_code == 0
    assert sent.stdout == f"alerts: {HOOK}: 0 sent\n"
    assert delivery_summary("scheduled", sent.stdout + "\n" + sent.stderr) == (
        f"alert delivery (scheduled) finished: 0 sent to {HOOK}"
    )
    assert delivery_summary(
        "after crawl stored 2", "alerts: a: 2 sent\nalerts: b: 0 sent, 1 failed (will retry): x\n"
    ) == (
        "alert delivery (after crawl stored 2) finished: 2 sent to a;"
        " 0 sent to b, 1 failed (will retry): x"
    )
    assert delivery_summary("scheduled", "") == (
        "alert delivery (scheduled) finished: no channel to send to"
    )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2025-07-15T10:40:59+09:00", "2025-07-15 10:40"),
        ("2025-07-15T01:40:00+00:00", "2025-07-15 10:40"),  # another offset: shown in KST
        ("2025-07-15T10:40:00", "2025-07-15 10:40"),  # no offset: KST already
        ("2025-07-15", "2025-07-15"),  # the page gave a date only
        ("", ""),
        (None, ""),
        ("어제\x9b", "어제"),  # not a time: shown as it is, filtered
    ],
)
def test_one_way_to_show_a_time(stored: str | None, shown: str) -> None:
    assert kst_time(stored) == shown


def test_the_filter_keeps_text_and_newlines_and_drops_controls() -> None:
    assert terminal_safe(f"가\n나\t다{HOSTILE}\u2066") == "가\n나다31m빨강[2J끝"
    assert json.loads(json_text({"t": HOSTILE})) == {"t": HOSTILE}
    assert json_text({"t": "\x9b\u202e"}) == '{"t": "\\u009b\\u202e"}'


def test_log_lines_pass_the_same_filter() -> None:
    """The scheduler's log handler (and any that reaches a terminal) formats through it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(TerminalSafeFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("newswatch.test_output")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("stored %r: %s", 1, TITLE)
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == f"WARNING stored 1: {SHOWN_TITLE}\n"
