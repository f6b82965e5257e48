"""Measure `search --sort relevance`: bm25 over analysed words (shipped) against trigram bm25.

Issue 22 asked whether ranking by the analysed words (crawler/words.py, archive table
article_words) beats the trigram ranking on a labelled query set; it did, and the words ranking
is what `--sort relevance` now does (archive/word_ranking.py). This measures both as shipped. The
set: every article of tests/labelled_articles.py and every gold-set page (silver/ included), in
one archive analysed as `newswatch words --backfill` analyses one; the queries are the words a
reader names for each story (tests/test_words_quality.py, written before any label was
computed), one word at a time and the first two of each story together; the articles a reader
wants first for a query are those of the stories whose reader words hold every word of the
query. Both rankings see the same archive; each returns its top 10.

- words (shipped): archive.search.search(sort="relevance", analyse=...) with the analyser the
  CLI builds (newswatch.words.analyser_for): bm25 (k1 1.2, b 0.75) over article_words, term
  frequency the word's count with a headline occurrence counted TITLE_WEIGHT times, document
  length the article's analysed word count; every result matches the whole query, and matches
  without a query word follow in the trigram order.
- trigram: the same call without an analyser (the ranking before, and the fallback now). For a
  query with a term under three characters there is no trigram to rank by and it returns the
  newest matches first.

Caveat: the reader words were written as label words, so they are words the analysis can find;
queries a user types that are not nouns (a phrase, a verb) would favour the trigram index.

Run: python bench/bench_relevance.py
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from archive import Archive, NewArticle  # noqa: E402
from archive import words as archive_words  # noqa: E402
from archive.query_language import Filters, parse_query  # noqa: E402
from archive.search import search  # noqa: E402
from crawler.words import Analyser  # noqa: E402
from newswatch.config import load_config  # noqa: E402
from newswatch.words import analyser_for  # noqa: E402
from tests.labelled_articles import labelled_articles  # noqa: E402
from tests.test_words_quality import READER_WORDS_GOLD, READER_WORDS_LABELLED  # noqa: E402

GOLDSET = Path("/work/shared/goldset")
CONFIG = load_config(ROOT / "newswatch.toml")  # the shipped default watch
K = 10


def build(path: Path) -> dict[int, str]:
    """The archive of labelled articles and gold pages, analysed; each article id's story key."""
    story_of: dict[int, str] = {}
    with Archive(path) as archive:
        seen: set[str] = set()
        for entry in labelled_articles():
            if entry.url in seen:  # a later version of an article at the same address
                continue
            seen.add(entry.url)
            new = NewArticle(
                url=entry.url, title=entry.title, text=entry.text,
                published_at=entry.published_at, modified_at=None, outlet=entry.outlet,
                author=None, original_url=None, source="labelled", discovered_via="labelled",
                relevance=0,
            )  # fmt: skip
            story_of[archive.add_article(new).article_id] = entry.story
        pages = sorted([*GOLDSET.glob("*.json"), *GOLDSET.glob("silver/*.json")])
        for n, page in enumerate(pages):
            data = json.loads(page.read_text(encoding="utf-8"))
            new = NewArticle(
                url=data["url"], title=data.get("title") or "", text=data["text"],
                published_at=data.get("published") or f"2025-08-{1 + n % 28:02d}T09:00:00+09:00",
                modified_at=None, outlet=data.get("outlet"), author=None, original_url=None,
                source=page.stem, discovered_via="goldset", relevance=0,
            )  # fmt: skip
            story_of[archive.add_article(new).article_id] = page.stem
        archive.index_search()
        analyser = analyser_for(CONFIG, archive)  # as `newswatch words --backfill` builds it
        rows = archive_words.pending(archive.db, limit=10_000)
        archive_words.store(
            archive.db,
            [
                archive_words.Analysed(r.id, r.week, r.text_hash, analyser.analyse(r.title, r.text))
                for r in rows
            ],
        )
    return story_of


def queries() -> list[tuple[str, set[str]]]:
    """(query, the story keys a reader wants first for it)."""
    reader = READER_WORDS_LABELLED | READER_WORDS_GOLD
    texts = {w for words in reader.values() for w in words}
    texts |= {" ".join(sorted(words)[:2]) for words in reader.values()}
    found = []
    for text in sorted(texts):
        wanted = {key for key, words in reader.items() if set(text.split()) <= words}
        found.append((text, wanted))
    return found


Ranker = Callable[[Database, str], list[int]]


def trigram(db: Database, text: str) -> list[int]:
    rows = search(db, parse_query(text), Filters(), limit=K, sort="relevance")
    return [int(row["id"]) for row in rows]


def words(analyser: Analyser) -> Ranker:
    """The shipped ranking, with the query analysed as the search command analyses it."""

    def rank(db: Database, text: str) -> list[int]:
        rows = search(
            db,
            parse_query(text),
            Filters(),
            limit=K,
            sort="relevance",
            analyse=lambda t: analyser.words(t, ""),
        )
        return [int(row["id"]) for row in rows]

    return rank


def ndcg(ranked: list[str], wanted: set[str], relevant: int) -> float:
    gains = sum(1 / math.log2(i + 2) for i, key in enumerate(ranked) if key in wanted)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(relevant, K)))
    return gains / ideal if ideal else 0.0


def evaluate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "relevance.db"
        story_of = build(path)
        per_story: dict[str, int] = defaultdict(int)
        for key in story_of.values():
            per_story[key] += 1
        with Archive(path) as archive:
            rankers: dict[str, Ranker] = {
                "trigram (before; the fallback)": trigram,
                "bm25 over words (shipped)": words(analyser_for(CONFIG, archive)),
            }
            results: dict[str, dict[str, list[float]]] = {}
            for name, rank in rankers.items():
                for text, wanted in queries():
                    relevant = sum(per_story[k] for k in wanted)
                    ranked = [story_of[i] for i in rank(archive.db, text)]
                    first = next((i for i, k in enumerate(ranked) if k in wanted), None)
                    short = "2-char term" if any(len(t) < 3 for t in text.split()) else "3+ chars"
                    for group in ("all", short):
                        cell = results.setdefault(group, {}).setdefault(name, [0, 0, 0, 0, 0])
                        cell[0] += ndcg(ranked, wanted, relevant)
                        cell[1] += sum(k in wanted for k in ranked[:5]) / min(5, relevant)
                        cell[2] += 1 / (first + 1) if first is not None else 0
                        cell[3] += bool(ranked) and ranked[0] in wanted
                        cell[4] += 1
    print(f"{len(queries())} queries over {len(story_of)} articles ({len(per_story)} stories)\n")
    print(f"| queries | ranking | n | NDCG@{K} | P@5 (of min(5, relevant)) | MRR | P@1 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for group in ("all", "3+ chars", "2-char term"):
        for name, (g, p, r, one, count) in results.get(group, {}).items():
            print(
                f"| {group} | {name} | {count:.0f} | {g / count:.3f} | {p / count:.3f}"
                f" | {r / count:.3f} | {one / count:.3f} |"
            )


if __name__ == "__main__":
    evaluate()
