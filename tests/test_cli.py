"""The newswatch command's small jobs: extract one saved page, search the archive."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from archive import Archive, NewArticle
from tests.conftest import newswatch, write_config
from tests.newssite import SITE_DIR


def test_extract_prints_one_saved_page_as_json_without_network(tmp_path: Path) -> None:
    page = tmp_path / "dt.html.gz"
    page.write_bytes(gzip.compress((SITE_DIR / "dt_exaone_euckr.html").read_bytes()))
    run = newswatch(
        "extract",
        str(page),
        "--url",
        "https://www.dt.co.kr/contents.html?article_no=2024080702109931081001",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) >= {"url", "title", "text", "published_at", "author", "outlet"}
    assert data["url"] == "https://www.dt.co.kr/contents.html?article_no=2024080702109931081001"
    assert data["title"] == "LG AI연구원, 똠방각하 햏자 밈까지 읽는 '엑사원 3.0' 공개"
    assert "'똠방각하'와 '햏자'" in data["text"]


def test_extract_says_so_when_a_page_has_no_article(tmp_path: Path) -> None:
    run = newswatch(
        "extract", str(SITE_DIR / "section.html"), "--url", "https://news.example.kr/it"
    )
    assert run.returncode == 1
    assert (
        run.stderr.strip() == f"Error: {SITE_DIR / 'section.html'}: no article found on this page."
    )


def _archive_with_two_articles(tmp_path: Path) -> Path:
    db = tmp_path / "news.db"
    with Archive(db) as archive:
        for url, title, text, when in [
            (
                "https://www.mk.co.kr/news/it/1",
                "LG AI연구원, 엑사원 4.0 공개",
                "LG AI연구원이 엑사원을 공개했다.",
                "2025-07-15T10:30:00+09:00",
            ),
            (
                "https://www.yna.co.kr/view/AKR2",
                "<script>alert(1)</script> [bold]태그[/bold]",
                "엑사원의 성능이 좋아졌다.",
                "2025-07-16T09:00:00+09:00",
            ),
        ]:
            archive.add_article(
                NewArticle(
                    url=url,
                    title=title,
                    text=text,
                    published_at=when,
                    modified_at=None,
                    outlet="테스트",
                    author=None,
                    original_url=None,
                    source="t",
                    discovered_via="rss",
                    relevance=1,
                )
            )
    return write_config(tmp_path / "newswatch.toml", archive=db, sources=[])


def test_search_finds_articles_newest_first_as_json(tmp_path: Path) -> None:
    config = _archive_with_two_articles(tmp_path)
    run = newswatch("--config", str(config), "search", "엑사원", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert [r["url"] for r in json.loads(run.stdout)] == [
        "https://www.yna.co.kr/view/AKR2",
        "https://www.mk.co.kr/news/it/1",
    ]
    run = newswatch("--config", str(config), "search", "LG", "--limit", "1", "--format", "json")
    assert [r["url"] for r in json.loads(run.stdout)] == ["https://www.mk.co.kr/news/it/1"]


def test_search_table_shows_hostile_titles_as_text(tmp_path: Path) -> None:
    config = _archive_with_two_articles(tmp_path)
    run = newswatch("--config", str(config), "search", "엑사원의", "--format", "table")
    assert run.returncode == 0, run.stderr
    assert "[bold]태그[/bold]" in run.stdout  # printed literally, not read as rich markup
    for query in ["(", "엑사원 OR", "*"]:
        assert newswatch("--config", str(config), "search", query).returncode == 0
    nothing = newswatch("--config", str(config), "search", '"')
    assert nothing.returncode == 1
    assert nothing.stderr.startswith("Error: nothing to search for")


def test_search_without_an_archive_says_what_to_do(tmp_path: Path) -> None:
    config = write_config(tmp_path / "newswatch.toml", archive=tmp_path / "none.db", sources=[])
    run = newswatch("--config", str(config), "search", "엑사원")
    assert run.returncode == 1
    assert "run 'newswatch crawl' first" in run.stderr
    assert not (tmp_path / "none.db").exists()


def test_eval_scores_the_gold_set_and_fails_on_a_page_with_no_article(
    tmp_path: Path, goldset_dir: Path
) -> None:
    run = newswatch("eval", str(goldset_dir))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith("pages 7  mean F1 0.99")
    (tmp_path / "list.html.gz").write_bytes(gzip.compress((SITE_DIR / "section.html").read_bytes()))
    (tmp_path / "list.json").write_text(
        json.dumps({"url": "https://news.example.kr/it", "text": "없음"}), encoding="utf-8"
    )
    run = newswatch("eval", str(tmp_path), "--json")
    assert run.returncode == 1
    assert json.loads(run.stdout)["failures"] == ["list"]
    assert run.stderr.strip() == "Error: 1 page(s) gave no article: list"
