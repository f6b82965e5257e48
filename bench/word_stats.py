"""Word statistics of a 1,000,000-article archive with a real archive's vocabulary, for `trends`.

bench/synthetic.py's made-up words are mostly not nouns to mecab-ko: an analysed synthetic
article keeps about 32 distinct words, a real one (the gold set, 1,500 characters) about 116, and
a week of real coverage has far more distinct words than a week of synthetic text. `trends` reads
only `analysed_articles` (articles per week) and `word_weeks` (articles per week and word), so
this module writes just those two tables, as 1M analysed articles would leave them: WEEKS weeks
of articles, each article with PER_ARTICLE distinct words drawn from a Zipf law over VOCABULARY
words (numbers chosen from the gold set: 116 words an article; Heaps' law from its 35 pages puts
a million articles' vocabulary past a million words, 500,000 is used), and a few words rising in
the last weeks so that trends has something to find. No article text is generated.

Run: python bench/word_stats.py PATH [N]
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from archive import Archive  # noqa: E402

WEEKS = 104
PER_ARTICLE = 116
VOCABULARY = 500_000
FIRST_WEEK = date(2024, 7, 1)  # a Monday
RISING = 30  # words whose share grows over the last 8 weeks


def word(index: int) -> str:
    return f"낱말{index}"


def _week_counts(rng: np.random.Generator, articles: int, cumulative: np.ndarray) -> np.ndarray:
    """Articles with each word in a week of `articles` articles (distinct words per article)."""
    draws = np.searchsorted(cumulative, rng.random((articles, PER_ARTICLE + 24)))
    draws.sort(axis=1)
    fresh = np.ones_like(draws, dtype=bool)
    fresh[:, 1:] = draws[:, 1:] != draws[:, :-1]  # a word counts once per article
    return np.bincount(draws[fresh], minlength=VOCABULARY)


def build(path: Path, n: int = 1_000_000, seed: int = 0) -> None:
    Archive(path).close()  # the real schema
    rng = np.random.default_rng([seed, 23])
    ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
    weights = 1.0 / ranks**1.0
    cumulative = np.cumsum(weights / weights.sum())
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("pragma synchronous = off")
    started = time.perf_counter()
    article_id = 0
    for week_no in range(WEEKS):
        week = (FIRST_WEEK + timedelta(weeks=week_no)).isoformat()
        articles = n // WEEKS + (week_no < n % WEEKS)
        counts = _week_counts(rng, articles, cumulative)
        late = week_no - (WEEKS - 8)
        if late >= 0:  # rising words: mid-frequency ranks, a growing share of the week
            for k in range(RISING):
                counts[2000 + k * 50] += int(articles * 0.002 * (late + 1) * (1 + k % 3))
        present = np.flatnonzero(counts)
        conn.execute("begin")
        conn.executemany(
            "insert into word_weeks (week, word, articles) values (?, ?, ?)",
            ((week, word(int(i)), int(counts[i])) for i in present),
        )
        conn.executemany(
            "insert into analysed_articles (article_id, week, text_hash, words, analysed_at)"
            " values (?, ?, null, ?, ?)",
            (
                (article_id + k + 1, week, PER_ARTICLE, f"{week}T12:00:00+09:00")
                for k in range(articles)
            ),
        )
        conn.execute("commit")
        article_id += articles
        print(
            f"\rweek {week_no + 1}/{WEEKS}: {len(present):,} words,"
            f" {time.perf_counter() - started:.0f} s",
            end="",
            file=sys.stderr,
        )
    print(file=sys.stderr)
    conn.close()


def last_full_week() -> str:
    return (FIRST_WEEK + timedelta(weeks=WEEKS - 1)).isoformat()


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
