"""Configuration: the public file format, its defaults, and one clear sentence for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswatch.config import DEFAULT_CONFIG, ConfigError, find_config, load_config
from tests.conftest import newswatch

GOOD = """
[archive]
path = "data/news.db"

[watch]
name = "LG AI Research"
terms = ["LG AI연구원", "엑사원"]

[crawl]
delay = 2.5
allow_private = true

[[sources]]
name = "yna"
type = "rss"
url = "https://www.yna.co.kr/rss/news.xml"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_file_is_read_into_values(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.archive_path == tmp_path / "data" / "news.db"  # relative to the file
    assert config.watch.name == "LG AI Research"
    assert config.watch.terms == ("LG AI연구원", "엑사원")
    assert (config.crawl.delay, config.crawl.allow_private) == (2.5, True)
    assert [(s.name, s.type, s.address) for s in config.sources] == [
        ("yna", "rss", "https://www.yna.co.kr/rss/news.xml")
    ]


def test_omitted_sections_take_their_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[watch]\nterms = ["엑사원"]\n'))
    assert config.archive_path == tmp_path / "newswatch.db"
    assert config.watch.name == "엑사원"
    assert (config.crawl.delay, config.crawl.allow_private) == (1.0, False)
    assert config.crawl.timeout == 30.0
    assert config.sources == ()


def test_the_shipped_default_watches_lg_ai_research_and_writes_to_the_working_directory() -> None:
    config = load_config(DEFAULT_CONFIG)
    assert config.watch.name == "LG AI Research"
    assert {"LG AI연구원", "엑사원", "EXAONE"} <= set(config.watch.terms)
    assert config.archive_path == Path("newswatch.db")
    assert {s.type for s in config.sources} == {
        "rss",
        "sitemap",
        "google-news",
        "naver-api",
        "lg-newsroom",
    }
    # The outlets the monitor promises to read directly.
    hosts = " ".join(s.address for s in config.sources)
    for host in (
        "yna.co.kr",
        "mk.co.kr",
        "hankyung.com",
        "etoday.co.kr",
        "aitimes.com",
        "etnews.com",
        "newsis.com",
        "mt.co.kr",
        "hankookilbo.com",
    ):
        assert host in hosts, host
    assert all(s.address.startswith("https://") for s in config.sources if s.address)
    google = next(s for s in config.sources if s.type == "google-news")
    assert google.options.query == (
        '"LG AI연구원" OR "LG AI Research" OR "LG인공지능연구원" OR "LG경영개발원 AI연구원"'
        ' OR "엑사원" OR "EXAONE"',
    )
    assert google.options.endpoint == "https://news.google.com"
    naver = next(s for s in config.sources if s.type == "naver-api")
    assert naver.options.query == config.watch.terms
    newsroom = next(s for s in config.sources if s.type == "lg-newsroom")
    assert (newsroom.options.url, newsroom.options.start) == (
        "https://www.lgresearch.ai/news/view?seq={seq}",
        678,
    )
    assert config.crawl.allow_private is False


def test_lookup_order_is_flag_then_environment_then_working_directory_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSWATCH_CONFIG", raising=False)
    assert find_config() == DEFAULT_CONFIG
    local = write(tmp_path, GOOD)
    assert find_config() == Path("newswatch.toml")
    monkeypatch.setenv("NEWSWATCH_CONFIG", "/etc/nw.toml")
    assert find_config() == Path("/etc/nw.toml")
    assert find_config(local) == local


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[watch\nterms = 1", "not valid TOML"),
        (GOOD + "\n[crawl2]\n", "'crawl2' is not a known key"),
        (GOOD.replace("delay = 2.5", "dealy = 2.5"), "[crawl] 'dealy' is not a known key"),
        (
            GOOD.replace('type = "rss"', 'type = "telegraph"'),
            "[sources 'yna'] unknown type 'telegraph'",
        ),
        (
            GOOD.replace('url = "https://www.yna.co.kr/rss/news.xml"\n', ""),
            "[sources 'yna'] url is missing",
        ),
        (
            GOOD.replace("https://www.yna", "ftp://www.yna"),
            "url must start with http:// or https://",
        ),
        (GOOD.replace('name = "yna"\n', ""), "[sources #1] name is missing"),
        (
            GOOD.replace('type = "rss"', 'type = "google-news"').replace(
                'url = "https://www.yna.co.kr/rss/news.xml"',
                'endpoint = "https://news.google.com/rss"',
            ),
            "[sources 'yna'] endpoint is the service's base URL, such as"
            " 'https://news.google.com' (newswatch adds /rss/search?q=...),"
            " not 'https://news.google.com/rss'.",
        ),
        (
            GOOD.replace("delay = 2.5", 'delay = "fast"'),
            "[crawl] delay must be a number from 0 to 3,600 seconds, not 'fast'",
        ),
        (
            GOOD.replace("delay = 2.5", "delay = -1"),
            "[crawl] delay must be a number from 0 to 3,600 seconds, not -1.",
        ),
        (
            GOOD.replace("delay = 2.5", "delay = 2.5\ntimeout = 0"),
            "[crawl] timeout must be a number more than 0 and at most 3,600 seconds, not 0.",
        ),
        (
            GOOD.replace("allow_private = true", 'allow_private = "yes"'),
            "allow_private must be true or false",
        ),
        (GOOD.replace('terms = ["LG AI연구원", "엑사원"]', "terms = []"), "[watch] terms is empty"),
        (
            GOOD.replace('terms = ["LG AI연구원", "엑사원"]', 'terms = "엑사원"'),
            "terms must be a list",
        ),
        (GOOD.split("[watch]", maxsplit=1)[0], "[[watches]] is missing"),
        (GOOD + GOOD.split("[crawl]")[1].split("allow_private = true")[1], "'yna' is used twice"),
    ],
)
def test_mistakes_name_the_file_the_key_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read the config file"):
        load_config(tmp_path / "nope.toml")


def test_the_command_exits_2_with_one_line_and_touches_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('type = "rss"', 'type = "telegraph"'))
    run = newswatch("--config", str(path), "crawl", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == (
        f"Error: {path}: [sources 'yna'] unknown type 'telegraph'; known types: rss, sitemap, "
        "google-news, naver-api, lg-newsroom."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newswatch.toml"]  # no archive created
