"""The archive's content words: writes, story labels, trends, related words.

Words come from crawler/words.py; this module only stores and counts them, in the tables of
archive/migrations/m010_words.py. Shares are of articles: a word's share of a week is the articles
that week with the word over all the articles analysed that week, so one article repeating a word
twenty times counts once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from crawler.clock import now_kst
from crawler.words import TITLE_WEIGHT, Words, label, log_likelihood_scores, tfidf_scores


@dataclass(frozen=True, slots=True)
class Pending:
    """An article whose words are missing or were computed from an older text."""

    id: int
    title: str
    text: str
    text_hash: str | None
    week: str  # the Monday (KST) of its publication week, or of when it was first seen


@dataclass(frozen=True, slots=True)
class Analysed:
    id: int
    week: str
    text_hash: str | None
    words: Words


# In parentheses: the callers add "and ..." (SQL's AND binds tighter than OR).
_PENDING = (
    " from articles a left join analysed_articles w on w.article_id = a.id"
    " where (w.article_id is null or w.text_hash is not a.text_hash)"
)


def count_pending(db: Database) -> int:
    return int(db.execute("select count(*)" + _PENDING).fetchone()[0])


def pending(db: Database, *, after: int = 0, limit: int = 200) -> list[Pending]:
    """The next `limit` articles to analyse, in id order, after id `after`."""
    return _pending(db, " and a.id > ? order by a.id limit ?", [after, limit])


def pending_versions(db: Database, *, after_version: int) -> list[Pending]:
    """The articles to analyse among those whose text changed after version `after_version`
    (article_versions.id): an update a crawl recorded."""
    changed = "select article_id from article_versions where id > ?"
    return _pending(db, f" and a.id in ({changed}) order by a.id", [after_version])


def _pending(db: Database, clause: str, params: list[Any]) -> list[Pending]:
    rows = db.execute(
        "select a.id, a.title, a.text, a.text_hash, coalesce(a.published_at, a.first_seen_at)"
        + _PENDING
        + clause,
        params,
    ).fetchall()
    return [
        Pending(i, title or "", text or "", digest, week_of(when))
        for i, title, text, digest, when in rows
    ]


def week_of(when: str) -> str:
    """The Monday (KST: the stored offset is +09:00) starting the week of an ISO date or time."""
    day = date.fromisoformat(when[:10])
    return (day - timedelta(days=day.weekday())).isoformat()


def store(db: Database, batch: Sequence[Analysed]) -> None:
    """Replace the words of each article in `batch`, and the counts kept beside them, atomically.

    The archive-wide and weekly counts are summed over the batch first and written once per word:
    the words a batch shares (LG, AI, 발표) are most of its words."""
    at = now_kst()
    articles: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    weekly: Counter[tuple[str, str]] = Counter()
    with db.atomic():  # the connection autocommits (isolation_level=None): `with conn` would not
        for item in batch:
            _forget(db, item.id)
            counts = item.words.counts
            db.conn.executemany(
                "insert into article_words (article_id, word, count, in_title) values (?, ?, ?, ?)",
                [(item.id, word, n, word in item.words.in_title) for word, n in counts.items()],
            )
            db.execute(
                "insert into analysed_articles (article_id, week, text_hash, words, analysed_at)"
                " values (?, ?, ?, ?, ?)",
                [item.id, item.week, item.text_hash, sum(counts.values()), at],
            )
            articles.update(counts.keys())
            occurrences.update(counts)
            weekly.update((item.week, word) for word in counts)
        db.conn.executemany(
            "insert into words (word, articles, occurrences) values (?, ?, ?)"
            " on conflict(word) do update set articles = articles + excluded.articles,"
            " occurrences = occurrences + excluded.occurrences",
            [(word, n, occurrences[word]) for word, n in articles.items()],
        )
        db.conn.executemany(
            "insert into word_weeks (week, word, articles) values (?, ?, ?)"
            " on conflict(week, word) do update set articles = articles + excluded.articles",
            [(week, word, n) for (week, word), n in weekly.items()],
        )


def _forget(db: Database, article_id: int) -> None:
    """Take an article's old words out of every count (it is being analysed again)."""
    row = db.execute(
        "select week from analysed_articles where article_id = ?", [article_id]
    ).fetchone()
    if row is None:
        return
    old = db.execute(
        "select word, count from article_words where article_id = ?", [article_id]
    ).fetchall()
    db.conn.executemany(
        "update words set articles = articles - 1, occurrences = occurrences - ? where word = ?",
        [(n, word) for word, n in old],
    )
    db.conn.executemany(
        "update word_weeks set articles = articles - 1 where week = ? and word = ?",
        [(row[0], word) for word, _n in old],
    )
    db.execute("delete from word_weeks where articles <= 0")
    db.execute("delete from words where articles <= 0")
    db.execute("delete from article_words where article_id = ?", [article_id])
    db.execute("delete from analysed_articles where article_id = ?", [article_id])


def analysed_count(db: Database) -> int:
    return int(db.execute("select count(*) from analysed_articles").fetchone()[0])


def article_words(db: Database, article_id: int) -> list[tuple[str, int]]:
    return [
        (word, n)
        for word, n in db.execute(
            "select word, count from article_words where article_id = ? order by count desc, word",
            [article_id],
        )
    ]


def top_words(db: Database, limit: int = 20) -> list[tuple[str, int]]:
    return [
        (w, n)
        for w, n in db.execute(
            "select word, articles from words order by articles desc, word limit ?", [limit]
        )
    ]


# --- story labels ---------------------------------------------------------------------------

# tf-idf, not log-likelihood: on the labelled stories and the gold set both pass as many stories,
# but a tf-idf label holds more of the words a reader names (bench/RESULTS.md, Words, Label scoring;
# tests/test_words_quality.py measures both and fails if this choice is wrong).
SCORING = "tfidf"


def story_labels(
    db: Database, story_ids: Iterable[int], *, size: int = 5, scoring: str = SCORING
) -> dict[int, list[str]]:
    """Each story's most distinctive words against the whole archive (none without words)."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    counts: dict[int, dict[str, int]] = {}
    frequency: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(ids, 500):
        marks = ",".join("?" * len(chunk))
        for story_id, word, n, articles, occurrences in db.execute(
            "select a.story_id, w.word, sum(w.count + ? * w.in_title), d.articles, d.occurrences"  # noqa: S608 - placeholders
            " from articles a join article_words w on w.article_id = a.id"
            " join words d on d.word = w.word"
            f" where a.story_id in ({marks}) group by a.story_id, w.word",
            [TITLE_WEIGHT - 1, *chunk],
        ):
            counts.setdefault(story_id, {})[word] = n
            frequency[word] = (articles, occurrences)
    if not counts:
        return {}
    total_articles = analysed_count(db)
    total_words = 0
    if scoring == "loglik":
        total_words = int(
            db.execute("select coalesce(sum(occurrences), 0) from words").fetchone()[0]
        )
    labels: dict[int, list[str]] = {}
    for story_id, story in counts.items():
        if scoring == "loglik":
            scores = log_likelihood_scores(
                story,
                {w: frequency[w][1] for w in story},
                sum(story.values()),
                total_words,
            )
        else:
            scores = tfidf_scores(story, {w: frequency[w][0] for w in story}, total_articles)
        labels[story_id] = label(scores, size=size)
    return labels


def labels_of_articles(db: Database, article_ids: Sequence[int]) -> list[list[str]]:
    """The label of each article's story, in order ([] for one without a story or words)."""
    if not article_ids:
        return []
    stories = dict(
        db.execute(
            "select id, story_id from articles where id in (select value from json_each(?))",
            [_json_list(list(article_ids))],
        ).fetchall()
    )
    labels = story_labels(db, [s for s in stories.values() if s is not None])
    return [labels.get(stories[i], []) if stories.get(i) is not None else [] for i in article_ids]


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- trends ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trend:
    word: str
    articles: int  # this period's articles with the word
    share: float  # … over this period's analysed articles
    before: int  # the previous weeks' articles with the word
    before_share: float
    score: float  # signed log-likelihood: how surely the share rose

    def to_dict(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "articles": self.articles,
            "share": round(self.share, 4),
            "before": self.before,
            "before_share": round(self.before_share, 4),
            "score": round(self.score, 2),
        }


@dataclass(frozen=True, slots=True)
class Trends:
    week: str  # the Monday of the period's week
    weeks: int  # previous weeks compared against
    articles: int  # analysed articles this week
    before: int  # … in the previous weeks
    rising: list[Trend]

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "weeks": self.weeks,
            "articles": self.articles,
            "before_articles": self.before,
            "rising": [t.to_dict() for t in self.rising],
        }


def _g2(a: int, n1: int, b: int, n0: int) -> float:
    """Dunning's G² for a word seen in a of n1 articles against b of n0."""
    total = a + b
    rest = n1 + n0 - total
    score = 0.0
    cells = ((a, n1, total), (b, n0, total), (n1 - a, n1, rest), (n0 - b, n0, rest))
    for observed, n, column in cells:
        expected = n * column / (n1 + n0)
        if observed > 0 and expected > 0:
            score += observed * math.log(observed / expected)
    return 2 * score


def trends(
    db: Database, week: str, *, weeks: int = 4, limit: int = 20, min_articles: int = 3
) -> Trends:
    """The words whose share of articles rose most in `week` against the `weeks` weeks before.

    Ranked by log-likelihood, which needs evidence as well as a ratio: a word in two articles
    never outranks one in twenty, and words in fewer than `min_articles` articles this week are
    left out.
    """
    start = (date.fromisoformat(week) - timedelta(weeks=weeks)).isoformat()
    totals = dict(
        db.execute(
            "select week, count(*) from analysed_articles where week >= ? and week <= ?"
            " group by week",
            [start, week],
        ).fetchall()
    )
    n1 = totals.get(week, 0)
    n0 = sum(n for w, n in totals.items() if w != week)
    now: dict[str, int] = dict(
        db.execute(
            "select word, articles from word_weeks where week = ? and articles >= ?",
            [week, min_articles],
        ).fetchall()
    )
    before: dict[str, int] = {}
    if now:
        for word, n in db.execute(
            "select word, sum(articles) from word_weeks where week >= ? and week < ? group by word",
            [start, week],
        ):
            if word in now:
                before[word] = n
    rising = []
    for word, a in now.items():
        b = before.get(word, 0)
        share = a / n1
        before_share = b / n0 if n0 else 0.0
        if share <= before_share:
            continue
        score = _g2(a, n1, b, n0) if n0 else float(a)
        rising.append(Trend(word, a, share, b, before_share, score))
    rising.sort(key=lambda t: (-t.score, -t.articles, t.word))
    return Trends(week, weeks, n1, n0, rising[:limit])


def recent_trends(db: Database, *, weeks: int = 4, per_week: int = 8) -> list[Trends]:
    """Rising words of the last `weeks` weeks that have analysed articles, newest first."""
    found = [
        row[0]
        for row in db.execute(
            "select distinct week from analysed_articles order by week desc limit ?", [weeks]
        )
    ]
    return [trends(db, week, limit=per_week) for week in found]


@dataclass(frozen=True, slots=True)
class Related:
    word: str
    articles: int  # articles with both words
    score: float  # articles with both, weighted by how rare the word is in the archive

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "articles": self.articles, "score": round(self.score, 2)}


def related(
    db: Database, word: str, *, since_week: str | None = None, limit: int = 20
) -> tuple[int, list[Related]]:
    """Words that appear in the same articles as `word` (BigKinds' 연관어) and its article count."""
    where, params = "", [word]
    if since_week:
        where = " and w.article_id in (select article_id from analysed_articles where week >= ?)"
        params.append(since_week)
    ids = [
        row[0]
        for row in db.execute(
            f"select w.article_id from article_words w where w.word = ?{where}",  # noqa: S608 - fixed
            params,
        )
    ]
    if not ids:
        return 0, []
    together: Counter[str] = Counter()
    for chunk in _chunks(ids, 500):
        marks = ",".join("?" * len(chunk))
        for other, n in db.execute(
            f"select word, count(*) from article_words where article_id in ({marks})"  # noqa: S608 - placeholders
            " group by word",
            chunk,
        ):
            together[other] += n
    together.pop(word, None)
    total = analysed_count(db)
    frequency = dict(
        db.execute(
            "select word, articles from words where word in (select value from json_each(?))",
            [_json_list(list(together))],
        ).fetchall()
    )
    scored = [
        Related(other, n, n * math.log((total + 1) / (frequency.get(other, n) + 1)))
        for other, n in together.items()
        if n >= 2 or len(ids) < 4
    ]
    scored.sort(key=lambda r: (-r.score, -r.articles, r.word))
    return len(ids), scored[:limit]


def _json_list(items: Sequence[object]) -> str:
    import json  # noqa: PLC0415

    return json.dumps(items, ensure_ascii=False)


def weekly_counts(db: Database, word: str) -> list[tuple[str, int, int]]:
    """(week, articles with the word, analysed articles) for every week the word occurs."""
    return [
        (w, n, total)
        for w, n, total in db.execute(
            "select ww.week, ww.articles,"
            " (select count(*) from analysed_articles a where a.week = ww.week)"
            " from word_weeks ww where ww.word = ? order by ww.week",
            [word],
        )
    ]
