"""Alerts in one process: config, composition, the outbox, delivery over real local servers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from alerts import compose, deliver
from alerts.channels import label, mask
from alerts.status import outbox_status
from archive import KST, Archive, NewArticle, outbox
from newswatch.config import Config, ConfigError, load_config
from tests.receivers import SmtpReceiver, WebhookReceiver

BASE = """
[archive]
path = "news.db"

[watch]
terms = ["LG AI연구원", "엑사원"]

[[sources]]
name = "testnews"
type = "rss"
url = "http://127.0.0.1:9/feed.xml"
"""

HOSTILE_TITLE = (
    '<script>alert("x")</script> LG AI연구원 **엑사원** [클릭](javascript:alert(1)) & <b>'
)


def alerts_config(tmp_path: Path, *tables: str) -> Config:
    path = tmp_path / "newswatch.toml"
    path.write_text(BASE + "".join(tables), encoding="utf-8")
    return load_config(path)


def channel(url: str, **options: object) -> str:
    lines = ["", "[[alerts]]", f'url = "{url}"']
    for key, value in options.items():
        if isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def new_article(
    n: int, *, title: str | None = None, relevance: int = 4, **extra: object
) -> NewArticle:
    fields: dict[str, object] = {
        "url": f"https://www.example.co.kr/news/{n}",
        "title": title or f"LG AI연구원, 엑사원 {n}호 공개",
        "text": f"LG AI연구원이 엑사원 {n}호를 공개했다. 성능이 좋아졌다. 산업에 쓰인다. 넷째 문장이다.",
        "published_at": "2025-07-15T10:30:00+09:00",
        "modified_at": None,
        "outlet": "매일경제",
        "author": None,
        "original_url": None,
        "source": "testnews",
        "discovered_via": "rss",
        "relevance": relevance,
    } | extra
    return NewArticle(**fields)  # type: ignore[arg-type]


class Clock:
    """A clock the test moves by hand (rows are created at the real time, so start just after)."""

    def __init__(self) -> None:
        self.now = datetime.now(KST).replace(microsecond=0) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def refs(config: Config) -> list[outbox.ChannelRef]:
    return [outbox.ChannelRef(c.id, label(c)) for c in config.alerts]


def outbox_rows(config: Config) -> list[dict[str, object]]:
    conn = sqlite3.connect(config.archive_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("select * from alert_outbox order by id")]
    finally:
        conn.close()


# --- configuration ---------------------------------------------------------------------------


def test_alert_tables_are_read_with_defaults_and_env_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "s3cr@t/pw")
    config = alerts_config(
        tmp_path,
        channel(
            "mailto://user:${SMTP_PASSWORD}@smtp.example.com?to=me@example.com",
            mode="digest",
            min_score=3,
            terms=["엑사원"],
        ),
        channel("json://127.0.0.1:8080/hook"),
    )
    mail, hook = config.alerts
    assert mail.url == "mailto://user:s3cr%40t%2Fpw@smtp.example.com?to=me@example.com"
    assert (mail.mode, mail.min_score, mail.terms) == ("digest", 3, ("엑사원",))
    assert (hook.mode, hook.min_score, hook.terms, hook.max_attempts) == ("each", 1, (), 8)
    assert "s3cr" not in repr(config)  # the expanded URL stays out of repr()
    assert "s3cr" not in label(mail)
    assert "****" in label(mail)
    assert mask("login failed for s3cr%40t%2Fpw and s3cr@t/pw", mail) == (
        "login failed for **** and ****"
    )
    assert len(mail.id) == 16
    assert mail.id != hook.id


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            channel("mailto://u:${NO_SUCH_VAR_NW}@smtp.example.com"),
            "[alerts #1] url refers to ${NO_SUCH_VAR_NW}, which is not set in the environment.",
        ),
        (
            channel("json://127.0.0.1/x", mode="weekly"),
            "[alerts #1] mode must be one of each, digest, not 'weekly'.",
        ),
        (
            channel("json://127.0.0.1/x", min_score=-1),
            "[alerts #1] min_score must be a whole number from 0 to 1,000,000, not -1.",
        ),
        (channel("json://127.0.0.1/x", colour="red"), "[alerts #1] 'colour' is not a known key"),
        (
            channel("nosuch://secretvalue@host/x"),
            "[alerts #1] url is not an apprise URL newswatch can use (scheme 'nosuch'",
        ),
        (
            channel("json://127.0.0.1/x") + channel("json://127.0.0.1/x"),
            "[alerts #2] url is listed twice",
        ),
    ],
)
def test_alert_mistakes_stop_with_one_line(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        alerts_config(tmp_path, table)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert "secretvalue" not in text


# --- composition -------------------------------------------------------------------------------


def test_excerpt_takes_up_to_three_sentences_and_time_is_kst() -> None:
    text = "첫 문장이다. 둘째 문장이다! 셋째 문장인가? 넷째 문장이다.\n다음 문단."
    assert compose.excerpt(text) == "첫 문장이다. 둘째 문장이다! 셋째 문장인가?"
    long = "가" * 200 + "다. " + "나" * 200 + "다. 셋째."
    assert compose.excerpt(long) == "가" * 200 + "다."
    assert compose.kst_time("2025-07-15T01:30:00+00:00") == "2025-07-15 10:30 KST"
    assert compose.kst_time(None) == ""


def test_page_text_is_escaped_in_html_and_markdown() -> None:
    message = compose.story(
        [
            {
                "title": HOSTILE_TITLE,
                "outlet": "<i>매체</i>",
                "published_at": "2025-07-15T10:30:00+09:00",
                "text": "본문 <img src=x onerror=alert(1)> 이다.",
                "url": "https://www.example.co.kr/a?x=1&y=<2>",
            }
        ]
    )
    assert "<script>" not in message.html
    assert "<b>" not in message.html
    assert "<i>" not in message.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in message.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in message.html
    assert '<a href="https://www.example.co.kr/a?x=1&amp;y=&lt;2&gt;">' in message.html
    assert "\\*\\*엑사원\\*\\*" in message.markdown
    assert "\\[클릭\\]\\(javascript:alert\\(1\\)\\)" in message.markdown
    assert "<https://www.example.co.kr/a?x=1&y=<2%3E>" in message.markdown
    assert message.subject == f"{HOSTILE_TITLE} (<i>매체</i>)"  # a subject is plain text
    assert message.text.splitlines()[:2] == [HOSTILE_TITLE, "<i>매체</i> · 2025-07-15 10:30 KST"]


def test_a_story_from_several_outlets_is_one_message_listing_them() -> None:
    articles = [
        {
            "title": "엑사원 4.0 공개",
            "outlet": "연합뉴스",
            "published_at": None,
            "text": "A다.",
            "url": "https://yna.co.kr/1",
        },
        {
            "title": "엑사원 4.0",
            "outlet": "매일경제",
            "published_at": None,
            "text": "B다.",
            "url": "https://mk.co.kr/2",
        },
        {
            "title": "x",
            "outlet": "전자신문",
            "published_at": None,
            "text": "C다.",
            "url": "javascript:alert(1)",
        },
    ]
    message = compose.story(articles)
    assert message.subject == "엑사원 4.0 공개 (3 outlets)"
    assert message.text.splitlines()[-4:] == [
        "Covered by 3 outlets:",
        "- 연합뉴스: https://yna.co.kr/1",
        "- 매일경제: https://mk.co.kr/2",
        "- 전자신문: javascript:alert(1)",
    ]
    assert 'href="javascript' not in message.html  # only web links become links
    assert compose.story(articles, follow_up=True).subject.startswith("Update: ")


# --- the outbox ----------------------------------------------------------------------------------


def test_outbox_rows_commit_with_the_article_and_enqueueing_is_idempotent(
    tmp_path: Path,
) -> None:
    config = alerts_config(
        tmp_path, channel("json://127.0.0.1:1/a"), channel("json://127.0.0.1:1/b")
    )
    with Archive(config.archive_path) as archive:
        stored = archive.add_article(new_article(1), alert=refs(config))
        article_id, story = stored.article_id, outbox.story_key(stored.story_id)
        assert (
            outbox.enqueue_story(
                archive.db,
                story,
                article_id,
                refs(config),
                created_at="x",
            )
            == 0
        )
        # A failing article insert (same canonical URL) leaves no outbox row behind either.
        with pytest.raises(sqlite3.IntegrityError):
            archive.add_article(new_article(1, text="다른 본문"), alert=refs(config))
    rows = outbox_rows(config)
    assert [(r["channel"], r["story_key"], r["kind"], r["status"]) for r in rows] == [
        (config.alerts[0].id, story, "story", "pending"),
        (config.alerts[1].id, story, "story", "pending"),
    ]
    assert rows[0]["idempotency_key"] != rows[1]["idempotency_key"]
    assert rows[0]["idempotency_key"] == outbox.message_key(config.alerts[0].id, story, "story")


def test_channel_filters_apply_per_channel() -> None:
    from alerts.routing import filters, wanted_by

    chans = filters(
        [
            {"id": "a", "label": "A", "min_score": 1, "terms": []},
            {"id": "b", "label": "B", "min_score": 5, "terms": []},
            {"id": "c", "label": "C", "min_score": 1, "terms": ["EXAONE"]},
        ]
    )
    assert [r.id for r in wanted_by(chans, title="엑사원", text="x", relevance=3)] == ["a"]
    assert [r.id for r in wanted_by(chans, title="K-Exaone 공개", text="", relevance=6)] == [
        "a",
        "b",
        "c",
    ]


def test_a_growing_story_gets_one_follow_up_per_step_of_outlets() -> None:
    from archive.outbox import follow_up_kind

    assert [follow_up_kind(n, 3) for n in range(1, 9)] == [
        None,
        None,
        None,
        "grew:4",
        None,
        None,
        "grew:7",
        None,
    ]
    assert follow_up_kind(2, 1) == "grew:2"


# --- delivery over a real webhook ------------------------------------------------------------------


def test_a_failing_webhook_gets_the_message_on_the_fourth_try_once(
    tmp_path: Path, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_TOKEN", "tok-very-secret")
    config = alerts_config(
        tmp_path, channel(f"json://bot:${{HOOK_TOKEN}}@127.0.0.1:{hook.port}/hook", backoff=30)
    )
    clock = Clock()
    with Archive(config.archive_path) as archive:
        archive.add_article(new_article(1), alert=refs(config))
    hook.statuses = [500, 500, 500]
    delays = []
    for _ in range(3):
        report = deliver(config, clock=clock)
        assert report.sent == 0
        (row,) = outbox_rows(config)
        due = datetime.fromisoformat(str(row["next_attempt_at"]))
        delays.append((due - clock.now).total_seconds())
        assert deliver(config, clock=clock).sent == 0  # not due yet: nothing sent
        clock.now = due
    assert delays == [30, 60, 120]  # backoff doubles
    assert deliver(config, clock=clock).sent == 1
    assert deliver(config, clock=clock).sent == 0
    assert [p.status for p in hook.posts] == [500, 500, 500, 200]
    (accepted,) = hook.accepted()
    assert accepted.body["title"] == "LG AI연구원, 엑사원 1호 공개 (매일경제)"
    assert "https://www.example.co.kr/news/1" in accepted.body["message"]
    keys = {p.headers["Idempotency-Key"] for p in hook.posts}
    assert keys == {accepted.body["idempotency_key"]}
    assert accepted.headers["Authorization"].startswith("Basic ")  # ${HOOK_TOKEN} was expanded
    (row,) = outbox_rows(config)
    assert (row["status"], row["attempts"]) == ("sent", 4)
    assert "500" in str(row["last_error"])
    assert b"tok-very-secret" not in config.archive_path.read_bytes()


def test_a_crash_between_send_and_mark_resends_with_the_same_key(
    tmp_path: Path, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = alerts_config(tmp_path, channel(hook.url(), backoff=0))
    with Archive(config.archive_path) as archive:
        archive.add_article(new_article(1), alert=refs(config))
    real_mark_sent = outbox.mark_sent

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt("killed after the send, before the mark")

    monkeypatch.setattr(outbox, "mark_sent", crash)
    clock = Clock()
    with pytest.raises(KeyboardInterrupt):
        deliver(config, clock=clock)
    monkeypatch.setattr(outbox, "mark_sent", real_mark_sent)
    assert deliver(config, clock=clock).sent == 0  # leased by the crashed run
    clock.now += timedelta(minutes=11)
    assert deliver(config, clock=clock).sent == 1
    assert len(hook.posts) == 2
    assert hook.posts[0].headers["Idempotency-Key"] == hook.posts[1].headers["Idempotency-Key"]
    assert len(hook.accepted()) == 1


def test_after_max_attempts_a_message_is_failed_and_shown(
    tmp_path: Path, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_TOKEN", "tok-very-secret")
    bad = channel(
        f"json://bot:${{HOOK_TOKEN}}@127.0.0.1:{hook.port}/down", backoff=0, max_attempts=2
    )
    good = channel(hook.url("/up"), backoff=0)
    config = alerts_config(tmp_path, bad, good)
    with Archive(config.archive_path) as archive:
        archive.add_article(new_article(1), alert=refs(config))
        archive.add_article(new_article(2), alert=refs(config))
    hook.statuses = [503, 200, 200, 503]  # /down, /up, /up, /down
    first = deliver(config)
    assert [(c.sent, c.failed_attempts) for c in first.channels] == [(0, 1), (2, 0)]
    second = deliver(config)
    assert [(c.sent, c.failed_attempts, c.gave_up) for c in second.channels] == [
        (0, 1, 1),
        (0, 0, 0),
    ]
    assert deliver(config).sent == 1  # the second story on /down is still pending: it goes now
    counts, failed = outbox_status(config)
    assert [(c["pending"], c["sent"], c["failed"]) for c in counts] == [(0, 1, 1), (0, 2, 0)]
    (row,) = failed
    assert (row["kind"], row["attempts"]) == ("story", 2)
    assert "503" in row["last_error"]
    assert "tok-very-secret" not in str(failed)
    assert "tok-very-secret" not in str(counts)


def test_digest_mode_sends_one_message_for_all_due_stories(
    tmp_path: Path, hook: WebhookReceiver
) -> None:
    config = alerts_config(tmp_path, channel(hook.url(), mode="digest"))
    with Archive(config.archive_path) as archive:
        for n in range(1, 6):
            archive.add_article(new_article(n), alert=refs(config))
    assert deliver(config).sent == 5
    (post,) = hook.posts
    assert post.body["title"] == "newswatch: 5 new stories"
    for n in range(1, 6):
        assert f"https://www.example.co.kr/news/{n}" in post.body["message"]


# --- operational alerts ----------------------------------------------------------------------------


def record_run(archive: Archive, *, discovered: int, failed: int, status: str = "ok") -> int:
    run_id = archive.start_run(1)
    per_source = {"testnews": {"discovered": discovered, "feed_failed": failed}}
    archive.finish_run(run_id, status=status, counts={}, per_source=per_source)
    return run_id


def test_a_broken_source_is_announced_once_and_its_recovery_once(
    tmp_path: Path, hook: WebhookReceiver
) -> None:
    config = alerts_config(tmp_path, channel(hook.url(), backoff=0))
    with Archive(config.archive_path) as archive:
        record_run(archive, discovered=7, failed=0)
        for _ in range(2):
            record_run(archive, discovered=0, failed=1)
    assert deliver(config).sent == 0  # two failures are not yet "broken"
    with Archive(config.archive_path) as archive:
        third = record_run(archive, discovered=0, failed=1)
    assert deliver(config).sent == 1
    with Archive(config.archive_path) as archive:
        record_run(archive, discovered=0, failed=1)
    assert deliver(config).sent == 0  # still broken: said once
    with Archive(config.archive_path) as archive:
        back = record_run(archive, discovered=5, failed=0)
    assert deliver(config).sent == 1
    assert deliver(config).sent == 0
    titles = [p.body["title"] for p in hook.posts]
    assert titles == [
        "newswatch: source 'testnews' is broken",
        "newswatch: source 'testnews' works again",
    ]
    assert f"#{third - 2} to #{third}" in hook.posts[0].body["message"]
    assert f"crawl #{back}" in hook.posts[1].body["message"]


def test_crawls_that_keep_failing_are_announced(tmp_path: Path, hook: WebhookReceiver) -> None:
    config = alerts_config(tmp_path, channel(hook.url(), backoff=0))
    with Archive(config.archive_path) as archive:
        for _ in range(3):
            record_run(archive, discovered=3, failed=0, status="failed")
    assert deliver(config).sent == 1
    with Archive(config.archive_path) as archive:
        record_run(archive, discovered=3, failed=0)
    assert deliver(config).sent == 1
    assert [p.body["title"] for p in hook.posts] == [
        "newswatch: crawls keep failing",
        "newswatch: crawls work again",
    ]


# --- e-mail over a real SMTP server ------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    server = SmtpReceiver("newswatch", "mail-pass-123").start()
    yield server
    server.stop()


def test_email_has_a_korean_subject_both_parts_links_and_escaped_html(
    tmp_path: Path, smtp: SmtpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "mail-pass-123")
    # apprise mailto: user:password@host:port, ?from= and ?to=, mode=insecure for no TLS
    # (apprise/plugins/email/base.py template_args; SMTPSecureMode.INSECURE).
    url = (
        f"mailto://newswatch:${{SMTP_PASSWORD}}@127.0.0.1:{smtp.port}"
        "?from=newswatch@example.com&to=reader@example.com&mode=insecure"
    )
    config = alerts_config(tmp_path, channel(url))
    with Archive(config.archive_path) as archive:
        archive.add_article(new_article(1, title=HOSTILE_TITLE), alert=refs(config))
    assert deliver(config).sent == 1
    (mail,) = smtp.messages
    assert isinstance(mail, EmailMessage)
    assert mail["Subject"] == f"{HOSTILE_TITLE} (매일경제)"
    assert mail["To"] == "reader@example.com"
    assert mail["X-Newswatch-Key"].startswith("newswatch-")
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None
    assert html is not None
    plain_text, html_text = plain.get_content(), html.get_content()
    assert "https://www.example.co.kr/news/1" in plain_text
    assert '<a href="https://www.example.co.kr/news/1">' in html_text
    assert "LG AI연구원이 엑사원 1호를 공개했다. 성능이 좋아졌다. 산업에 쓰인다." in plain_text
    assert "넷째 문장" not in plain_text
    assert "2025-07-15 10:30 KST" in plain_text
    assert "<script>" not in html_text
    assert "&lt;script&gt;" in html_text
    assert "mail-pass-123" not in str(outbox_rows(config))


def test_a_growing_story_gets_one_follow_up_per_step_of_outlets_not_one_per_article(
    tmp_path: Path,
) -> None:
    config = alerts_config(tmp_path, channel("json://127.0.0.1:1/a"))
    ref = outbox.ChannelRef(config.alerts[0].id, label(config.alerts[0]), follow_up_outlets=2)
    outlets = ["연합뉴스", "뉴스1", "뉴시스", "매일경제", "한국경제", "뉴스1"]
    with Archive(config.archive_path) as archive:
        first = archive.add_article(new_article(1, outlet=outlets[0]), alert=[ref])
        for n, outlet in enumerate(outlets[1:], start=2):
            stored = archive.add_article(
                new_article(n, outlet=outlet), story_id=first.story_id, alert=[ref]
            )
            assert not stored.story_is_new
    story = outbox.story_key(first.story_id)
    # 1 outlet: the story; 3 outlets: grew by 2; 5 outlets: grew by 4; a 6th article from an
    # outlet already counted adds nothing.
    assert [(r["story_key"], r["kind"]) for r in outbox_rows(config)] == [
        (story, "story"),
        (story, "grew:3"),
        (story, "grew:5"),
    ]
