"""A new source type is one module plus its test: tests/jsonlist_source.py, registered here, read
from a config file and crawled from a local server through the real spider, touching no other
file of newswatch."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.sources import registry
from newswatch.config import ConfigError, load_config
from tests.conftest import CRAWL_TIMEOUT, write_config
from tests.jsonlist_source import JsonList, JsonListOptions
from tests.newssite import NewsSite
from tests.test_crawl_end_to_end import ECONOMIST, ETODAY, serve_test_site

ROOT = Path(__file__).resolve().parents[1]
# `newswatch` in a child process that registers the type first (as a local extension would).
MAIN = (
    "from crawler.sources import registry; from tests.jsonlist_source import JsonList;"
    " registry.register(JsonList); from newswatch.cli import main; main()"
)


@pytest.fixture
def json_list() -> Iterator[type[JsonList]]:
    registry.register(JsonList)
    yield JsonList
    registry.unregister(JsonList)


def crawl(config: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.run(
        [sys.executable, "-c", MAIN, "--config", str(config), "crawl"],
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
        cwd=ROOT,
        env=env | {"PYTHONPATH": str(ROOT)},
    )


def test_a_registered_type_is_read_from_the_config_with_its_own_checks(
    json_list: type[JsonList], tmp_path: Path
) -> None:
    source = {"name": "list", "type": "json-list", "url": "https://x.kr/list.json"}
    config = write_config(tmp_path / "ok.toml", archive=tmp_path / "n.db", sources=[source])
    (read,) = load_config(config).sources
    assert (read.type, read.address) == ("json-list", "https://x.kr/list.json")
    assert read.options == JsonListOptions(url="https://x.kr/list.json", max_items=50)
    bad = write_config(
        tmp_path / "bad.toml", archive=tmp_path / "n.db", sources=[source | {"max_items": 0}]
    )
    with pytest.raises(ConfigError) as error:
        load_config(bad)
    assert str(error.value) == (
        f"{bad}: [sources 'list'] max_items must be a whole number from 1 to 1,000, not 0."
    )


def test_an_unregistered_type_is_unknown(tmp_path: Path) -> None:
    source = {"name": "list", "type": "json-list", "url": "https://x.kr/list.json"}
    config = write_config(tmp_path / "n.toml", archive=tmp_path / "n.db", sources=[source])
    with pytest.raises(ConfigError, match="unknown type 'json-list'; known types: rss, sitemap"):
        load_config(config)


def test_a_registered_type_is_crawled_through_the_real_spider(
    site: NewsSite, tmp_path: Path
) -> None:
    serve_test_site(site)  # the article pages
    articles = [{"id": 1, "url": site.url(ECONOMIST)}, {"id": 2, "url": site.url(ETODAY)}]
    site.add("/list.json", json.dumps({"articles": articles}), content_type="application/json")
    db = tmp_path / "news.db"
    source = {"name": "list", "type": "json-list", "url": site.url("/list.json")}
    config = write_config(tmp_path / "newswatch.toml", archive=db, sources=[source])

    first = crawl(config)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select url, source, discovered_via from articles order by url")
        assert sorted(stored) == sorted(
            (site.url(path), "list", "json-list") for path in (ECONOMIST, ETODAY)
        )
        state = conn.execute("select watermark from source_state where source = 'list'")
        assert state.fetchall() == [("2",)]  # the state it keeps between crawls

    second = crawl(config)
    assert second.returncode == 0, second.stderr
    assert [h.path for h in site.requests_to("/list.json")] == [
        "/list.json?after=0",
        "/list.json?after=2",
    ]
