"""Reading the archive as people ask: parsed search queries, filters, one article, stats, stories.

A person's query ("엑사원 CVPR", "\"LG AI연구원\" OR 엑사원 -채용") becomes parameters only. Terms
are folded as the watches fold them (crawler.watch.fold: width, case, spacing, hyphens, dots), and
the full-text index holds folded text, so "LG AI연구원" finds "LG AI 연구원" and "LGAI연구원";
folded terms of three characters or more go to FTS5 (trigram) as quoted strings, two-character ones
through the trigrams that start with them. Nothing a person types is ever formatted into SQL.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from archive.stories import story_outlets
from archive.words import story_labels
from crawler.clock import KST
from crawler.watch import fold, occurs

MIN_FTS = 3  # the trigram tokenizer cannot match fewer characters
SNIPPET_BEFORE = 30
SNIPPET_AFTER = 60
# A query that may match this share of the archive or more is checked row by row while walking the
# date index (20 hits come after ~20/share rows); rarer ones start from the FTS index.
DENSE_SHARE = 0.02
PROBE_ROWS = 4000  # rows walked before falling back to the index (expected need: under 1,000)
RESULT_COLUMNS = (
    "id",
    "published_at",
    "outlet",
    "title",
    "url",
    "author",
    "source",
    "story_id",
    "first_seen_at",
)
SORTS = ("date", "relevance")


class QueryError(ValueError):
    """A query or filter a person typed that cannot be run; the message says what to change."""


# --- the query language ---------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """Every group must match (a group matches if any of its terms does); no excluded term may."""

    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for group in self.groups for t in group)

    def pattern(self) -> re.Pattern[str] | None:
        """A regex finding the positive terms in text, longest first, for snippets; spacing,
        hyphens and dots between a term's characters are allowed, as the matcher allows them."""
        terms = sorted({fold(t) for t in self.terms} - {""}, key=len, reverse=True)
        if not terms:
            return None
        between = r"[\s\-‐‑‒–—―−·・‧•∙⋅_]*"
        return re.compile("|".join(between.join(map(re.escape, t)) for t in terms), re.IGNORECASE)

    def encoded(self) -> str:
        """The query's folded terms as one SQL parameter for the newswatch_query function."""
        groups = [[fold(t) for t in g] for g in self.groups]
        return json.dumps([groups, [fold(t) for t in self.excluded]], ensure_ascii=False)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    # Lone surrogates (undecodable command-line bytes) cannot be bound as SQLite text.
    text = _SURROGATE.sub("\ufffd", text)
    # NFC: a macOS terminal types decomposed Hangul jamo; the archive holds composed syllables.
    text = unicodedata.normalize("NFC", text)
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) pairs: kind is "term", "not" or "or"; quoted phrases are one term."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end  # an unclosed quote runs to the end
            value, quoted, i = text[i + 1 : end], True, end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            value, quoted, i = text[i:j], False, j
        value = " ".join(value.split())
        if not value:
            continue
        if value == "OR" and not quoted and not negated:
            yield "or", value
        else:
            yield ("not" if negated else "term"), value


def parse_query(text: str) -> Query:
    """Parse terms, "quoted phrases", OR between terms and -exclusions, as a person types them.

    OR binds the terms on either side into one group; a dangling OR is ignored (and a query that is
    only "OR" searches for the word). Parentheses and FTS5 operators are plain characters.
    """
    groups: list[list[str]] = []
    excluded: list[str] = []
    joining = False
    saw_or = False
    for kind, value in _tokens(_clean(text)):
        if kind != "or" and not fold(value):
            continue  # only spacing, hyphens or dots: nothing the matcher could look for
        if kind == "or":
            saw_or = True
            joining = bool(groups)
        elif kind == "not":
            excluded.append(value)
            joining = False
        else:
            if joining:
                groups[-1].append(value)
            else:
                groups.append([value])
            joining = False
    if not groups and not excluded and saw_or:
        groups = [["OR"]]
    unique_groups = dict.fromkeys(tuple(dict.fromkeys(g)) for g in groups)
    return Query(tuple(unique_groups), tuple(dict.fromkeys(excluded)))


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


@lru_cache(maxsize=64)
def _decoded(encoded: str) -> tuple[list[list[str]], list[str]]:
    groups, excluded = json.loads(encoded)
    return groups, excluded


def _query_matches(title: str | None, text: str | None, encoded: str) -> int:
    """SQL function newswatch_query: whether an article matches a query (Query.encoded), decided
    by the watches' matcher (crawler.watch.occurs) on the folded title and text."""
    groups, excluded = _decoded(encoded)
    haystacks = (fold(title or ""), fold(text or ""))
    for group in groups:
        if not any(occurs(term, h) for term in group for h in haystacks):
            return 0
    return int(not any(occurs(term, h) for term in excluded for h in haystacks))


def register_functions(db: Database) -> None:
    """The SQL functions search needs, on this connection (idempotent, cheap)."""
    db.conn.create_function("newswatch_query", 3, _query_matches, deterministic=True)


# --- filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # ISO bound, inclusive, compared with published_at
    until: str | None = None  # ISO bound, exclusive
    outlets: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    story: int | None = None
    watches: tuple[str, ...] = ()  # articles matching any of these watches (article_watches)

    def where(self, params: list[Any]) -> list[str]:
        clauses = []
        if self.since:
            clauses.append("a.published_at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("a.published_at < ?")
            params.append(self.until)
        for column, values in (("outlet", self.outlets), ("source", self.sources)):
            if values:
                clauses.append(f"a.{column} in ({','.join('?' * len(values))})")
                params.extend(values)
        if self.story is not None:
            clauses.append("a.story_id = ?")
            params.append(self.story)
        if self.watches:
            marks = ",".join("?" * len(self.watches))
            tagged = f"select article_id from article_watches where watch in ({marks})"  # noqa: S608 - ? marks only
            clauses.append(f"a.id in ({tagged})")
            params.extend(self.watches)
        return clauses


_RELATIVE = re.compile(r"^(\d{1,5})([dwh])$")


def parse_when(value: str, *, end: bool = False, now: datetime | None = None) -> str:
    """A --since/--until value as an ISO bound in KST: "2025-07-01", an ISO time, "7d", "2w", "12h".

    A bare date as an --until bound means the whole of that day (the bound is the next midnight).
    """
    text = value.strip()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative[1]), relative[2]
        delta = {"d": timedelta(days=amount), "w": timedelta(weeks=amount)}.get(
            unit, timedelta(hours=amount)
        )
        return ((now or datetime.now(KST)) - delta).astimezone(KST).isoformat(timespec="seconds")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        if end:
            day += timedelta(days=1)
        return datetime(day.year, day.month, day.day, tzinfo=KST).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(
            f"{value!r} is not a date: use YYYY-MM-DD, an ISO time, or a span such as 7d, 2w, 12h"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(KST).isoformat(timespec="seconds")


# --- search ---------------------------------------------------------------------------------
#
# What a query means is defined by the watches' matcher: every group has a term that occurs in the
# folded title or text, no excluded term does. The FTS5 trigram index of folded text only finds
# candidates fast; every candidate is then checked by that matcher, so all plans agree.


def _exact(query: Query, filters: Filters, params: list[Any]) -> list[str]:
    clauses = []
    if query.groups or query.excluded:
        clauses.append("newswatch_query(a.title, a.text, ?)")
        params.append(query.encoded())
    return clauses + filters.where(params)


def _prefixed_trigrams(db: Database, prefix: str) -> list[str]:
    """Trigrams in the FTS index that start with `prefix`, from an fts5vocab table."""
    # A temp table: nothing is added to the archive's schema, and it goes with the connection.
    db.execute(
        "create virtual table if not exists temp.articles_fts_vocab"
        " using fts5vocab(main, 'articles_fts', 'row')"
    )
    return [
        str(row[0])
        for row in db.execute(
            "select term from temp.articles_fts_vocab where term >= ? and term < ?",
            [prefix, prefix + "\U0010ffff"],
        )
    ]


def _candidates(db: Database, group: Sequence[str]) -> tuple[str, list[Any]]:
    """A rowid subquery covering every article that can match `group` (a superset: LIKE decides).
    Every term has two characters or more."""
    parts: list[str] = []
    params: list[Any] = []
    fts: list[str] = []
    for term in group:
        folded = fold(term)
        if len(folded) >= MIN_FTS:
            fts.append(_fts_string(folded))
        elif len(folded) == 2:
            # Two characters are always followed by a third in the index: the next one, or the
            # space the index puts after every folded title and text (migrations/m009_watches).
            fts += [_fts_string(t) for t in _prefixed_trigrams(db, folded)]
    if fts:
        parts.insert(0, "select rowid from articles_fts where articles_fts match ?")
        params.insert(0, " OR ".join(fts))
    parts.append(_UNINDEXED)
    return " union ".join(parts), params


# Articles stored since the full-text index was last filled (Archive.index_search): a running or
# killed crawl's, a few hundred rows at most, read directly so search never misses one.
# Articles changed since they were indexed (search_stale) are read directly too.
_UNINDEXED = (
    "select id from articles where id > (select indexed_through from search_index)"
    " union select article_id from search_stale"
)


def _matches_up_to(db: Database, group: Sequence[str], cap: int) -> int | None:
    """How many articles the FTS index finds for a group of 3+ character terms, counting to `cap`
    at most (so a common term costs no more than a rare one); None for groups with short terms."""
    folded = [fold(t) for t in group]
    if not all(len(t) >= MIN_FTS for t in folded):
        return None
    expression = " OR ".join(_fts_string(t) for t in folded)
    row = db.execute(
        "select count(*) from (select rowid from articles_fts where articles_fts match ? limit ?)",
        [expression, cap],
    ).fetchone()
    return int(row[0])


def _narrowest(db: Database, query: Query, cap: int) -> tuple[int, Sequence[str] | None]:
    """The group with the fewest matches and that number (`cap` if unknown or at least `cap`);
    no group when none can be narrowed by the index."""
    best: tuple[int, Sequence[str]] | None = None
    for group in query.groups:
        count = _matches_up_to(db, group, cap)
        if count is not None and (best is None or count < best[0]):
            best = (count, group)
    if best is not None:
        return min(best[0], cap), best[1]
    narrowable = [g for g in query.groups if all(len(fold(t)) >= 2 for t in g)]
    return cap, (narrowable[0] if narrowable else None)


def _ids(db: Database, sql: str, params: list[Any]) -> list[int]:
    try:
        return [row[0] for row in db.execute(sql, params)]
    except sqlite3.OperationalError as exc:  # e.g. an FTS expression SQLite still rejects
        raise QueryError(f"cannot run this query: {exc}") from exc


def search(
    db: Database,
    query: Query,
    filters: Filters = Filters(),
    *,
    limit: int = 20,
    sort: str = "date",
) -> list[dict[str, Any]]:
    """Matching articles, newest first (or best match first), with a snippet around the first hit.

    Sorting by relevance ranks with bm25 over the FTS index and needs a group whose terms all have
    three characters or more; otherwise results come newest first. Articles a crawl has stored but
    not indexed yet (it indexes when it ends) are found too; by relevance they come last.
    """
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    register_functions(db)
    params: list[Any] = []
    exact = " and ".join(_exact(query, filters, params)) or "1"
    order = " order by a.published_at desc, a.id desc limit ?"
    ranked = [g for g in query.groups if all(len(fold(t)) >= MIN_FTS for t in g)]
    if sort == "relevance" and ranked:
        best = _ranked_ids(db, ranked, filters, exact=exact, params=params, limit=limit)
        if len(best) < limit:  # articles not indexed yet have no rank: they come after the rest
            sql = f"select a.id from articles a where a.id in ({_UNINDEXED}) and {exact}{order}"  # noqa: S608 - clauses hold only ? marks
            best += _ids(db, sql, [*params, limit - len(best)])
        return _results(db, best, query)
    total = db.execute("select max(rowid) from articles").fetchone()[0] or 0
    cap = max(1, int(DENSE_SHARE * total))
    try:
        count, group = _narrowest(db, query, cap)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc
    if count >= cap or group is None:
        # A common query (or one the index cannot narrow): walk the filtered archive newest first
        # and check each row, stopping at `limit` hits. Bounded unless there is nothing else to
        # do, so a query that is rarer than it looked falls through to the index below.
        probe_params: list[Any] = []
        hit = " and ".join(_exact(query, Filters(), probe_params)) or "1"
        inner_params: list[Any] = []
        inner = " and ".join(filters.where(inner_params)) or "1"
        window = "" if group is None else " limit ?"
        sql = (
            f"select a.id, {hit} from (select a.id, a.title, a.text from articles a"  # noqa: S608 - clauses hold only ? marks
            f" where {inner} order by a.published_at desc, a.id desc{window}) a"
        )
        bound = [] if group is None else [PROBE_ROWS]
        ids: list[int] = []
        walked = 0
        try:
            for article_id, matched in db.execute(sql, [*probe_params, *inner_params, *bound]):
                walked += 1
                if matched:
                    ids.append(article_id)
                    if len(ids) == limit:
                        break
        except sqlite3.OperationalError as exc:
            raise QueryError(f"cannot run this query: {exc}") from exc
        # Done with `limit` hits, or when the walk saw every filtered article.
        if len(ids) == limit or group is None or walked < PROBE_ROWS:
            return _results(db, ids, query)
    try:
        subquery, sub_params = _candidates(db, group)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc
    # With a date window, walk the window in the date index and test membership (the `+` keeps
    # SQLite from looking every candidate up instead); without one, look the candidates up.
    member = "+a.id" if filters.since or filters.until else "a.id"
    sql = f"select a.id from articles a where {member} in ({subquery}) and {exact}{order}"  # noqa: S608 - clauses hold only ? marks
    return _results(db, _ids(db, sql, [*sub_params, *params, limit]), query)


def _ranked_ids(
    db: Database,
    ranked: Sequence[Sequence[str]],
    filters: Filters,
    *,
    exact: str,
    params: list[Any],
    limit: int,
) -> list[int]:
    """Indexed matches best first (bm25), for groups whose terms all have 3+ characters."""
    expression = " AND ".join(
        "(" + " OR ".join(_fts_string(fold(t)) for t in g) + ")" for g in ranked
    )
    # bm25 is computed for every match: bound the FTS scan to the rowids of the date window
    # (read from the date index), which crawl order keeps narrow for recent windows.
    rowids: list[Any] = []
    if filters.since or filters.until:
        window_params: list[Any] = []
        dates = " and ".join(Filters(since=filters.since, until=filters.until).where(window_params))
        low, high = db.execute(
            f"select min(a.id), max(a.id) from articles a where {dates}",  # noqa: S608 - ? marks only
            window_params,
        ).fetchone()
        if low is None:
            return []
        rowids = [low, high]
    sql = (
        "select a.id from articles_fts f join articles a on a.id = f.rowid"  # noqa: S608 - clauses hold only ? marks
        f" where articles_fts match ?{' and f.rowid between ? and ?' if rowids else ''}"
        f" and {exact} order by f.rank, a.id desc limit ?"
    )
    return _ids(db, sql, [expression, *rowids, *params, limit])


def _results(db: Database, ids: list[int], query: Query) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    columns = ", ".join(RESULT_COLUMNS)
    rows = {
        row["id"]: row
        for row in _rows(
            db.execute(f"select {columns}, text from articles where id in ({marks})", ids)  # noqa: S608 - fixed names, ? marks
        )
    }
    pattern = query.pattern()
    tagged = watches_by_article(db, ids)
    results = []
    for article_id in ids:
        row = rows[article_id]
        row["snippet"] = snippet(row.pop("text"), pattern)
        row["watches"] = tagged.get(article_id, [])
        results.append(row)
    return results


def watches_by_article(db: Database, ids: Sequence[int]) -> dict[int, list[str]]:
    """The watches each of these articles matches (article_watches), in name order."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for article_id, watch in db.execute(
            f"select article_id, watch from article_watches where article_id in ({marks})"  # noqa: S608 - ? marks only
            " order by article_id, watch",
            chunk,
        ):
            found.setdefault(article_id, []).append(watch)
    return found


def snippet(text: str, pattern: re.Pattern[str] | None) -> str:
    """A one-line excerpt around the first match in `text` (its opening when nothing matches)."""
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - SNIPPET_BEFORE) if found else 0
    end = min(len(text), (found.end() if found else 0) + SNIPPET_AFTER)
    excerpt = " ".join(text[start:end].split())
    return ("…" if start else "") + excerpt + ("…" if end < len(text) else "")


# --- browsing -------------------------------------------------------------------------------


def has_table(db: Database, name: str) -> bool:
    return db.table(name).exists()


def article_in_full(db: Database, article_id: int) -> dict[str, Any] | None:
    """One article with its URLs, its versions and its story (when those tables exist)."""
    rows = list(_rows(db.execute("select * from articles where id = ?", [article_id])))
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
    # article_versions and stories arrive with issue 5; read whatever columns they have.
    article["versions"] = []
    if (
        has_table(db, "article_versions")
        and "article_id" in db.table("article_versions").columns_dict
    ):
        article["versions"] = list(
            _rows(
                db.execute(
                    "select * from article_versions where article_id = ? order by rowid",
                    [article_id],
                )
            )
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
    """A story: its row from `stories` if that table exists, and its articles, oldest first."""
    found: dict[str, Any] = {"id": story_id}
    if has_table(db, "stories"):
        found |= next(_rows(db.execute("select * from stories where id = ?", [story_id])), {})
    found["articles"] = list(
        _rows(
            db.execute(
                "select id, published_at, outlet, title, url from articles where story_id = ?"
                " order by published_at, id",
                [story_id],
            )
        )
    )
    found.setdefault("title", found["articles"][0]["title"] if found["articles"] else None)
    found["label"] = story_labels(db, [story_id]).get(story_id, [])
    return found


def iter_articles(
    db: Database,
    query: Query | None = None,
    filters: Filters = Filters(),
    *,
    limit: int = 0,
) -> Iterator[dict[str, Any]]:
    """Whole articles (text included) for export, newest first, optionally searched and filtered."""
    query = query or Query()
    register_functions(db)
    params: list[Any] = []
    where = _exact(query, filters, params)
    total = db.execute("select max(rowid) from articles").fetchone()[0] or 0
    try:
        _, group = _narrowest(db, query, max(1, total))
        candidates = _candidates(db, group) if group is not None else None
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc
    if candidates is not None:
        where.insert(0, f"a.id in ({candidates[0]})")
        params[:0] = candidates[1]
    sql = (
        f"select a.* from articles a where {' and '.join(where) or '1'}"  # noqa: S608 - ? marks only
        " order by a.published_at desc, a.id desc"
    )
    if limit:
        sql += " limit ?"
        params.append(limit)
    try:
        for row in _rows(db.execute(sql, params)):
            row["watches"] = watches_by_article(db, [row["id"]]).get(row["id"], [])
            yield row
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc


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


def stats(db: Database, filters: Filters = Filters()) -> Stats:
    """Articles per outlet and per week (KST), from one pass over the (outlet, published_at) index.

    SQLite groups by day (a cheap prefix of the stored ISO time); days fold into weeks here.
    """
    params: list[Any] = []
    where = " and ".join(filters.where(params)) or "1"
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
    where = " and ".join(["a.story_id is not null", *(filters or Filters()).where(params)])
    rows = list(
        _rows(
            db.execute(
                "select a.story_id as id, count(*) as articles,"  # noqa: S608 - ? marks only
                " min(a.published_at) as first, max(a.published_at) as last"
                f" from articles a where {where} group by a.story_id"
                " order by articles desc, last desc limit ?",
                [*params, limit],
            )
        )
    )
    titled = has_table(db, "stories") and "title" in db.table("stories").columns_dict
    outlets = story_outlets(db, [row["id"] for row in rows])
    for row in rows:
        row["outlets"] = outlets[row["id"]]
        row["n_outlets"] = len(row["outlets"])
        title = None
        if titled:
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


def canned_queries(db: Database) -> dict[str, dict[str, str]]:
    # Group first and look up the 100 titles after, not one title per story in the archive.
    stories_sql = (
        "select s.*, (select title from articles b where b.story_id = s.story_id"
        " order by b.published_at, b.id limit 1) as first_title"
        " from (select story_id, count(*) as articles, count(distinct outlet) as outlets,"
        " min(published_at) as first_published, max(published_at) as last_published"
        " from articles where story_id is not null group by story_id"
        " order by articles desc, last_published desc limit 100) s"
    )
    if has_table(db, "stories") and "title" in db.table("stories").columns_dict:
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
    if has_table(db, "word_weeks"):
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


def _rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))
