"""Full-text search of the archive: a parsed query (archive/query_language.py) run as SQL.

A person's query becomes parameters only. The full-text index holds folded text
(crawler.watch.fold), so "LG AI연구원" finds "LG AI 연구원" and "LGAI연구원"; folded terms of three
characters or more go to FTS5 (trigram) as quoted strings, two-character ones through the
trigrams that start with them.
Nothing a person types is ever formatted into SQL.

Rows are read as the archive reads them everywhere (archive/queries.py): `db.execute` for values
unpacked in place, `db.query` for a row handed on as a record.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlite_utils import Database

from archive import word_ranking
from archive.queries import date_window_ids, filter_clauses
from archive.query_language import NO_FILTERS, Filters, Query, QueryError, parse_query
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
CHECK_CHUNK = 200  # ranked articles checked against the query per statement
RANKED_WALK = 1000  # ranked articles checked before the matches are taken from the index instead


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
    return clauses + filter_clauses(filters, params)


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
    filters: Filters = NO_FILTERS,
    *,
    limit: int = 20,
    sort: str = "date",
    analyse: Callable[[str], Iterable[str]] | None = None,
) -> list[dict[str, Any]]:
    """Matching articles, newest first (or best match first), with a snippet around the first hit.

    Sorting by relevance ranks with bm25 over the articles' analysed words (archive/word_ranking.py)
    when `analyse` is given: it gives a text's words as the archive's articles were analysed (the
    caller's crawler.words.Analyser), so a query is split and merged as they were. Matches it cannot
    rank (not analysed yet, or without the query's words) come after, in the trigram ranking below.
    Without `analyse`, or when no analysed article has a word of the query, the trigram ranking is
    the whole order: bm25 over the FTS index for groups whose terms all have three characters or
    more, otherwise newest first. Either way the articles are exactly the date sort's: a ranking
    only orders. Articles a crawl has stored but not indexed yet (it indexes when it ends) are found
    too; by relevance they come last.
    """
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    register_functions(db)
    if sort == "date":
        return _results(db, _newest_ids(db, query, filters, limit), query)
    ranked = None
    if analyse is not None and query.terms:
        # The positive terms as one text: names that span terms (LG AI연구원) merge as in articles.
        ranked = word_ranking.ranked_ids(db, analyse(" ".join(query.terms)), filters)
    if ranked is None:
        return _results(db, _trigram_ids(db, query, filters, limit), query)
    best = _matching(db, ranked, query, filters, limit)
    if len(best) < limit:  # every article with a query word is in: the rest as trigrams rank them
        seen = set(best)
        rest = [i for i in _trigram_ids(db, query, filters, limit) if i not in seen]
        best += rest[: limit - len(best)]
    return _results(db, best, query)


def _matching(
    db: Database, ranked: Iterator[int], query: Query, filters: Filters, limit: int
) -> list[int]:
    """The first `limit` of the ranked ids that match the whole query, in rank order.

    The ranked ids are checked CHECK_CHUNK at a time, so a common word costs the rows read until
    `limit` hit, not all of them. When RANKED_WALK ids gave fewer than `limit` (matches are sparse
    among them: "엑사원 3.0", where only 엑사원 is a word), the query's matches are found from the
    FTS index instead, as the date sort finds them, and the rest of the ranking is only read, not
    checked; either way the answer is the same.
    """
    params: list[Any] = []
    exact = " and ".join(_exact(query, NO_FILTERS, params))  # ranked_ids applied the filters
    found: list[int] = []
    walked = 0
    while chunk := list(islice(ranked, CHECK_CHUNK)):
        marks = ",".join("?" * len(chunk))
        sql = f"select a.id from articles a where a.id in ({marks}) and {exact}"  # noqa: S608 - ? marks only
        matched = set(_ids(db, sql, [*chunk, *params]))
        found += [i for i in chunk if i in matched]
        walked += len(chunk)
        if len(found) >= limit:
            return found[:limit]
        if walked >= RANKED_WALK and (matches := _all_matches(db, query, filters)) is not None:
            found += islice((i for i in ranked if i in matches), limit - len(found))
            return found
    return found


def _all_matches(db: Database, query: Query, filters: Filters) -> set[int] | None:
    """Every match of the query, from the FTS candidates of its narrowest group; None when no
    group can be narrowed by the index (one-character terms)."""
    total = db.execute("select max(rowid) from articles").fetchone()[0] or 0
    try:
        _, group = _narrowest(db, query, max(1, total))
        if group is None:
            return None
        subquery, sub_params = _candidates(db, group)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc
    params: list[Any] = []
    exact = " and ".join(_exact(query, filters, params))
    sql = f"select a.id from articles a where a.id in ({subquery}) and {exact}"  # noqa: S608 - clauses hold only ? marks
    return set(_ids(db, sql, [*sub_params, *params]))


def _trigram_ids(db: Database, query: Query, filters: Filters, limit: int) -> list[int]:
    """Best first by bm25 over the FTS index, for the groups whose terms all have three characters
    or more, then the matches not indexed yet, newest first; newest first with no such group."""
    ranked = [g for g in query.groups if all(len(fold(t)) >= MIN_FTS for t in g)]
    if not ranked:
        return _newest_ids(db, query, filters, limit)
    params: list[Any] = []
    exact = " and ".join(_exact(query, filters, params)) or "1"
    best = _ranked_ids(db, ranked, filters, exact=exact, params=params, limit=limit)
    if len(best) < limit:  # articles not indexed yet have no rank: they come after the rest
        order = " order by a.published_at desc, a.id desc limit ?"
        sql = f"select a.id from articles a where a.id in ({_UNINDEXED}) and {exact}{order}"  # noqa: S608 - clauses hold only ? marks
        # A corrected article whose old text (still indexed) and new text both match is ranked
        # already: skip it here, reading enough rows that `limit` remain.
        ranked_ids = set(best)
        rest = [i for i in _ids(db, sql, [*params, limit]) if i not in ranked_ids]
        best += rest[: limit - len(best)]
    return best


def _newest_ids(db: Database, query: Query, filters: Filters, limit: int) -> list[int]:
    """The ids of the newest `limit` matches, by the cheapest plan (see DENSE_SHARE)."""
    params: list[Any] = []
    exact = " and ".join(_exact(query, filters, params)) or "1"
    order = " order by a.published_at desc, a.id desc limit ?"
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
        inner = " and ".join(filter_clauses(filters, inner_params)) or "1"
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
            return ids
    try:
        subquery, sub_params = _candidates(db, group)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc
    # With a date window, walk the window in the date index and test membership (the `+` keeps
    # SQLite from looking every candidate up instead); without one, look the candidates up.
    member = "+a.id" if filters.since or filters.until else "a.id"
    sql = f"select a.id from articles a where {member} in ({subquery}) and {exact}{order}"  # noqa: S608 - clauses hold only ? marks
    return _ids(db, sql, [*sub_params, *params, limit])


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
    window = date_window_ids(db, filters)
    if window is not None and window[0] > window[1]:
        return []
    rowids = list(window or ())
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
    sql = f"select {columns}, text from articles where id in ({marks})"  # noqa: S608 - fixed names, ? marks
    rows = {row["id"]: row for row in db.query(sql, ids)}
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


def iter_articles(
    db: Database,
    query: Query | None = None,
    filters: Filters = NO_FILTERS,
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
        for row in db.query(sql, params):
            row["watches"] = watches_by_article(db, [row["id"]]).get(row["id"], [])
            yield row
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot run this query: {exc}") from exc


def search_text(db: Database, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Articles matching a person's query as typed (terms, "phrases", OR, -exclusions), newest
    first: parse_query and search in one call."""
    return search(db, parse_query(text), limit=limit)
