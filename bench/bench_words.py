"""Time the words feature (issue 22): the analysis, the backfill, trends and story labels.

Three parts, each its own command, because each needs a different archive:

- `analysis`: characters/s, articles/s and peak resident memory of the analysis alone
  (crawler/words.py: mecab-ko + the known-names merge) on the gold-set pages (real Korean text,
  /work/shared/goldset and its silver/ pages) and on synthetic text (bench/synthetic.py). Each
  corpus runs in its own child process, so its peak RSS is the analysis's, not the parent's.
- `backfill ARCHIVE`: `newswatch words --backfill` on ARCHIVE as a user runs it (its own process,
  a config naming the archive), after the archive's pending migrations are applied and timed.
- `queries ARCHIVE`: `trends` for a 4-week window (the bar: <= 1 s warm) and story labels (`show`
  of a story, and labels of a 20-story listing) on a large archive. Trends and labels read only the
  weeks they look at; the articles of those weeks are analysed first if they are not (the rest of
  the archive may stay unanalysed: say so when reporting). "cold" is the first call in a fresh
  process (SQLite's cache empty; the OS page cache as the previous command left it).

- `scale PATH`: `trends` on the word statistics of 1M articles with a real archive's vocabulary
  (bench/word_stats.py builds PATH if it is missing): synthetic text has far fewer distinct
  words a week than real coverage, and trends' cost is the words of the weeks it reads.
- `window ARCHIVE --out FILE`: the analysis for `queries --words FILE`, from a read-only archive.

Run: python bench/bench_words.py analysis | backfill ARCHIVE | queries ARCHIVE [--week YYYY-MM-DD]
     [--words FILE] | window ARCHIVE --out FILE | scale PATH
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from archive import Archive  # noqa: E402
from archive import words as archive_words  # noqa: E402
from archive.queries import story  # noqa: E402
from bench import word_stats  # noqa: E402
from bench.common import p95, timed  # noqa: E402
from bench.synthetic import make_sentences, text_of  # noqa: E402
from crawler.words import Analyser  # noqa: E402
from newswatch.config import load_config  # noqa: E402

GOLDSET = Path("/work/shared/goldset")
MIN_CHARS = 3_000_000  # each corpus is analysed (repeated if need be) until this many characters
WARM_RUNS = 20


# --- analysis -------------------------------------------------------------------------------


def _gold_texts() -> list[tuple[str, str]]:
    pages = sorted([*GOLDSET.glob("*.json"), *GOLDSET.glob("silver/*.json")])
    found = []
    for page in pages:
        data = json.loads(page.read_text(encoding="utf-8"))
        found.append((data.get("title") or "", data["text"]))
    return found


def _synthetic_texts(count: int = 2000) -> list[tuple[str, str]]:
    rng = np.random.default_rng([0, 22])
    return [
        (make_sentences(rng, 1)[0], text_of(make_sentences(rng, int(rng.integers(24, 34)))))
        for _ in range(count)
    ]


def _analyse_child(corpus: str) -> None:
    """In a child process: analyse `corpus` and print one JSON line of figures."""
    texts = _gold_texts() if corpus == "gold" else _synthetic_texts()
    imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Python, numpy, the packages
    analyser = Analyser.of(load_config(ROOT / "newswatch.toml").watch.terms)
    analyser.analyse("엑사원", "LG AI연구원이 엑사원을 공개했다.")  # loads the dictionary
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    chars = articles = 0
    started, cpu = time.perf_counter(), time.process_time()
    while chars < MIN_CHARS:
        for title, text in texts:
            analyser.analyse(title, text)
            chars += len(title) + len(text)
            articles += 1
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "corpus": corpus,
                "distinct": len(texts),
                "chars_per_article": chars / articles,
                "chars": chars,
                "articles": articles,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "imports_mb": imports / 1024,
                "loaded_mb": loaded / 1024,
                "peak_mb": peak / 1024,
            }
        )
    )


def analysis() -> None:
    print(
        "| text | distinct texts | chars/article | characters/s (wall) | articles/s (wall)"
        " | characters per CPU-second | RSS after imports MB | RSS, dictionary loaded MB"
        " | peak RSS MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")  # fmt: skip
    for corpus, name in (("gold", "gold set (real Korean pages)"), ("synthetic", "synthetic")):
        out = subprocess.run(
            [sys.executable, __file__, "_analyse", corpus],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"| {name} | {r['distinct']} | {r['chars_per_article']:.0f}"
            f" | {r['chars'] / r['seconds']:,.0f} | {r['articles'] / r['seconds']:,.0f}"
            f" | {r['chars'] / r['cpu_seconds']:,.0f} | {r['imports_mb']:.0f}"
            f" | {r['loaded_mb']:.0f} | {r['peak_mb']:.0f} |"
        )
    print(f"\nEach corpus analysed (repeated) to {MIN_CHARS:,} characters in its own process;")
    print("RSS is the child's ru_maxrss (Python + mecab-ko-dic + the analysis); wall-clock rates")
    print("depend on the machine's load, CPU-second rates much less.")


# --- backfill -------------------------------------------------------------------------------


def backfill(path: Path) -> None:
    started = time.perf_counter()
    Archive(path).close()  # pending migrations (m009's folded index, m010's tables)
    print(f"open + migrate: {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "newswatch.toml"
        shipped = (ROOT / "newswatch.toml").read_text(encoding="utf-8")  # its watch and sources
        config.write_text(
            shipped.replace('path = "newswatch.db"', f'path = "{path.resolve()}"', 1),
            encoding="utf-8",
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "newswatch", "--config", str(config), "words", "--backfill"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(done.stderr.strip().splitlines()[-1])
    print(f"whole command: {seconds:.1f} s wall, peak RSS {peak:.0f} MB")


# --- trends and labels on a large archive ---------------------------------------------------


def _analyser(db: sqlite3.Connection) -> Analyser:
    """As `newswatch words --backfill` makes it: watch terms and the archive's outlets whole."""
    outlets = [row[0] for row in db.execute("select distinct outlet from articles") if row[0]]
    return Analyser.of([*load_config(ROOT / "newswatch.toml").watch.terms, *outlets])


def _weeks(db: sqlite3.Connection, week: str | None) -> tuple[str, str]:
    """The week trends looks at (default: the archive's last full week) and the window's first."""
    if week is None:
        last = db.execute("select max(published_at) from articles").fetchone()[0]
        week = archive_words.week_of(
            (date.fromisoformat(last[:10]) - timedelta(days=7)).isoformat()
        )
    return week, (date.fromisoformat(week) - timedelta(weeks=4)).isoformat()


def _first_week(path: Path, week: str | None) -> str:
    return _weeks(sqlite3.connect(f"file:{path}?mode=ro", uri=True), week)[1]


def window_words(path: Path, first_week: str, out: Path) -> None:
    """Analyse the articles published from `first_week` on, reading `path` read-only; pickle them.

    The analysis is the cost; doing it from a read-only copy lets it run while the archive to be
    measured is still being migrated. `queries --words OUT` stores them (archive.words.store).
    """
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    analyser = _analyser(db)
    rows = db.execute(
        "select id, title, text, text_hash, coalesce(published_at, first_seen_at) from articles"
        " where coalesce(published_at, first_seen_at) >= ? order by id",
        [first_week],
    ).fetchall()
    started = time.perf_counter()
    found = []
    for n, (i, title, text, digest, when) in enumerate(rows, 1):
        words = analyser.analyse(title or "", text or "")
        found.append(archive_words.Analysed(i, archive_words.week_of(when), digest, words))
        if n % 1000 == 0:
            print(f"\ranalysed {n:,} / {len(rows):,}", end="", file=sys.stderr)
    seconds = time.perf_counter() - started
    chars = sum(len(t or "") + len(x or "") for _, t, x, _, _ in rows)
    with out.open("wb") as file:
        pickle.dump(found, file)
    rate = f"{len(rows) / seconds:.0f} articles/s, {chars / seconds:,.0f} characters/s"
    print(f"\n{len(rows):,} articles from {first_week}: {seconds:.0f} s, {rate}")


def _store_words(archive: Archive, words: Path | None, first_week: str) -> None:
    """Store pickled words (window_words), or analyse the window's articles here."""
    db = archive.db
    if words is None:
        with tempfile.TemporaryDirectory() as tmp:
            words = Path(tmp) / "words.pickle"
            window_words(archive.path, first_week, words)
            found = pickle.loads(words.read_bytes())
    else:
        found = pickle.loads(words.read_bytes())
    done = {row[0] for row in db.execute("select article_id from analysed_articles")}
    todo = [item for item in found if item.id not in done]
    started = time.perf_counter()
    for at in range(0, len(todo), 200):
        archive_words.store(db, todo[at : at + 200])
    if todo:
        seconds = time.perf_counter() - started
        print(f"stored the words of {len(todo):,} articles: {len(todo) / seconds:.0f} articles/s")


def _trends_child(path: str, week: str) -> None:
    """In a fresh process: the first trends call (cold), then warm runs; one JSON line."""
    with Archive(path) as archive:
        times, found = timed(lambda: archive_words.trends(archive.db, week, weeks=4), WARM_RUNS)
    result = found  # a Trends
    print(
        json.dumps(
            {
                "times": times,
                "articles": result.articles,  # type: ignore[attr-defined]
                "before": result.before,  # type: ignore[attr-defined]
                "top": [t.word for t in result.rising[:8]],  # type: ignore[attr-defined]
            },
            ensure_ascii=False,
        )
    )


def queries(path: Path, week: str | None, words: Path | None) -> None:
    with Archive(path) as archive:
        db = archive.db
        week, first = _weeks(db.conn, week)
        total = db.execute("select count(*) from articles").fetchone()[0]
        _store_words(archive, words, first)
        analysed = archive_words.analysed_count(db)
        rows = db.execute("select count(*) from word_weeks").fetchone()[0]
    print(f"{total:,} articles in {path}; {analysed:,} analysed ({rows:,} word_weeks rows)")
    _print_trends(path, week)
    _labels(path, first)


def scale(path: Path) -> None:
    """trends on word statistics of 1M articles with a real vocabulary (bench/word_stats.py)."""
    if not path.exists():
        started = time.perf_counter()
        word_stats.build(path)
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    analysed = conn.execute("select count(*) from analysed_articles").fetchone()[0]
    rows = conn.execute("select count(*) from word_weeks").fetchone()[0]
    conn.close()
    print(f"{analysed:,} analysed articles, {rows:,} word_weeks rows ({path})")
    _print_trends(path, word_stats.last_full_week())


def _print_trends(path: Path, week: str) -> None:
    """Time trends in a fresh process (its first call is the cold one) and print the row."""
    out = subprocess.run(
        [sys.executable, __file__, "_trends", str(path), week],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    times = r["times"]
    warm = times[1:]
    print(f"\ntrends, week of {week} against the 4 weeks before ({r['articles']:,} articles")
    print(f"against {r['before']:,}); rising: {' '.join(r['top'])}\n")
    print("| query | cold ms | warm p50 ms | warm p95 ms | bar (warm) ms | ok |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    ok = "yes" if p95(warm) <= 1.0 else "NO"
    print(
        f"| trends, 4 weeks | {times[0] * 1000:.1f} | {float(np.median(warm)) * 1000:.1f}"
        f" | {p95(warm) * 1000:.1f} | 1000 | {ok} |"
    )


def _labels(path: Path, first: str) -> None:
    """`show` of a story (its articles and label) and a 20-story listing's labels, warm."""
    with Archive(path) as archive:
        db = archive.db
        stories = [
            row[0]
            for row in db.execute(
                "select story_id from articles where published_at >= ? and story_id is not null"
                " group by story_id order by count(*) desc, story_id limit 20",
                [first],
            )
        ]
        per_story: list[float] = []
        first_calls: list[float] = []
        for story_id in stories:
            times, _ = timed(lambda s=story_id: story(db, s), 5)
            first_calls.append(times[0])
            per_story.extend(times[1:])
        listing, labels = timed(lambda: archive_words.story_labels(db, stories), WARM_RUNS)
    sizes = [len(v) for v in labels.values()]  # type: ignore[attr-defined]
    print(
        f"| story page (`show`: articles + label), {len(stories)} stories"
        f" | {max(first_calls) * 1000:.1f} (slowest first call) | {np.median(per_story) * 1000:.1f}"
        f" | {p95(per_story) * 1000:.1f} | - | - |"
    )
    print(
        f"| labels of a 20-story listing | {listing[0] * 1000:.1f}"
        f" | {np.median(listing[1:]) * 1000:.1f} | {p95(listing[1:]) * 1000:.1f} | - | - |"
    )
    print(f"\n(labels of {min(sizes, default=0)}-{max(sizes, default=0)} words each)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_analyse":
        _analyse_child(sys.argv[2])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_trends":
        _trends_child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["analysis", "backfill", "queries", "window", "scale"])
    parser.add_argument("archive", nargs="?", type=Path)
    parser.add_argument("--week", help="the week trends looks at (its Monday)")
    parser.add_argument("--words", type=Path, help="queries: words pickled by `window`")
    parser.add_argument("--out", type=Path, help="window: where to pickle the words")
    args = parser.parse_args()
    if args.part == "analysis":
        analysis()
    elif args.archive is None:
        parser.error(f"{args.part} needs an ARCHIVE")
    elif args.part == "backfill":
        backfill(args.archive)
    elif args.part == "scale":
        scale(args.archive)
    elif args.part == "window":
        window_words(args.archive, _first_week(args.archive, args.week), args.out)
    else:
        queries(args.archive, args.week, args.words)


if __name__ == "__main__":
    main()
