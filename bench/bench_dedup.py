"""Dedup at archive scale: time to decide and insert one new article at 10k, 100k and 1M articles.

One run builds a synthetic archive (bench/synthetic.py, in a child process) to each size in turn
and, at each, sends probe articles through the same steps the crawl uses (sketch → find_match →
add_urls for a near-duplicate, add_article otherwise): a third near-duplicates of archived
articles (new lead sentence and a footer), a third rewrites (about half the sentences kept: same
story), a third new stories. It prints median and p99 per size, the decisions' accuracy, the peak
memory of this (measuring) process and of the builder, and database bytes per article.

    python bench/bench_dedup.py [--db PATH] [--sizes 10000,100000,1000000] [--probes 600]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build_archive, make_sentences, text_of

from archive import Archive, NewArticle
from archive import stories as story_index
from crawler.similarity import Sketch

NEAR, STORY, WINDOW = 0.5, 0.08, 3  # the shipped defaults (settings.py)


def probes(archive: Archive, size: int, count: int, seed: int) -> list[tuple[str, NewArticle]]:
    rng = np.random.default_rng([seed, size])
    out = []
    for i in range(count):
        kind = ("near_duplicate", "same_story", "new_story")[i % 3]
        url = f"https://probe.example.kr/{seed}/{size}/{i}"
        if kind == "new_story":
            text = text_of(make_sentences(rng, int(rng.integers(24, 34))))
            title = make_sentences(rng, 1)[0][:40]
            day = int(rng.integers(0, 730))
            published = (
                f"{2024 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}T09:00:00+09:00"
            )
        else:
            source_id = int(rng.integers(1, size + 1))
            title, text, published = archive.db.execute(
                "select title, text, published_at from articles where id = ?", [source_id]
            ).fetchone()
            sentences = [s for line in text.split("\n") for s in line.split(". ")]
            if kind == "near_duplicate":  # another outlet's lead, its footer
                sentences[0] = make_sentences(rng, 1)[0]
                sentences.append("무단 전재 및 재배포 금지 독자 여러분의 제보를 기다립니다")
            else:  # a rewrite: half the sentences the outlet's own
                fresh = make_sentences(rng, len(sentences))
                sentences = [
                    s if rng.random() < 0.5 else f for s, f in zip(sentences, fresh, strict=True)
                ]
            text = text_of(sentences)
        out.append(
            (
                kind,
                NewArticle(
                    url=url,
                    title=title,
                    text=text,
                    published_at=published,
                    modified_at=None,
                    outlet="벤치마크일보",
                    author=None,
                    original_url=None,
                    source="bench",
                    discovered_via="rss",
                    relevance=1,
                ),
            )
        )
    return out


def decide_and_insert(archive: Archive, new: NewArticle, split: list[float]) -> str:
    """Exactly the crawl's steps after extraction (pipelines/dedup.py, pipelines/archive.py).

    Appends the time (ms) the decision alone took to `split`.
    """
    started = time.perf_counter()
    sketch = Sketch.of(new.text)
    assert new.published_at is not None
    match = story_index.find_match(
        archive,
        sketch,
        story_index.day_of(new.published_at),
        near_duplicate=NEAR,
        same_story=STORY,
        window_days=WINDOW,
    )
    split.append((time.perf_counter() - started) * 1000)
    if match.kind == "near_duplicate":
        assert match.article_id is not None
        archive.add_urls(
            match.article_id,
            [new.url],
            new.source,
            outlet=new.outlet,
            matched_by="near_duplicate",
            similarity=match.similarity,
        )
    else:
        archive.add_article(new, story_id=match.story_id, sketch=sketch)
    return match.kind


def measure(path: Path, size: int, count: int, seed: int = 1) -> dict[str, float]:
    # As the crawl's archive pipeline opens it: checkpoints off the write path.
    with Archive(path, background_checkpoints=True) as archive:
        cases = probes(archive, size, count, seed=seed)
        times: list[float] = []
        decide: list[float] = []
        right = 0
        for expected, new in cases:
            started = time.perf_counter()
            decided = decide_and_insert(archive, new, decide)
            times.append((time.perf_counter() - started) * 1000)
            right += decided == expected
        # What the crawl does when it ends: index this crawl's new articles for search.
        started = time.perf_counter()
        indexed = archive.index_search()
        index_ms = (time.perf_counter() - started) * 1000 / max(indexed, 1)
        articles = archive.db.execute("select count(*) from articles").fetchone()[0]
    times.sort()
    decide.sort()
    files = [path, path.with_name(path.name + "-wal")]
    size_bytes = sum(f.stat().st_size for f in files if f.exists())
    return {
        "median": statistics.median(times),
        "p99": times[int(len(times) * 0.99) - 1],
        "max": times[-1],
        "decide_median": statistics.median(decide),
        "decide_p99": decide[int(len(decide) * 0.99) - 1],
        "accuracy": right / len(cases),
        "index_ms": index_ms,
        "bytes_per_article": size_bytes / articles,
        "articles": articles,
    }


def warm(path: Path) -> None:
    """Read the archive (and its log) through once, so it is in the OS page cache."""
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            with file.open("rb") as data:
                while data.read(16 << 20):
                    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path("/tmp/newswatch-bench-dedup.db"))
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--probes", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="extend an existing file")
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="probe seed; use a new one when measuring a --keep archive again (the probes of an"
        " earlier run are archived in it)",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="read the archive file once before measuring, as the OS cache holds it on a machine"
        " that crawls every few minutes (default: as the build left the cache)",
    )
    args = parser.parse_args()
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    results = []
    spawn = multiprocessing.get_context("spawn")
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        # The builder runs in its own process, so its page cache and workers are not counted as
        # the measuring process's memory. It fills the full-text index, as crawls would have.
        builder = spawn.Process(target=build_archive, args=(args.db, size))
        builder.start()
        builder.join()
        assert builder.exitcode == 0, f"builder failed at {size}"
        built = time.perf_counter() - started
        if args.warm:
            warm(args.db)
        figures = measure(args.db, size, args.probes, args.seed)
        figures |= {"size": size, "build_s": built}
        results.append(figures)
        print(
            f"{size:>9,} archived: median {figures['median']:.2f} ms, p99 {figures['p99']:.2f} ms,"
            f" max {figures['max']:.1f} ms;"
            f" decision alone median {figures['decide_median']:.2f} ms,"
            f" p99 {figures['decide_p99']:.2f} ms; decisions right {figures['accuracy']:.3f},"
            f" search indexing at crawl end {figures['index_ms']:.2f} ms/article,"
            f" {figures['bytes_per_article']:,.0f} B/article (build {built:.0f} s)",
            flush=True,
        )
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print(
        "| archived articles | decide + insert median | p99 | decide alone median | p99"
        " | decisions right | search indexing at crawl end | DB bytes/article | build time |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['size']:,} | {r['median']:.2f} ms | {r['p99']:.2f} ms"
            f" | {r['decide_median']:.2f} ms | {r['decide_p99']:.2f} ms | {r['accuracy']:.3f}"
            f" | {r['index_ms']:.2f} ms/article"
            f" | {r['bytes_per_article']:,.0f} | {r['build_s']:.0f} s |"
        )
    print(
        f"\npeak memory: measuring process {self_peak:.0f} MB,"
        f" builder (largest child) {child_peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
