"""Korean content words: the analysis, its storage, backfill, story labels and trends."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from archive import Archive, NewArticle
from archive import words as archive_words
from crawler.words import Analyser, KnownNames, content_words, morphemes
from newswatch.config import load_config
from newswatch.words import analyse_archive, analyser_for, known_names, words_lock
from tests.conftest import newswatch
from tests.conftest import write_config as write_crawl_config
from tests.newssite import NewsSite
from tests.test_crawl_end_to_end import serve_test_site
from tests.test_similarity_labelled import run_labelled

WATCH = ["LG AI연구원", "LG AI Research", "LG인공지능연구원", "엑사원", "EXAONE"]


@pytest.fixture
def analyser() -> Analyser:
    return Analyser.of(WATCH)


# --- analysis -------------------------------------------------------------------------------


def test_mecab_alone_splits_the_model_name_and_the_merge_keeps_it_whole(
    analyser: Analyser,
) -> None:
    # Why the merge step exists: the dictionary does not know 엑사원.
    assert [m.surface for m in morphemes("엑사원을 공개했다")][:3] == ["엑", "사원", "을"]
    assert analyser.words("", "엑사원을 공개했다") == Counter({"엑사원": 1, "공개": 1})


@pytest.mark.parametrize(
    "written", ["LG AI연구원은", "LG AI 연구원이", "LGAI연구원의", "lg ai연구원", "LG-AI 연구원"]
)
def test_the_organisation_is_one_word_whatever_the_spacing_and_case(
    analyser: Analyser, written: str
) -> None:
    assert analyser.words("", f"{written} 엑사원을 공개했다.") == Counter(
        {"LG AI연구원": 1, "엑사원": 1, "공개": 1}
    )


def test_particles_attach_to_one_word_and_never_come_out(analyser: Analyser) -> None:
    got = analyser.words("", "엑사원을 쓰는 기업과 엑사원의 성능, 그리고 엑사원이 바꾼 현장.")
    assert got == Counter({"엑사원": 3, "기업": 1, "성능": 1, "현장": 1})


def test_outlet_names_the_dictionary_splits_stay_whole(analyser: Analyser) -> None:
    assert [m.surface for m in morphemes("아이뉴스24")] == ["아이", "뉴스", "24"]
    got = analyser.words("", "아이뉴스24와 매일경제, 이코노미스트가 보도했다.")
    assert got == Counter({"아이뉴스24": 1, "매일경제": 1, "이코노미스트": 1, "보도": 1})


def test_numbers_keep_their_units_and_dates_are_dropped() -> None:
    got = content_words(
        "15일 조사에 따르면 3조원을 투자해 200명을 뽑고 매출은 20% 늘어 1,000명이 2025년 3월 참여한다.",
        KnownNames.of([]),
    )
    assert got == Counter(
        {"조사": 1, "3조원": 1, "투자": 1, "200명": 1, "매출": 1, "20%": 1, "1,000명": 1, "참여": 1}
    )


def test_nouns_written_together_are_one_word_and_headline_words_are_marked(
    analyser: Analyser,
) -> None:
    found = analyser.analyse("엑사원 오픈소스 공개", "멀티모달 모델을 오픈소스로 고도화했다.")
    assert found.counts == Counter(
        {"엑사원": 1, "오픈소스": 2, "공개": 1, "멀티모달": 1, "모델": 1, "고도화": 1}
    )
    assert found.in_title == {"엑사원", "오픈소스", "공개"}


# --- storage and backfill -------------------------------------------------------------------


def write_config(directory: Path) -> Path:
    path = directory / "newswatch.toml"
    path.write_text(
        '[archive]\npath = "news.db"\n[watch]\nname = "LG AI Research"\n'
        f"terms = {json.dumps(WATCH, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def labelled(tmp_path: Path) -> tuple[Path, Path]:
    """An archive of the labelled articles, made before any words (as an old archive is)."""
    db = tmp_path / "news.db"
    run_labelled(db)
    return db, write_config(tmp_path)


def consistent(db: Path) -> None:
    """The counts kept beside article_words are exactly what article_words says."""
    with sqlite3.connect(db) as conn:
        words = conn.execute("select word, articles, occurrences from words order by word")
        truth = conn.execute(
            "select word, count(*), sum(count) from article_words group by word order by word"
        )
        assert words.fetchall() == truth.fetchall()
        weeks = conn.execute("select week, word, articles from word_weeks order by week, word")
        truth = conn.execute(
            "select a.week, w.word, count(*) from article_words w"
            " join analysed_articles a using (article_id) group by a.week, w.word"
            " order by a.week, w.word"
        )
        assert weeks.fetchall() == truth.fetchall()


def test_backfill_analyses_an_old_archive_with_one_command(labelled: tuple[Path, Path]) -> None:
    db, config = labelled
    run = newswatch("--config", str(config), "words", "--backfill")
    assert run.returncode == 0, run.stderr
    assert "analysed 15 articles in" in run.stderr
    assert "articles/s)" in run.stderr
    consistent(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from analysed_articles").fetchone() == (15,)
    again = newswatch("--config", str(config), "words", "--backfill")
    assert "analysed 0 articles" in again.stderr
    shown = newswatch("--config", str(config), "words", "--limit", "3")
    assert shown.returncode == 0, shown.stderr
    assert "15 articles analysed, 0 waiting" in shown.stdout
    assert "엑사원" in shown.stdout


def test_backfill_resumes_where_a_killed_run_stopped(labelled: tuple[Path, Path]) -> None:
    db, config_path = labelled
    config = load_config(str(config_path))

    def stop_after_one_batch(_n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyse_archive(config, batch=4, on_batch=stop_after_one_batch)
    with Archive(db) as archive:
        assert archive_words.analysed_count(archive.db) == 4  # the first batch was committed
        assert archive_words.count_pending(archive.db) == 11
    result = analyse_archive(config, batch=4)
    assert result.articles == 11
    consistent(db)
    with Archive(db) as archive:
        assert archive_words.analysed_count(archive.db) == 15


def test_a_changed_text_is_analysed_again_and_its_old_words_leave_every_count(
    labelled: tuple[Path, Path],
) -> None:
    db, config_path = labelled
    config = load_config(str(config_path))
    analyse_archive(config)
    with Archive(db) as archive:
        archive.db.execute(
            "update articles set text = '엑사원 화학 소재 탐색 결과.', text_hash = 'new' where id = 1"
        )
        assert archive_words.count_pending(archive.db) == 1
    assert analyse_archive(config).articles == 1
    consistent(db)
    with Archive(db) as archive:
        words = dict(archive_words.article_words(archive.db, 1))
    # The headline's words stay; the old text's go.
    assert {"화학", "소재", "탐색"} <= set(words)
    assert "매개변수" not in words


# --- labels and trends ----------------------------------------------------------------------


def test_stories_and_show_carry_each_story_label(labelled: tuple[Path, Path]) -> None:
    _db, config = labelled
    assert newswatch("--config", str(config), "words", "--backfill").returncode == 0
    run = newswatch("--config", str(config), "stories", "--format", "json")
    assert run.returncode == 0, run.stderr
    by_title = {s["title"]: s["label"] for s in json.loads(run.stdout)}
    e2 = next(label for title, label in by_title.items() if "서울대와 AI 인재" in title)
    assert {"서울대", "인재", "육성"} <= set(e2)
    assert all(3 <= len(label) <= 5 for label in by_title.values())
    shown = newswatch("--config", str(config), "show", "1")
    assert shown.returncode == 0, shown.stderr
    assert "about: 추론 · " in shown.stdout


def add(
    archive: Archive, n: int, published: str, text: str, *, outlet: str | None = "연합뉴스"
) -> None:
    archive.add_article(
        NewArticle(
            url=f"https://news.example.kr/{published}/{n}",
            title=f"엑사원 소식 {n}",
            text=text,
            published_at=published,
            modified_at=None,
            outlet=outlet,
            author=None,
            original_url=None,
            source="test",
            discovered_via="rss",
            relevance=1,
        )
    )


@pytest.fixture
def weekly(tmp_path: Path) -> Path:
    """Four quiet weeks, then a week where 반도체 and 확대 are in 10 of 20 articles, 로봇 in 2."""
    config = write_config(tmp_path)
    with Archive(tmp_path / "news.db") as archive:
        for week in range(4):
            for n in range(10):
                day = f"2025-06-{2 + 7 * week:02d}T09:00:00+09:00"
                add(archive, n, day, "엑사원 모델 성능 평가." + (" 반도체 공급." if n < 1 else ""))
        for n in range(20):
            extra = " 반도체 확대." if n < 10 else (" 로봇 시연." if n < 12 else "")
            add(archive, n, "2025-06-30T09:00:00+09:00", "엑사원 모델 성능 평가." + extra)
    assert newswatch("--config", str(config), "words", "--backfill").returncode == 0
    return config


def test_trends_rank_by_evidence_and_a_word_seen_twice_does_not_top_the_list(
    weekly: Path,
) -> None:
    run = newswatch(
        "--config",
        str(weekly),
        "trends",
        "--since",
        "2025-07-02",
        "--weeks",
        "4",
        "--format",
        "json",
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert (found["week"], found["articles"], found["before_articles"]) == ("2025-06-30", 20, 40)
    rising = {r["word"]: r for r in found["rising"]}
    # 확대 is new in 10 articles; 반도체 was in 4 before; 로봇 (2 articles) is below the floor;
    # 공급 and 모델 did not rise.
    assert [r["word"] for r in found["rising"]] == ["확대", "반도체"]
    assert (rising["반도체"]["articles"], rising["반도체"]["before"]) == (10, 4)
    assert rising["반도체"]["share"] == 0.5
    assert rising["반도체"]["before_share"] == 0.1
    # Without the floor, a word new in two articles still ranks below those with the evidence.
    with Archive(weekly.parent / "news.db") as archive:
        unfloored = archive_words.trends(archive.db, "2025-06-30", weeks=4, min_articles=1)
    assert [t.word for t in unfloored.rising] == ["확대", "반도체", "로봇", "시연"]
    table = newswatch("--config", str(weekly), "trends", "--since", "2025-06-30")
    assert "week of 2025-06-30: 20 articles, against 40 in the 4 weeks before" in table.stdout


def test_trends_with_a_word_lists_the_words_of_the_same_articles(weekly: Path) -> None:
    run = newswatch("--config", str(weekly), "trends", "--with", "반도체", "--format", "json")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["articles"] == 14
    related = {r["word"]: r["articles"] for r in found["related"]}
    assert (related["확대"], related["공급"], related["모델"]) == (10, 4, 14)
    assert "반도체" not in related
    # 확대 only ever comes with 반도체; 모델 is in every article and says nothing: it ranks last.
    assert next(r["word"] for r in found["related"]) == "확대"
    assert [r["word"] for r in found["related"]][-1] in {"모델", "성능", "평가", "엑사원"}
    nothing = newswatch("--config", str(weekly), "trends", "--with", "없는말")
    assert "no analysed article has the word 없는말." in nothing.stdout


def test_trends_rejects_a_bad_date(weekly: Path) -> None:
    run = newswatch("--config", str(weekly), "trends", "--since", "last tuesday")
    assert run.returncode == 2
    assert "'last tuesday' is not a date (YYYY-MM-DD)" in run.stderr


# --- words stored by the crawl --------------------------------------------------------------


def crawl_config(site: NewsSite, tmp_path: Path, *, workers: int | None = None) -> Path:
    serve_test_site(site)
    path = write_crawl_config(
        tmp_path / "newswatch.toml",
        archive=tmp_path / "news.db",
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )
    if workers is not None:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("[crawl]\n", f"[crawl]\nextract_workers = {workers}\n"), encoding="utf-8"
        )
    return path


def test_a_crawl_analyses_what_it_stored_as_the_backfill_would(
    site: NewsSite, tmp_path: Path
) -> None:
    """After fetching, still under the crawl lock and before its alerts go out, the crawl
    analyses the articles it stored: nothing is left for the backfill, and the words are those
    the backfill computes for the same text."""
    config_path = crawl_config(site, tmp_path)
    db = tmp_path / "news.db"
    run = newswatch("--config", str(config_path), "crawl", "-v", "--format", "json")
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["words"]["analysed"], summary["words"]["problem"]) == (3, "")
    assert "words: analysed 3 articles in" in run.stderr
    consistent(db)
    config = load_config(str(config_path))
    with Archive(db) as archive:
        assert archive_words.count_pending(archive.db) == 0
        analyser = analyser_for(config, archive)
        articles = list(archive.db.query("select id, title, text, published_at from articles"))
        assert len(articles) == 3
        assert archive_words.analysed_count(archive.db) == 3
        for article in articles:
            expected = analyser.analyse(article["title"], article["text"]).counts
            assert dict(archive_words.article_words(archive.db, article["id"])) == dict(expected)
        weeks = dict(archive.db.execute("select article_id, week from analysed_articles"))
        assert weeks == {a["id"]: archive_words.week_of(a["published_at"]) for a in articles}
        assert {"엑사원", "LG AI연구원"} <= dict(archive_words.top_words(archive.db)).keys()
    again = newswatch("--config", str(config_path), "words", "--backfill")
    assert again.returncode == 0, again.stderr
    assert "analysed 0 articles" in again.stderr


def test_a_crawl_leaves_its_articles_to_a_backfill_that_holds_the_lock(
    site: NewsSite, tmp_path: Path
) -> None:
    """A backfill running on the archive goes on to the newest articles: the crawl does not wait
    for it (a backfill of a large archive takes minutes) and reports success."""
    config_path = crawl_config(site, tmp_path)
    db = tmp_path / "news.db"
    with words_lock(db) as held:
        assert held
        run = newswatch("--config", str(config_path), "crawl", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["words"] == {"analysed": 0, "seconds": 0.0, "problem": ""}
    assert "words:" not in run.stderr
    with Archive(db) as archive:
        assert archive_words.count_pending(archive.db) == 3
    assert analyse_archive(load_config(str(config_path))).articles == 3


def test_worker_processes_give_the_words_this_process_gives(labelled: tuple[Path, Path]) -> None:
    """The backfill analyses batches in the extraction workers (one batch stays here): the words
    and every count are the same as with none."""
    db, config_path = labelled
    copy = db.with_name("copy.db")
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    config = load_config(str(config_path))
    alone = dataclasses.replace(
        config,
        archive_path=copy,
        crawl=dataclasses.replace(config.crawl, extract_workers=0),
    )
    assert (
        analyse_archive(
            dataclasses.replace(config, crawl=dataclasses.replace(config.crawl, extract_workers=2)),
            batch=4,
        ).articles
        == 15
    )
    assert analyse_archive(alone, batch=4).articles == 15
    consistent(db)
    words = "select article_id, word, count, in_title from article_words order by 1, 2"
    with sqlite3.connect(db) as pooled, sqlite3.connect(copy) as single:
        assert pooled.execute(words).fetchall() == single.execute(words).fetchall()
        assert len(pooled.execute(words).fetchall()) > 500


def test_the_names_kept_whole_are_every_watchs_terms_and_each_outlet_once(tmp_path: Path) -> None:
    config_path = tmp_path / "newswatch.toml"
    config_path.write_text(
        '[archive]\npath = "news.db"\n'
        f'[[watches]]\nname = "LG AI Research"\nterms = {json.dumps(WATCH, ensure_ascii=False)}\n'
        '[[watches]]\nname = "Naver"\nterms = ["하이퍼클로바X"]\n',
        encoding="utf-8",
    )
    config = load_config(str(config_path))
    with Archive(tmp_path / "news.db") as archive:
        for n, outlet in enumerate(["테크노뉴스24", None, "가나일보", "테크노뉴스24"]):
            add(
                archive,
                n,
                "2025-07-01T10:00:00+09:00",
                f"엑사원 소식 {n}번째 기사 본문.",
                outlet=outlet,
            )
        names = known_names(config, archive)
        assert names == (*WATCH, "하이퍼클로바X", "가나일보", "테크노뉴스24")
        assert analyser_for(config, archive).words("", "테크노뉴스24가 보도했다") == Counter(
            {"테크노뉴스24": 1, "보도": 1}
        )


def test_a_batch_of_words_is_stored_whole_or_not_at_all(labelled: tuple[Path, Path]) -> None:
    db, _config = labelled
    analyser = Analyser.of(WATCH)
    with Archive(db) as archive:
        good = archive_words.Analysed(
            1, "2025-06-30", None, analyser.analyse("엑사원", "엑사원 공개")
        )
        missing = archive_words.Analysed(999, "2025-06-30", None, analyser.analyse("", "없는 기사"))
        with pytest.raises(sqlite3.IntegrityError):  # no article 999 (a foreign key)
            archive_words.store(archive.db, [good, missing])
        assert archive_words.analysed_count(archive.db) == 0
        assert archive_words.article_words(archive.db, 1) == []
        assert archive_words.top_words(archive.db) == []
