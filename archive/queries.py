"""Reading the archive as people ask: filters as SQL, one article in full, a story, stats, top
stories, and Datasette's canned queries. Search itself is archive/search.py; the query language
people type, parsed without SQL, is archive/query_language.py.

One way to read rows, in every archive module that reads them: sqlite-utils' `db.execute` (a
sqlite3 cursor of tuples) for values unpacked in place (ids, counts, pairs), and `db.query` (dicts
by column name) for a row handed on as a record. Most reads are the first kind, on hot paths where
a dict per row would cost; the second is sqlite-utils' own reader, so no module keeps a private
row-to-dict helper, and none builds `select *` through `rows_where`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from archive.query_language import NO_FILTERS, Filters
from archive.stories import story_outlets
from archive.words import story_labels


def filter_clauses(filters: Filters, params: list[Any]) -> list[str]:
    """The SQL conditions on `articles a` that `filters` ask for; their values go onto `params`."""
    clauses = []
    if filters.since:
        clauses.append("a.published_at >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("a.published_at < ?")
        params.append(filters.until)
    for column, values in (("outlet", filters.outlets), ("source", filters.sources)):
        if values:
            clauses.append(f"a.{column} in ({','.join('?' * len(values))})")
            params.extend(values)
    if filters.story is not None:
        clauses.append("a.story_id = ?")
        params.append(filters.story)
    if filters.watches:
        marks = ",".join("?" * len(filters.watches))
        tagged = f"select article_id from article_watches where watch in ({marks})"  # noqa: S608 - ? marks only
        clauses.append(f"a.id in ({tagged})")
        params.extend(filters.watches)
    return clauses


def date_window_ids(db: Database, filters: Filters) -> tuple[int, int] | None:
    """The lowest and highest id of the articles in the date window of `filters` ((0, -1), a range
    holding no id, when the window has none), read from the date index; None without a window.

    Ids follow crawl order, so a recent window's range is narrow, and a scan in article id order
    (the FTS index's rowids; the word index, within a word) can be bounded by it before any
    filter is checked.
    """
    if not (filters.since or filters.until):
        return None
    params: list[Any] = []
    window = Filters(since=filters.since, until=filters.until)
    dates = " and ".join(filter_clauses(window, params))
    low, high = db.execute(
        f"select min(a.id), max(a.id) from articles a where {dates}",  # noqa: S608 - ? marks only
        params,
    ).fetchone()
    return (0, -1) if low is None else (int(low), int(high))


# --- browsing -------------------------------------------------------------------------------


def article_in_full(db: Database, article_id: int) -> dict[str, Any] | None:
    """One article with its URLs, its versions, the watches it matches and its story."""
    rows = list(db.query("select * from articles where id = ?", [article_id]))
    if not rows:
        return None
    article = rows[0]
    article.pop("rowid", None)
    article["urls"] = [
        r[0]
        for r in db.execute(
            "select url from article_urls where article_id = ? order by first_seen_at, url",
            [article_id],
        )
    ]
    article["versions"] = list(
        db.query("select * from article_versions where article_id = ? order by rowid", [article_id])
    )
    article["watches"] = [
        {"watch": watch, "matched_in": where}
        for watch, where in db.execute(
            "select watch, matched_in from article_watches where article_id = ? order by watch",
            [article_id],
        )
    ]
    article["story"] = None
    if article.get("story_id") is not None:
        article["story"] = story(db, article["story_id"])
    return article


def story(db: Database, story_id: int) -> dict[str, Any]:
    """A story: its row from `stories` (if it has one), and its articles, oldest first."""
    found: dict[str, Any] = {"id": story_id}
    found |= next(db.query("select * from stories where id = ?", [story_id]), {})
    found["articles"] = list(
        db.query(
            "select id, published_at, outlet, title, url from articles where story_id = ?"
            " order by published_at, id",
            [story_id],
        )
    )
    found.setdefault("title", found["articles"][0]["title"] if found["articles"] else None)
    found["label"] = story_labels(db, [story_id]).get(story_id, [])
    return found


# --- stats ----------------------------------------------------------------------------------


def week_of(day: str) -> str:
    """The Monday (KST) starting the week of an ISO date."""
    d = date.fromisoformat(day[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


@dataclass
class Stats:
    total: int
    undated: int
    outlets: list[dict[str, Any]]  # outlet, articles, first, last; most articles first
    weeks: list[dict[str, Any]]  # week (Monday), articles; oldest first
    by_week_outlet: dict[tuple[str, str], int]  # (week, outlet) → articles

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "undated": self.undated,
            "outlets": self.outlets,
            "weeks": self.weeks,
        }


def stats(db: Database, filters: Filters = NO_FILTERS) -> Stats:
    """Articles per outlet and per week (KST), from one pass over the (outlet, published_at) index.

    SQLite groups by day (a cheap prefix of the stored ISO time); days fold into weeks here.
    """
    params: list[Any] = []
    where = " and ".join(filter_clauses(filters, params)) or "1"
    per_day = db.execute(
        "select a.outlet, substr(a.published_at, 1, 10) as day, count(*),"  # noqa: S608 - ? marks only
        " min(a.published_at), max(a.published_at)"
        f" from articles a where {where} group by a.outlet, day",
        params,
    ).fetchall()
    outlets: dict[str, dict[str, Any]] = {}
    weeks: Counter[str] = Counter()
    by_week_outlet: Counter[tuple[str, str]] = Counter()
    undated = 0
    for outlet, day, count, first, last in per_day:
        name = outlet or "(unknown)"
        entry = outlets.setdefault(
            name, {"outlet": name, "articles": 0, "first": None, "last": None}
        )
        entry["articles"] += count
        if day is None:
            undated += count
            continue
        entry["first"] = min(filter(None, (entry["first"], first)))
        entry["last"] = max(filter(None, (entry["last"], last)))
        week = week_of(day)
        weeks[week] += count
        by_week_outlet[week, name] += count
    return Stats(
        total=sum(e["articles"] for e in outlets.values()),
        undated=undated,
        outlets=sorted(outlets.values(), key=lambda e: (-e["articles"], e["outlet"])),
        weeks=[{"week": w, "articles": weeks[w]} for w in sorted(weeks)],
        by_week_outlet=dict(by_week_outlet),
    )


def top_stories(
    db: Database, limit: int = 10, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """The largest stories: id, title, articles, outlets, first and last publication.

    `filters` (a watch, a period) choose which articles count. Outlets follow `story_outlets`, as
    `newswatch stories` lists them: copies' outlets included.
    """
    params: list[Any] = []
    chosen = filter_clauses(filters or Filters(), params)
    where = " and ".join(["a.story_id is not null", *chosen])
    rows = list(
        db.query(
            "select a.story_id as id, count(*) as articles,"  # noqa: S608 - ? marks only
            " min(a.published_at) as first, max(a.published_at) as last"
            f" from articles a where {where} group by a.story_id"
            " order by articles desc, last desc limit ?",
            [*params, limit],
        )
    )
    outlets = story_outlets(db, [row["id"] for row in rows])
    for row in rows:
        row["outlets"] = outlets[row["id"]]
        row["n_outlets"] = len(row["outlets"])
        found = db.execute("select title from stories where id = ?", [row["id"]]).fetchone()
        title = found[0] if found else None
        if not title:
            found = db.execute(
                "select title from articles where story_id = ? order by published_at, id limit 1",
                [row["id"]],
            ).fetchone()
            title = found[0] if found else None
        row["title"] = title
    labels = story_labels(db, [row["id"] for row in rows])
    for row in rows:
        row["label"] = labels.get(row["id"], [])
    return rows


# --- Datasette's canned queries (SQL lives here, the metadata in newswatch/serve.py) ----------


def canned_queries() -> dict[str, dict[str, str]]:
    """The canned queries Datasette offers (`newswatch serve`), by name."""
    stories_sql = (
        "select s.id as story_id, s.title, count(a.id) as articles,"
        " count(distinct a.outlet) as outlets, min(a.published_at) as first_published,"
        " max(a.published_at) as last_published"
        " from stories s join articles a on a.story_id = s.id group by s.id"
        " order by articles desc, last_published desc limit 100"
    )
    queries = {
        "latest_coverage": {
            "title": "Latest coverage",
            "description": "The newest articles, newest first.",
            "sql": "select id, published_at, outlet, title, url from articles"
            " order by published_at desc, id desc limit 100",
        },
        "coverage_by_outlet": {
            "title": "Coverage by outlet",
            "description": "Articles per outlet, with the first and latest publication.",
            "sql": "select outlet, count(*) as articles, min(published_at) as first_published,"
            " max(published_at) as last_published from articles group by outlet"
            " order by articles desc",
        },
        "stories_by_size": {
            "title": "Stories by size",
            "description": "Stories (one event covered by several articles), largest first.",
            "sql": stories_sql,
        },
        "share_of_voice_by_week": {
            "title": "Share of voice by week",
            "description": "Articles per watch per week (Monday, KST) and each watch's share of"
            " that week's watch matches (an article matching two watches counts for both).",
            # The date's first ten characters are the KST day (date() would convert to UTC).
            "sql": "select date(substr(a.published_at, 1, 10), 'weekday 0', '-6 days') as week,"
            " w.watch, count(*) as articles,"
            " round(100.0 * count(*) / sum(count(*)) over (partition by"
            " date(substr(a.published_at, 1, 10), 'weekday 0', '-6 days')), 1) as share_percent"
            " from article_watches w join articles a on a.id = w.article_id"
            " where a.published_at is not null group by week, w.watch"
            " order by week desc, articles desc",
        },
    }
    queries["word_by_week"] = {
        "title": "A word's weekly coverage",
        "description": "Articles per week with one word (newswatch words), and its share"
        " of the week's analysed articles.",
        "sql": "select ww.week, ww.articles,"
        " (select count(*) from analysed_articles a where a.week = ww.week) as analysed,"
        " round(100.0 * ww.articles"
        " / (select count(*) from analysed_articles a where a.week = ww.week), 1) as percent"
        " from word_weeks ww where ww.word = :word order by ww.week",
    }
    return queries
