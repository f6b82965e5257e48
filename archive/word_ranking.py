"""Search results best first by bm25 over the articles' analysed words (schema m010_words).

The words are crawler/words.py's, stored by archive/words.py: how often an article has a word and
whether its headline has it. The score is Okapi bm25 (k1 1.2, b 0.75): a headline occurrence
counts TITLE_WEIGHT times, as story labels weigh it; a word's idf comes from its article count in
`words`; an article's length is its analysed word count. On the labelled query set this ranks
better than bm25 over the trigram index, all of the gain on queries with a two-character word,
which trigrams cannot rank (bench/bench_relevance.py, figures in bench/RESULTS.md).

A ranking only orders: archive/search.py checks each ranked article against the whole query.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from archive.queries import date_window_ids, filter_clauses
from archive.query_language import Filters
from crawler.words import TITLE_WEIGHT

K1 = 1.2  # how fast repeating a word stops adding to the score
B = 0.75  # how much a long article is marked down for its length


def known_words(db: Database, words: Iterable[str]) -> dict[str, int]:
    """Those of `words` that some analysed article has, each with its article count."""
    wanted = sorted(set(words))
    if not wanted or not db["words"].exists():  # an archive not migrated to m010 yet
        return {}
    marks = ",".join("?" * len(wanted))
    return dict(
        db.execute(
            f"select word, articles from words where word in ({marks})",  # noqa: S608 - ? marks only
            wanted,
        ).fetchall()
    )


def idf(articles: int, total: int) -> float:
    """bm25's inverse document frequency of a word that `articles` of `total` articles have."""
    return math.log(1 + (total - articles + 0.5) / (articles + 0.5))


def ranked_ids(db: Database, words: Iterable[str], filters: Filters) -> Iterator[int] | None:
    """The analysed articles within `filters` that have any of `words`, best first (ties: the
    newer id first); None when no analysed article has any of them, so there is nothing to rank by.

    The score is computed in SQL for every article with a query word (a common word's included),
    and the rows are read lazily: a caller that stops early never pulls the rest into Python.
    """
    counts = known_words(db, words)
    if not counts:
        return None
    total, average = db.execute("select count(*), avg(words) from analysed_articles").fetchone()
    params: list[Any] = []
    for word, articles in counts.items():
        params += [word, idf(articles, total)]
    params.append(TITLE_WEIGHT - 1)
    where = _restrictions(db, filters, params)
    params += [K1 + 1, K1, B, B, average or 1]
    sql = (
        f"with query(word, idf) as (values {', '.join('(?, ?)' for _ in counts)}),"  # noqa: S608 - ? marks only
        " hits as (select w.article_id, query.idf, w.count + ? * w.in_title as tf,"
        " d.words as length from query join article_words w on w.word = query.word"
        f" join analysed_articles d on d.article_id = w.article_id{where})"
        " select article_id from hits group by article_id"
        " order by sum(idf * tf * ? / (tf + ? * (1 - ? + ? * length / ?))) desc, article_id desc"
    )
    return (row[0] for row in db.execute(sql, params))


def _restrictions(db: Database, filters: Filters, params: list[Any]) -> str:
    """The WHERE clause keeping the rows of `article_words w` within `filters`."""
    clauses = []
    window = date_window_ids(db, filters)
    if window is not None:
        # The word index is (word, article_id): a date window's id range narrows the scan itself.
        clauses.append("w.article_id between ? and ?")
        params.extend(window)
    inner: list[Any] = []
    chosen = filter_clauses(filters, inner)
    if chosen:
        # The filters read articles' columns; a subquery lets SQLite use their indexes.
        within = " and ".join(chosen)
        clauses.append(f"w.article_id in (select a.id from articles a where {within})")  # noqa: S608 - ? marks only
        params.extend(inner)
    return " where " + " and ".join(clauses) if clauses else ""
