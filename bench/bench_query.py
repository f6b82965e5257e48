"""Time searches and stats on a 1,000,000-article synthetic archive against the issue 8 speed bar.

The bar: a 3+ character Korean query with a date filter returns its first 20 results in <= 100 ms
p95; a two-character query in <= 1 s p95; `stats` in <= 2 s. Figures are wall-clock times of the
library calls the commands make, warm OS cache, measured one after another in one run.

Run: python bench/bench_query.py [ARCHIVE] [N]   (builds ARCHIVE with N articles if it is missing:
bench/synthetic.py with its planted terms and crawl order, `python bench/synthetic.py PATH N
--query`). An archive made before m009_watches is migrated when it is opened: its search index is
rebuilt from folded text, which takes long at 1M articles; the time is printed first.

`--sort relevance` has no bar; it is timed both ways, one after the other: over the analysed
words with the analyser the command builds (its build time printed), and over trigrams (the
ranking of an archive without words, and the one before issue 22). An archive without words
ranks by trigrams both times: run `newswatch words --backfill` on it first.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlite_utils import Database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from archive import Archive  # noqa: E402
from archive import words as archive_words  # noqa: E402
from archive.queries import stats, top_stories  # noqa: E402
from archive.query_language import Filters, parse_query, parse_when  # noqa: E402
from archive.search import search  # noqa: E402
from bench.common import p95, timed  # noqa: E402
from bench.synthetic import END, build_archive  # noqa: E402
from newswatch.config import load_config  # noqa: E402
from newswatch.words import analyser_for  # noqa: E402

DEFAULT = Path("/tmp/newswatch-bench/query-1m.db")
RUNS = 30


def row(case: tuple[str, str, str, object], times: list[float], bar: float) -> str:
    """A table row: case is (kind, query, since, hits); the first time is the first call's."""
    first, rest = times[0], times[1:]
    ok = "yes" if p95(rest) <= bar else "NO"
    cells = [*map(str, case), f"{first * 1000:.1f}", f"{statistics.median(rest) * 1000:.1f}"]
    cells += [f"{p95(rest) * 1000:.1f}", f"{bar * 1000:.0f}", ok]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_archive(path, n, planted=True, crawl_order=True)
    start = time.perf_counter()
    archive = Archive(path)  # applies pending migrations (m006's index) once
    print(f"open + migrate: {time.perf_counter() - start:.1f} s")
    db = archive.db
    total = db.execute("select count(*) from articles").fetchone()[0]
    # Windows end where the synthetic archive ends, as "7d" would on the day it was crawled.
    now = END + timedelta(hours=1)

    def since(span: str) -> str:
        return parse_when(span, now=now)

    cases: list[tuple[str, str, str | None, float]] = [
        # (kind, query, --since, bar in seconds)
        ("3+ chars, date filter", "엑사원", "30d", 0.1),
        ("3+ chars, date filter", "엑사원", "7d", 0.1),
        ("3+ chars, date filter", "엑사원", "365d", 0.1),
        ("3+ chars, date filter", "CVPR", "30d", 0.1),
        ("3+ chars, date filter", "뉴로모픽", "30d", 0.1),
        ("3+ chars, date filter", "뉴로모픽", "365d", 0.1),
        ("3+ chars, date filter", '"LG AI연구원" -CVPR', "30d", 0.1),
        ("3+ chars, date filter", "뉴로모픽 OR CVPR -엑사원", "30d", 0.1),
        ("3+ chars, no filter", "엑사원", None, 0.1),
        ("3+ chars, no filter", "뉴로모픽", None, 0.1),
        ("2 chars", "LG", None, 1.0),
        ("2 chars", "AI", "30d", 1.0),
        ("2 chars", "곰탕", "30d", 1.0),
        ("2 chars", "곰탕", "365d", 1.0),
        ("2 chars", "곰탕", None, 1.0),
    ]
    print(f"{total:,} articles in {path} ({path.stat().st_size / 2**30:.1f} GiB)\n")
    print("| case | query | since | hits | first ms | p50 ms | p95 ms | bar ms | ok |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind, text, span, bar in cases:
        query = parse_query(text)
        filters = Filters(since=since(span)) if span else Filters()
        times, rows = timed(lambda q=query, f=filters: search(db, q, f, limit=20), RUNS)
        print(row((kind, f"`{text}`", span or "-", len(rows)), times, bar))  # type: ignore[arg-type]
    times, found = timed(lambda: stats(db), 5)
    weeks = f"{len(found.outlets)} outlets, {len(found.weeks)} weeks"  # type: ignore[attr-defined]
    print(row(("stats", "(all)", "-", weeks), times, 2.0))
    times, _ = timed(lambda: top_stories(db, 10), 3)
    print(row(("report: top stories (no bar)", "(all)", "-", 10), times, 60))
    relevance(db, archive, since)
    print(f"\nfirst = first call in this process; p50/p95 over the next {RUNS} (relevance 5,")
    print("stats 5, top stories 3), warm OS cache.")
    archive.close()


# (query, --since): the issue 8 rows, then two-character words, where the rankings differ.
RELEVANCE = [("엑사원", "30d"), ("뉴로모픽", None), ("AI", "30d"), ("LG", None), ("곰탕", "365d")]


def relevance(db: Database, archive: Archive, since: Callable[[str], str]) -> None:
    """`search --sort relevance` as the command runs it (bm25 over the analysed words, with the
    analyser it builds) and without an analyser (bm25 over trigrams: the ranking before, and the
    fallback for an archive without words), one after the other."""
    start = time.perf_counter()
    analyser = analyser_for(load_config(ROOT / "newswatch.toml"), archive)
    analyser.words("엑사원", "")  # loads the dictionary, as the command's first query does
    built = time.perf_counter() - start
    analysed = archive_words.analysed_count(db)
    print(f"\nrelevance: {analysed:,} articles analysed; the command's analyser: {built:.2f} s")
    print("| ranking | query | since | hits | first ms | p50 ms | p95 ms | bar ms | ok |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")

    def words(text: str) -> Iterable[str]:
        return analyser.words(text, "")  # as newswatch/commands/query.py analyses a query

    rankings: dict[str, Callable[[str], Iterable[str]] | None] = {"words": words, "trigram": None}
    for text, span in RELEVANCE:
        filters = Filters(since=since(span)) if span else Filters()
        for name, analyse in rankings.items():
            call = partial(
                search, db, parse_query(text), filters, limit=20, sort="relevance", analyse=analyse
            )
            times, rows = timed(call, 5)
            print(row((name, f"`{text}`", span or "-", len(rows)), times, 60))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
