"""Compare `search --sort relevance` (bm25 over the trigram index) with bm25 over analysed words.

Issue 22 asks whether ranking by the analysed words (crawler/words.py, archive table
article_words) beats the current trigram ranking on a labelled query set. The set: every article
of tests/labelled_articles.py and every gold-set page (silver/ included), in one archive; the
queries are the words a reader names for each story (tests/test_words_quality.py, written
before any label was computed), one word at a time and the first two of each story together; the
articles a reader wants first for a query are those of the stories whose reader words hold
every word of the query. Both rankings see the same archive; each returns its top 10.

- trigram: archive.search.search(sort="relevance") exactly as the CLI calls it. For a query
  with a term under three characters there is no trigram to rank by and it returns the newest
  matches first (that is the current behaviour, so it is what is measured).
- words: bm25 (k1 1.2, b 0.75) over article_words: the query analysed by the same analyser,
  term frequency the word's count with a headline occurrence counted TITLE_WEIGHT times (as story
  labels do), document length the article's analysed word count, an article matching any word.

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from archive import Archive, NewArticle  # noqa: E402
from archive import words as archive_words  # noqa: E402
from archive.query_language import Filters, parse_query  # noqa: E402
from archive.search import search  # noqa: E402
from crawler.words import TITLE_WEIGHT, Analyser  # noqa: E402
from newswatch.config import load_config  # noqa: E402
from tests.labelled_articles import labelled_articles  # noqa: E402
from tests.test_words_quality import READER_WORDS_GOLD, READER_WORDS_LABELLED  # noqa: E402

GOLDSET = Path("/work/shared/goldset")
K = 10
K1, B = 1.2, 0.75


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
        analyser = _analyser()
        rows = archive_words.pending(archive.db, limit=10_000)
        archive_words.store(
            archive.db,
            [
                archive_words.Analysed(r.id, r.week, r.text_hash, analyser.analyse(r.title, r.text))
                for r in rows
            ],
        )
    return story_of


def _analyser() -> Analyser:
    return Analyser.of(load_config(ROOT / "newswatch.toml").watch.terms)


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


def trigram(db: object, text: str) -> list[int]:
    rows = search(db, parse_query(text), Filters(), limit=K, sort="relevance")  # type: ignore[arg-type]
    return [int(row["id"]) for row in rows]


def words_bm25(analyser: Analyser) -> Callable[[object, str], list[int]]:
    def rank(db: object, text: str) -> list[int]:
        conn = db.conn  # type: ignore[attr-defined]
        terms = list(analyser.words(text, "")) or [text]
        n = conn.execute("select count(*) from analysed_articles").fetchone()[0]
        average = conn.execute("select avg(words) from analysed_articles").fetchone()[0]
        scores: dict[int, float] = defaultdict(float)
        for term in terms:
            row = conn.execute("select articles from words where word = ?", [term]).fetchone()
            if row is None:
                continue
            idf = math.log(1 + (n - row[0] + 0.5) / (row[0] + 0.5))
            for article_id, count, in_title, length in conn.execute(
                "select w.article_id, w.count, w.in_title, a.words from article_words w"
                " join analysed_articles a on a.article_id = w.article_id where w.word = ?",
                [term],
            ):
                tf = count + (TITLE_WEIGHT - 1) * in_title
                norm = K1 * (1 - B + B * length / average)
                scores[article_id] += idf * tf * (K1 + 1) / (tf + norm)
        return [i for i, _ in sorted(scores.items(), key=lambda kv: (-kv[1], -kv[0]))[:K]]

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
        rankers = {"trigram (current)": trigram, "bm25 over words": words_bm25(_analyser())}
        with Archive(path) as archive:
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
