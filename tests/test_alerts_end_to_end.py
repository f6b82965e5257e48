"""End to end: `newswatch crawl` of the local site queues alerts; delivery POSTs them to a webhook."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.alertsite import add_story, serve_feed, story_path
from tests.conftest import newswatch, write_config
from tests.newssite import NewsSite
from tests.receivers import WebhookReceiver

SECRET = "hook-secret-6789"


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def config_with_alert(tmp_path: Path, site: NewsSite, url: str, **options: object) -> Path:
    path = write_config(
        tmp_path / "newswatch.toml",
        archive=tmp_path / "news.db",
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    lines = ["", "[[alerts]]", f'url = "{url}"', "backoff = 0"]
    lines += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}" for k, v in options.items()]
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def crawl(config: Path, *extra: str) -> str:
    run = newswatch("--config", str(config), "crawl", *extra, env={"HOOK_TOKEN": SECRET})
    assert run.returncode == 0, run.stderr
    assert SECRET not in run.stdout + run.stderr
    return run.stdout + run.stderr


def outbox(db: Path) -> list[tuple[str, str, int]]:
    conn = sqlite3.connect(db)
    try:
        return list(
            conn.execute("select story_key, status, attempts from alert_outbox order by id")
        )
    finally:
        conn.close()


def test_first_crawl_is_a_backfill_then_each_new_story_is_sent_once(
    site: NewsSite, hook: WebhookReceiver, tmp_path: Path
) -> None:
    paths = [add_story(site, 1), add_story(site, 2)]
    serve_feed(site, paths)
    config = config_with_alert(tmp_path, site, hook.url())
    crawl(config)
    assert hook.posts == []
    assert outbox(tmp_path / "news.db") == []

    # A new story, a copy of story 1 under another URL, and story 2 edited in place.
    paths.append(add_story(site, 3, title="LG AI연구원, 엑사원 3호 <발표>"))
    site.add("/amp/news/story1", site.routes[story_path(1)].body)
    paths.append("/amp/news/story1")
    site.add(
        story_path(2), site.routes[story_path(2)].body.replace("소식".encode(), "새 소식".encode())
    )
    serve_feed(site, paths)
    crawl(config)
    (post,) = hook.posts
    assert post.body["title"] == "LG AI연구원, 엑사원 3호 <발표> (테스트일보)"
    assert site.url(story_path(3)) in post.body["message"]
    assert "테스트일보 · 2025-07-03 10:30 KST" in post.body["message"]

    crawl(config)
    assert len(hook.posts) == 1  # nothing new: nothing sent
    assert outbox(tmp_path / "news.db") == [("story:3", "sent", 1)]


def test_a_webhook_failing_three_times_gets_the_story_on_the_fourth_try_only_once(
    site: NewsSite, hook: WebhookReceiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alerts import deliver
    from newswatch.config import load_config

    serve_feed(site, [add_story(site, 1)])
    config = config_with_alert(
        tmp_path, site, f"json://newswatch:${{HOOK_TOKEN}}@127.0.0.1:{hook.port}/hook"
    )
    hook.statuses = [500, 500, 500]
    output = crawl(config, "--alert-backfill")  # the first try happens at the end of the crawl
    assert "1 failed (will retry)" in output
    monkeypatch.setenv("HOOK_TOKEN", SECRET)
    for _ in range(2):  # tries 2 and 3 in this process (faster); the 4th through the CLI
        assert deliver(load_config(config)).sent == 0
    run = newswatch("--config", str(config), "alerts", "send", env={"HOOK_TOKEN": SECRET})
    assert run.returncode == 0, run.stderr
    assert "1 sent" in run.stdout
    assert SECRET not in run.stdout + run.stderr
    assert [p.status for p in hook.posts] == [500, 500, 500, 200]
    assert len({p.headers["Idempotency-Key"] for p in hook.posts}) == 1
    assert len(hook.accepted()) == 1
    assert outbox(tmp_path / "news.db") == [("story:1", "sent", 4)]
    status = newswatch("--config", str(config), "alerts", "status", env={"HOOK_TOKEN": SECRET})
    assert status.returncode == 0, status.stderr
    assert "json://newswatch:****@127.0.0.1" in status.stdout
    assert SECRET not in status.stdout
    assert SECRET.encode() not in (tmp_path / "news.db").read_bytes()


def test_digest_mode_sends_one_message_for_a_crawl_that_found_five_stories(
    site: NewsSite, hook: WebhookReceiver, tmp_path: Path
) -> None:
    serve_feed(site, [add_story(site, n) for n in range(1, 6)])
    config = config_with_alert(tmp_path, site, hook.url(), mode="digest")
    crawl(config, "--alert-backfill")
    (post,) = hook.posts
    assert post.body["title"] == "newswatch: 5 new stories"
    assert [n for n in range(1, 7) if site.url(story_path(n)) in post.body["message"]] == [
        1,
        2,
        3,
        4,
        5,
    ]
    # Each story's label: the crawl stored its articles' words, before this delivery ran.
    assert post.body["message"].count("\nAbout: ") == 5


def test_alerts_test_sends_a_sample_and_reports_a_failure(
    hook: WebhookReceiver, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "c.toml", archive=tmp_path / "news.db", sources=[])
    run = newswatch("--config", str(config), "alerts", "test")
    assert run.returncode == 2
    assert "no [[alerts]] channel configured" in run.stderr
    run = newswatch("--config", str(config), "alerts", "test", "--channel", hook.url("/try"))
    assert run.returncode == 0, run.stderr
    (post,) = hook.posts
    assert post.path == "/try"
    assert post.body["title"].startswith("newswatch 알림 시험")
    hook.statuses = [404]
    run = newswatch(
        "--config",
        str(config),
        "alerts",
        "test",
        "--channel",
        f"json://u:${{HOOK_TOKEN}}@127.0.0.1:{hook.port}/gone",
        env={"HOOK_TOKEN": SECRET},
    )
    assert run.returncode == 1
    assert "FAILED" in run.stdout
    assert "404" in run.stdout
    assert SECRET not in run.stdout + run.stderr
