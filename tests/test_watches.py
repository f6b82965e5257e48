"""Several watches: config, the one matcher (labelled spellings through watches and search), the
migration of an old archive, rematch, and --watch through the commands."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from alerts import deliver
from alerts.routing import filters, wanted_by
from archive import Archive, NewArticle
from archive.migrations import migrations as archive_migrations
from archive.query_language import Filters, Query, parse_query
from archive.search import iter_articles, search
from archive.watches import adopt_unnamed, by_watch, rematch
from crawler.watch import FoldedArticle, Watches, WatchRule, mentions
from newswatch.config import DEFAULT_CONFIG, ConfigError, load_config
from newswatch.crawl import crawl_settings
from tests.chromium import rendered_body_tag
from tests.conftest import datasette, newswatch, write_config
from tests.labelled_spellings import MUST_MATCH, MUST_NOT_MATCH
from tests.receivers import WebhookReceiver

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "competitors.toml"

TWO_WATCHES = """
[archive]
path = "news.db"

[[watches]]
name = "LG AI Research"
terms = ["LG AI연구원", "엑사원", "EXAONE"]

[[watches]]
name = "Naver HyperCLOVA X"
terms = ["하이퍼클로바X", "HyperCLOVA X"]
exclude = ["하이퍼클로바X 게임"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- config ---------------------------------------------------------------------------------


def test_watches_tables_load_in_order_with_their_excludes(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, TWO_WATCHES))
    assert [(w.name, w.terms, w.exclude) for w in config.watches] == [
        ("LG AI Research", ("LG AI연구원", "엑사원", "EXAONE"), ()),
        ("Naver HyperCLOVA X", ("하이퍼클로바X", "HyperCLOVA X"), ("하이퍼클로바X 게임",)),
    ]
    google = [s for s in load_config(DEFAULT_CONFIG).sources if s.type == "google-news"]
    assert google
    assert '"EXAONE"' in google[0].options.query[0]


def test_the_old_watch_table_is_read_as_one_watch(tmp_path: Path) -> None:
    path = write_config(tmp_path / "newswatch.toml", archive=tmp_path / "n.db", sources=[])
    config = load_config(path)
    assert [(w.name, w.terms) for w in config.watches] == [
        ("LG AI Research", ("LG AI연구원", "LG AI Research", "엑사원", "EXAONE"))
    ]
    assert load_config(DEFAULT_CONFIG).watch.name == "LG AI Research"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            TWO_WATCHES + '\n[watch]\nterms = ["x"]\n',
            "has both [watch] and [[watches]]; move the [watch] table into [[watches]].",
        ),
        (
            TWO_WATCHES.replace('exclude = ["하이퍼클로바X 게임"]', 'colour = "red"'),
            "[watches #2] 'colour' is not a known key (known: exclude, name, terms).",
        ),
        (
            TWO_WATCHES.replace('terms = ["하이퍼클로바X", "HyperCLOVA X"]', "terms = []"),
            "[watches #2] terms is empty; list at least one term to watch for.",
        ),
        (
            TWO_WATCHES.replace('"Naver HyperCLOVA X"', '"LG AI Research"'),
            "watch name 'LG AI Research' is used twice; names must be unique.",
        ),
        (
            TWO_WATCHES.replace('name = "Naver HyperCLOVA X"\n', ""),
            "[watches #2] name is missing.",
        ),
        (
            TWO_WATCHES + '\n[[alerts]]\nurl = "json://127.0.0.1:9/"\nwatches = ["Kakao"]\n',
            "[alerts #1] watches names 'Kakao', which is no watch"
            " (known: 'LG AI Research', 'Naver HyperCLOVA X').",
        ),
    ],
)
def test_watch_mistakes_are_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == f"{path}: {message}"
    run = newswatch("--config", str(path), "stats")
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1].endswith(message)
    assert len(run.stderr.strip().splitlines()) == 1


def test_the_competitor_example_loads() -> None:
    config = load_config(EXAMPLE)
    assert [w.name for w in config.watches] == [
        "LG AI Research",
        "Naver HyperCLOVA X",
        "Upstage Solar",
        "Kakao Kanana",
        "SK Telecom A.X",
    ]
    assert all(w.terms for w in config.watches)


# --- the one matcher ------------------------------------------------------------------------


def test_the_labelled_set_is_big_enough() -> None:
    assert len(MUST_MATCH) >= 40
    assert len(MUST_NOT_MATCH) >= 20


@pytest.mark.parametrize(("term", "text"), MUST_MATCH)
def test_labelled_spellings_match_a_watch(term: str, text: str) -> None:
    assert mentions(text, term)
    rule = WatchRule.of("w", [term])
    assert rule.match(FoldedArticle.of(text, "")) is not None  # in the title
    assert rule.match(FoldedArticle.of("제목", text)) is not None  # in the text


@pytest.mark.parametrize(("term", "text"), MUST_NOT_MATCH)
def test_labelled_near_misses_do_not_match_a_watch(term: str, text: str) -> None:
    assert not mentions(text, term)
    assert WatchRule.of("w", [term]).match(FoldedArticle.of(text, text)) is None


def _labelled_archive(path: Path) -> Archive:
    archive = Archive(path)
    for i, (_, text) in enumerate(MUST_MATCH + MUST_NOT_MATCH):
        archive.add_article(_article(i, "오늘의 소식", f"본문입니다. {text} 끝.", "2026-05-01"))
    return archive


@pytest.mark.parametrize("indexed", [False, True])
def test_search_decides_the_labelled_pairs_as_the_watches_do(tmp_path: Path, indexed: bool) -> None:
    with _labelled_archive(tmp_path / "n.db") as archive:
        if indexed:
            assert archive.index_search() == len(MUST_MATCH) + len(MUST_NOT_MATCH)
        for i, (term, text) in enumerate(MUST_MATCH + MUST_NOT_MATCH):
            found = {r["id"] for r in search(archive.db, parse_query(f'"{term}"'), limit=1000)}
            assert (i + 1 in found) == mentions(text, term), (term, text)
            # Every article search finds for the term mentions it, by the same matcher.
            assert all(mentions(archive.article(a)["text"], term) for a in found)


def test_search_finds_the_spellings_named_in_the_issue(tmp_path: Path) -> None:
    texts = ["LG AI 연구원이 공개", "LGAI연구원 발표", "LG AI연구원의 모델", "LG전자 AI 가전"]
    with Archive(tmp_path / "n.db") as archive:
        for i, text in enumerate(texts):
            archive.add_article(_article(i, text, "본문", f"2026-05-0{i + 1}"))
        archive.index_search()
        found = search(archive.db, parse_query('"LG AI연구원"'))
        assert [r["id"] for r in found] == [3, 2, 1]
        assert found[2]["snippet"] == "본문"
        assert parse_query('"LG AI연구원"').pattern().search("LG AI 연구원이")  # type: ignore[union-attr]


# --- archive: migration, tags, rematch ------------------------------------------------------


def _article(i: int, title: str, text: str, day: str, outlet: str = "연합뉴스") -> NewArticle:
    return NewArticle(
        url=f"https://www.yna.co.kr/view/AKR{i}",
        title=title,
        text=text,
        published_at=f"{day}T09:00:00+09:00",
        modified_at=None,
        outlet=outlet,
        author=None,
        original_url=None,
        source="yna",
        discovered_via="rss",
        relevance=1,
    )


def test_an_old_archive_migrates_tagging_each_article_with_its_watch(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path, isolation_level=None))
    archive_migrations.apply(db, stop_before="m009_watches")
    for i, (title, text) in enumerate([("LG AI 연구원 발표", "본문"), ("제목", "엑사원을 공개")]):
        db.execute(
            "insert into articles (url, title, text, first_seen_at, published_at)"
            " values (?, ?, ?, ?, ?)",
            [f"https://a.kr/{i}", title, text, "2026-05-01T09:00:00+09:00", f"2026-05-0{i + 1}"],
        )
    db.execute("insert into articles_fts (rowid, title, text) select id, title, text from articles")
    db.execute("update search_index set indexed_through = 2")
    db.close()
    with Archive(path) as archive:
        assert archive.db.execute(
            "select article_id, watch, matched_in from article_watches order by article_id"
        ).fetchall() == [(1, "", "unknown"), (2, "", "unknown")]
        # The index was rebuilt with folded text: the spacing variant is found in it.
        assert [r["id"] for r in search(archive.db, parse_query('"LG AI연구원"'))] == [1]
        assert archive.db.execute("select indexed_through from search_index").fetchone() == (2,)
        rule = WatchRule.of("LG AI Research", ["LG AI연구원", "엑사원"])
        assert adopt_unnamed(archive.db, rule) == 2
        assert adopt_unnamed(archive.db, rule) == 0
        assert archive.db.execute(
            "select article_id, watch, matched_in from article_watches order by article_id"
        ).fetchall() == [(1, "LG AI Research", "title"), (2, "LG AI Research", "lead")]


def _watches(*specs: tuple[str, list[str]]) -> Watches:
    return Watches.of({"name": n, "terms": t} for n, t in specs)


def test_rematch_reports_gained_and_lost_and_marks_what_matches_nothing(tmp_path: Path) -> None:
    lg = ("LG AI Research", ["LG AI연구원", "엑사원"])
    with Archive(tmp_path / "n.db") as archive:
        for i, (title, text) in enumerate(
            [("엑사원 공개", "본문"), ("하이퍼클로바X 출시", "엑사원과 경쟁"), ("제목", "카나나")]
        ):
            archive.add_article(
                _article(i, title, text, "2026-05-04"), watches=[("LG AI Research", "title")]
            )
        result = rematch(archive.db, _watches(lg, ("Naver", ["하이퍼클로바X"])))
        assert result.to_dict(["LG AI Research", "Naver"]) == {
            "articles": 3,
            "watches": [
                {"watch": "LG AI Research", "gained": 0, "lost": 1},
                {"watch": "Naver", "gained": 1, "lost": 0},
            ],
            "unmatched": 1,
            "newly_unmatched": 1,
            "matched_again": 0,
        }
        rows = archive.db.execute(
            "select article_id, watch, matched_in from article_watches order by 1, 2"
        ).fetchall()
        assert rows == [(1, "LG AI Research", "title"), (2, "LG AI Research", "lead"),
                        (2, "Naver", "title")]  # fmt: skip
        marked = archive.db.execute("select id from articles where unmatched_at is not null")
        assert [r[0] for r in marked] == [3]  # kept, marked
        # Only one watch: the others' rows stay as they are; a term added brings article 3 back.
        again = rematch(
            archive.db,
            _watches(("LG AI Research", ["LG AI연구원", "엑사원", "카나나"]), ("Naver", [])),
            only=["LG AI Research"],
        )
        assert (again.gained["LG AI Research"], again.lost["Naver"], again.rematched) == (1, 0, 1)
        assert archive.db.execute("select count(*) from articles where unmatched_at is not null")
        assert by_watch(archive.db) == [
            {"watch": "LG AI Research", "week": "2026-05-04", "articles": 3},
            {"watch": "Naver", "week": "2026-05-04", "articles": 1},
        ]
        only_naver = iter_articles(archive.db, Query(), Filters(watches=("Naver",)))
        assert [(r["id"], r["watches"]) for r in only_naver] == [(2, ["LG AI Research", "Naver"])]


# --- the commands ---------------------------------------------------------------------------

LG, NAVER = "LG AI Research", "Naver HyperCLOVA X"
CLI_ARTICLES = [
    # title, text, day, outlet, crawl-time watches
    ("엑사원 4.0 공개", "LG AI연구원이 새 모델을 공개했다.", "2026-05-04", "연합뉴스", [LG]),
    ("하이퍼클로바X 업데이트", "네이버가 발표했다.", "2026-05-05", "전자신문", [NAVER]),
    ("국산 AI 경쟁", "엑사원과 하이퍼클로바X가 맞붙었다.", "2026-05-12", "매일경제", [LG, NAVER]),
    ("LG AI 연구원 채용", "연구원을 뽑는다.", "2026-05-13", "연합뉴스", [LG]),
]


def _two_watch_archive(tmp_path: Path) -> Path:
    with Archive(tmp_path / "news.db") as archive:
        for i, (title, text, day, outlet, watches) in enumerate(CLI_ARTICLES):
            archive.add_article(
                _article(i, title, text, day, outlet), watches=[(w, "title") for w in watches]
            )
    return _write(tmp_path, TWO_WATCHES)


def _json(*args: str) -> object:
    run = newswatch(*args)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_watch_filters_every_command_and_results_name_the_watches(tmp_path: Path) -> None:
    config = str(_two_watch_archive(tmp_path))
    listed = _json("--config", config, "search", "--watch", NAVER, "--format", "json")
    assert [(r["id"], r["watches"]) for r in listed] == [(3, [LG, NAVER]), (2, [NAVER])]  # type: ignore[index]
    found = _json("--config", config, "search", '"LG AI연구원"', "--format", "json")
    assert [r["id"] for r in found] == [4, 1]  # type: ignore[index]
    both = _json("--config", config, "search", "엑사원", "--watch", NAVER, "--format", "json")
    assert [r["id"] for r in both] == [3]  # type: ignore[index]
    shown = _json("--config", config, "show", "3", "--format", "json")
    assert shown["watches"] == [  # type: ignore[index]
        {"watch": LG, "matched_in": "title"},
        {"watch": NAVER, "matched_in": "title"},
    ]
    text = newswatch("--config", config, "show", "3")
    assert f"watches: {LG} (title), {NAVER} (title)" in text.stdout
    exported = newswatch("--config", config, "export", "--format", "jsonl", "--watch", LG)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(r["id"], r["watches"]) for r in rows] == [(4, [LG]), (3, [LG, NAVER]), (1, [LG])]
    csv = newswatch("--config", config, "export", "--format", "csv", "--watch", NAVER)
    assert csv.stdout.splitlines()[0].endswith(",watches")
    assert _json("--config", config, "stats", "--by", "watch", "--format", "json") == [
        {"watch": LG, "week": "2026-05-04", "articles": 1},
        {"watch": NAVER, "week": "2026-05-04", "articles": 1},
        {"watch": LG, "week": "2026-05-11", "articles": 2},
        {"watch": NAVER, "week": "2026-05-11", "articles": 1},
    ]
    counted = _json("--config", config, "stats", "--watch", NAVER, "--format", "json")
    assert counted["total"] == 2  # type: ignore[index]
    stories = _json("--config", config, "stories", "--watch", NAVER, "--format", "json")
    assert [s["id"] for s in stories] == [3, 2]  # type: ignore[index]
    unknown = newswatch("--config", config, "rematch", "--watch", "Kakao")
    assert unknown.returncode == 1
    assert "--watch 'Kakao' is no watch" in unknown.stderr


def test_rematch_command_reports_per_watch(tmp_path: Path) -> None:
    config = _two_watch_archive(tmp_path)
    # A term added to the Naver watch: article 4 ("연구원") stays LG's only; nothing changes.
    report = _json("--config", str(config), "rematch", "--format", "json")
    # Article 1 mentions 엑사원 in its title, 4 "LG AI 연구원": both LG; 2 and 3 Naver's.
    assert report == {
        "articles": 4,
        "watches": [
            {"watch": LG, "gained": 0, "lost": 0},
            {"watch": NAVER, "gained": 0, "lost": 0},
        ],
        "unmatched": 0,
        "newly_unmatched": 0,
        "matched_again": 0,
    }
    config.write_text(
        TWO_WATCHES.replace('"LG AI연구원", "엑사원", "EXAONE"', '"EXAONE"'), encoding="utf-8"
    )
    run = newswatch("--config", str(config), "rematch")
    assert run.returncode == 0, run.stderr
    assert "rematched 4 articles" in run.stdout
    assert "2 article(s) match no watch (kept, marked unmatched): 2 newly, 0 matched again." in (
        " ".join(run.stdout.split())
    )
    again = _json("--config", str(config), "search", "--watch", LG, "--format", "json")
    assert again == []
    assert [
        r["id"] for r in _json("--config", str(config), "search", "엑사원", "--format", "json")
    ] == [3, 1]  # type: ignore[index]


def test_report_shows_share_of_voice_rendered_in_chromium(tmp_path: Path) -> None:
    config = _two_watch_archive(tmp_path)
    out = tmp_path / "report.html"
    run = newswatch("--config", str(config), "report", "--out", str(out))
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    assert "Share of voice" in page
    # LG 3 of 5 watch matches, Naver 2 of 5; one bar per (week, watch) with articles.
    assert f"{LG} 60%" in page
    assert f"{NAVER} 40%" in page
    assert page.count('class="share-bar"') == 4
    assert "<td>연합뉴스 (2)" not in page
    assert "Top outlets: 연합뉴스 (2), 매일경제 (1)" in page
    body = rendered_body_tag(out, tmp_path / "profile")
    assert 'data-share-bars="4"' in body
    assert 'data-share-width="960"' in body
    # One watch: nothing to compare, no section.
    single = tmp_path / "one.html"
    run = newswatch("--config", str(config), "report", "--watch", LG, "--out", str(single))
    assert run.returncode == 0, run.stderr
    assert "Share of voice" not in single.read_text(encoding="utf-8")


# --- alerts routed per watch ----------------------------------------------------------------


def test_alerts_route_per_watch_name_the_watches_and_send_a_two_watch_story_once(
    tmp_path: Path,
) -> None:
    receiver = WebhookReceiver().start()
    try:
        lg_only = f"json://127.0.0.1:{receiver.port}/lg"
        every = f"json://127.0.0.1:{receiver.port}/all"
        text = TWO_WATCHES + (
            f'\n[[alerts]]\nurl = "{lg_only}"\nwatches = ["{LG}"]\n\n[[alerts]]\nurl = "{every}"\n'
        )
        config = load_config(_write(tmp_path, text))
        assert [c.watches for c in config.alerts] == [(LG,), ()]
        channels = filters(crawl_settings(config).getlist("ALERTS_CHANNELS"))
        watches = Watches.of(w.settings() for w in config.watches)
        with Archive(config.archive_path) as archive:
            for i, (title, body) in enumerate(
                [
                    ("하이퍼클로바X 새 버전", "네이버가 공개했다."),
                    ("엑사원과 하이퍼클로바X", "둘 다"),
                ]
            ):
                matched = watches.match(title, body)
                archive.add_article(
                    _article(i, title, body, "2026-05-04"),
                    alert=wanted_by(
                        channels,
                        title=title,
                        text=body,
                        relevance=max(m.score for m in matched),
                        watches=[m.watch for m in matched],
                    ),
                    watches=[(m.watch, m.where) for m in matched],
                )
        assert deliver(config).sent == 3
        assert deliver(config).sent == 0  # exactly once per channel
        got = sorted((p.path, p.body["title"], p.body["message"]) for p in receiver.accepted())
        assert [(path, title) for path, title, _ in got] == [
            ("/all", "엑사원과 하이퍼클로바X (연합뉴스)"),
            ("/all", "하이퍼클로바X 새 버전 (연합뉴스)"),
            ("/lg", "엑사원과 하이퍼클로바X (연합뉴스)"),
        ]
        assert f"watches: {LG}, {NAVER}" in got[0][2]
        assert f"watch: {NAVER}" in got[1][2]
    finally:
        receiver.stop()


def test_datasette_facets_the_watch_table_and_has_share_of_voice(tmp_path: Path) -> None:
    config = _two_watch_archive(tmp_path)
    with datasette(config, tmp_path / "serve.log") as base:
        meta = _get(f"{base}/-/metadata.json")
        assert meta["databases"]["news"]["tables"]["article_watches"]["facets"] == [
            "watch",
            "matched_in",
        ]
        facets = _get(f"{base}/news/article_watches.json?_facet=watch&_size=0")
        assert sorted(
            (f["value"], f["count"]) for f in facets["facet_results"]["watch"]["results"]
        ) == [(LG, 3), (NAVER, 2)]
        share = _get(f"{base}/news/share_of_voice_by_week.json?_shape=array")
        assert share == [
            {"week": "2026-05-11", "watch": LG, "articles": 2, "share_percent": 66.7},
            {"week": "2026-05-11", "watch": NAVER, "articles": 1, "share_percent": 33.3},
            {"week": "2026-05-04", "watch": LG, "articles": 1, "share_percent": 50.0},
            {"week": "2026-05-04", "watch": NAVER, "articles": 1, "share_percent": 50.0},
        ]


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1 only
        return json.load(response)
