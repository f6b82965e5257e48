"""One hostile article crawled from the local site, then every place it is shown.

The page carries HTML and script in its title and text (as text: escaped in the page), Markdown,
ANSI escapes, a bell, a bidi override and a 100,000-character line with no space. Decision: it is
stored as text, exactly, minus what extraction strips on purpose (C0 control characters and bidi
embedding/override/isolate characters: never article text, and lxml refuses the former); it is
escaped wherever it is shown: terminal, HTML report, e-mail, Datasette.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from html import escape
from pathlib import Path

import pytest

from tests.conftest import datasette, newswatch, write_config
from tests.newssite import NewsSite
from tests.receivers import SmtpReceiver
from tests.test_crawl_end_to_end import rows

PATH = "/news/hostile"
TITLE = (
    "엑사원 <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    " **굵게** \x1b[31m빨강\x1b[0m \u202e역방향\u202c [bold]태그[/bold]"
)
LONG = "엑사원" + "가" * 100_000
PARAGRAPHS = [
    "LG AI연구원이 엑사원을 공개했다. <script>alert(1)</script> 태그는 글자로 남는다.",
    "마크다운 [링크](javascript:alert(1)) 와 **강조** 그리고 `코드` 도 글자다.",
    "제어 문자 \x1b[31m빨강\x1b[0m 벨\x07 과 \u202e역방향\u202c 글자. <img src=x onerror=alert(1)>",
    "본문이 충분히 길어야 기사로 인정된다. " * 5,
    LONG,
]
# What is stored: the same, without the control and bidi characters.
STORED_TITLE = (
    "엑사원 <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    " **굵게** [31m빨강[0m 역방향 [bold]태그[/bold]"
)
STORED_TEXT = "\n".join(
    [
        PARAGRAPHS[0],
        PARAGRAPHS[1],
        "제어 문자 [31m빨강[0m 벨 과 역방향 글자. <img src=x onerror=alert(1)>",
        PARAGRAPHS[3].strip(),
        LONG,
    ]
)
PAGE = (
    "<html><head><meta charset='utf-8'><title>"
    + escape(TITLE)
    + "</title><meta property='og:type' content='article'>"
    + f"<meta property='og:title' content='{escape(TITLE, quote=True)}'>"
    + "<meta property='article:published_time' content='2024-08-07T09:30:00+09:00'>"
    + "</head><body><article>"
    + "".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
)
UNSAFE = ("\x1b", "\x07", "\u202e", "\u202c")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, EmailMessage]]:
    tmp = tmp_path_factory.mktemp("hostile")
    site = NewsSite().start()
    smtp = SmtpReceiver("newswatch", "mail-pass-123").start()
    try:
        site.add(
            "/feed.xml",
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>x</title><link>{{base}}{PATH}</link></item></channel></rss>",
            content_type="application/rss+xml",
        )
        site.add(PATH, PAGE)
        db = tmp / "news.db"
        # apprise mailto with no TLS, as tests/test_alerts.py sends to its aiosmtpd receiver.
        mail = (
            f"mailto://newswatch:mail-pass-123@127.0.0.1:{smtp.port}"
            "?from=newswatch@example.com&to=reader@example.com&mode=insecure"
        )
        config = write_config(
            tmp / "newswatch.toml",
            archive=db,
            sources=[("testnews", "rss", site.url("/feed.xml"))],
            extra=f'[[alerts]]\nurl = "{mail}"\nbackoff = 0\n',
        )
        run = newswatch("--config", str(config), "crawl", "--alert-backfill")
        assert run.returncode == 0, run.stderr
        (message,) = smtp.messages
        assert isinstance(message, EmailMessage)
        yield db, config, message
    finally:
        smtp.stop()
        site.stop()


def test_stored_exactly_as_text_minus_control_characters(
    crawled: tuple[Path, Path, EmailMessage],
) -> None:
    db, _, _ = crawled
    (article,) = rows(db, "select title, text from articles")
    assert article["title"] == STORED_TITLE
    assert article["text"] == STORED_TEXT


def _assert_terminal_safe(output: str) -> None:
    for char in UNSAFE:
        assert char not in output
    # Shown as the text it is: neither rich markup ([bold]) nor a link is interpreted.
    assert "<script>alert(1)</script>" in output
    assert "[bold]태그[/bold]" in output


def test_terminal_search_show_and_stories_print_it_literally(
    crawled: tuple[Path, Path, EmailMessage],
) -> None:
    _, config, _ = crawled
    search = newswatch("--config", str(config), "search", "엑사원", "--format", "table")
    assert search.returncode == 0, search.stderr
    _assert_terminal_safe(search.stdout)
    show = newswatch("--config", str(config), "show", "1")
    assert show.returncode == 0, show.stderr
    _assert_terminal_safe(show.stdout)
    assert "**강조** 그리고 `코드`" in show.stdout
    # The 100,000-character word is all there, wrapped by the terminal table.
    assert show.stdout.count("가") >= 100_000
    stories = newswatch("--config", str(config), "stories")
    assert stories.returncode == 0, stories.stderr
    _assert_terminal_safe(stories.stdout)
    runs = newswatch("--config", str(config), "runs")
    assert runs.returncode == 0, runs.stderr
    assert "testnews" in runs.stdout
    # JSON carries the stored text exactly (json escapes what must be escaped).
    as_json = newswatch("--config", str(config), "show", "1", "--format", "json")
    assert json.loads(as_json.stdout)["title"] == STORED_TITLE


def test_html_report_escapes_it(crawled: tuple[Path, Path, EmailMessage], tmp_path: Path) -> None:
    _, config, _ = crawled
    out = tmp_path / "report.html"
    run = newswatch("--config", str(config), "report", "--out", str(out))
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert 'href="javascript' not in page
    assert escape(STORED_TITLE, quote=False) in page or escape(STORED_TITLE) in page


def test_email_escapes_it_in_html_and_keeps_it_as_text(
    crawled: tuple[Path, Path, EmailMessage],
) -> None:
    _, _, mail = crawled
    assert mail["Subject"].startswith(STORED_TITLE)
    html = mail.get_body(("html",))
    plain = mail.get_body(("plain",))
    assert html is not None
    assert plain is not None
    html_text, plain_text = html.get_content(), plain.get_content()
    assert "<script>" not in html_text
    assert "<img src=x" not in html_text
    assert 'href="javascript' not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert STORED_TITLE in plain_text
    for char in UNSAFE:
        assert char not in html_text + plain_text + mail["Subject"]


def test_datasette_shows_it_escaped(
    crawled: tuple[Path, Path, EmailMessage], tmp_path: Path
) -> None:
    db, config, _ = crawled
    with (
        datasette(config, tmp_path / "serve.log") as base,
        urllib.request.urlopen(f"{base}/{db.stem}/articles/1", timeout=5) as answer,
    ):
        page = answer.read().decode("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
