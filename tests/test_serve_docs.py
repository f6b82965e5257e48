"""The Datasette addresses the README and the manual show answer, and Datasette's home page lists the public tables only.

The archive is a real file named as the shipped default (`newswatch.db`, so Datasette serves it
as `newswatch`), and `newswatch serve` runs as a user runs it (tests/conftest.py `datasette`).
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from archive import Archive, NewArticle
from newswatch.serve import PUBLIC_TABLES
from tests.conftest import datasette, write_config

ROOT = Path(__file__).resolve().parent.parent
# The README and every manual page: the addresses live in docs/query-and-browsing.md.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOCUMENTED_BASE = "http://127.0.0.1:8001"


def documented_urls() -> list[str]:
    """Every Datasette address the pages show (its default host and port), in order."""
    text = "\n".join(page.read_text("utf-8") for page in PAGES)
    found = re.findall(re.escape(DOCUMENTED_BASE) + r"[^\s`)]*", text)
    return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("serve-docs")
    db = tmp / "newswatch.db"
    with Archive(db) as archive:
        archive.add_article(
            NewArticle(
                url="https://www.yna.co.kr/view/AKR20250715000100017",
                title="LG AI연구원, 엑사원 4.0 공개",
                text="LG AI연구원이 엑사원 4.0을 공개했다.",
                published_at="2025-07-15T10:40:00+09:00",
                modified_at=None,
                outlet="연합뉴스",
                author=None,
                original_url=None,
                source="yna",
                discovered_via="rss",
                relevance=1,
            ),
            seen_at="2025-07-15T11:00:00+09:00",
        )
    config = write_config(tmp / "newswatch.toml", archive=db, sources=[])
    with datasette(config, tmp / "serve.log") as base:
        yield base


def _get(url: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    # The pages show Korean as a person types it; a request line carries it percent-encoded.
    target = parts._replace(query=quote(parts.query, safe="=&_"), path=quote(parts.path)).geturl()
    with urllib.request.urlopen(target, timeout=10) as answer:  # 127.0.0.1 only
        return answer.status, answer.read()


def test_the_docs_show_datasette_addresses() -> None:
    urls = documented_urls()
    assert f"{DOCUMENTED_BASE}/" in urls
    assert f"{DOCUMENTED_BASE}/newswatch/articles.json?_search=엑사원" in urls


def test_every_datasette_address_in_the_docs_answers(served: str) -> None:
    for url in documented_urls():
        status, body = _get(served + url.removeprefix(DOCUMENTED_BASE))
        assert status == 200, url
        if ".json" in url:
            json.loads(body)  # a JSON page, not an error page
    _, body = _get(f"{served}/newswatch/articles.json?_search=엑사원&_shape=array")
    assert [row["title"] for row in json.loads(body)] == ["LG AI연구원, 엑사원 4.0 공개"]


def test_home_page_lists_only_the_public_tables(served: str) -> None:
    _, body = _get(f"{served}/newswatch.json")
    tables = json.loads(body)["tables"]
    visible = {t["name"] for t in tables if not t["hidden"]}
    assert visible == set(PUBLIC_TABLES)
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert {"article_bands", "url_keys", "_sqlite_migrations", "pages", "articles_fts"} <= hidden
    # The home page links the biggest visible tables (Datasette orders them by rows): public ones.
    _, page = _get(f"{served}/")
    linked = re.findall(r'href="/newswatch/(\w+)"', page.decode("utf-8"))
    assert "articles" in linked
    assert set(linked) <= set(PUBLIC_TABLES)
