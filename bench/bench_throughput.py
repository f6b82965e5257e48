"""Throughput side by side: bare trafilatura, trafilatura's command line, `newswatch crawl`.

Builds a local mirror of at least 2,000 article pages (copies of the gold set and the saved test
pages, each made unique), lists them in RSS feeds, serves them from 127.0.0.1 in a separate process,
then measures in one run, one after the other (the machine is shared and noisy, so only the ratios
of one run mean anything). The copies keep their outlets' address shapes, so newswatch's site
profiles apply as on a real crawl; newswatch reaches them with the mirror as its HTTP proxy
(http_proxy), trafilatura's command line at the mirror's own 127.0.0.1 addresses (it would read
http_proxy as a SOCKS proxy). `--loopback` lists the 127.0.0.1 addresses in the feeds instead, so
no profile applies and every page goes through trafilatura inside newswatch too.

1. bare `trafilatura.extract` over the same bytes in one process (the single-core floor);
2. `trafilatura -i urls.txt --parallel 2` with SLEEP_TIME = 0 and SSRF_PROTECTION = off;
3. `newswatch crawl` of the feeds with `[crawl] delay = 0`, `adaptive = false`, `concurrency = 8`.

Each is a child process; its CPU seconds and peak memory include its descendants (the extraction
workers), read from /proc while it runs: RSS summed over the processes (pages they share counted
once per process), and PSS (shared pages split between them, so counted once in all).
Targets (issue 9): newswatch >= 1.5x bare, >= 2x the command line, peak memory < 500 MB.

`--watches N` adds a fourth run to each round: `newswatch crawl` of the same feeds with N watches of
5 terms each (the LG AI Research watch and N - 1 others whose terms occur nowhere, so every page is
matched against all of them). Target (issue 21): with 50 watches, within 5 % of one watch.

    python bench/bench_throughput.py [--pages 2000] [--rounds 1] [--loopback] [--profile FILE]
                                     [--watches 50]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from bench.common import Usage, cpu_of, measure  # noqa: E402
from bench.mirror import TERMS, Mirror, build_mirror, write_feeds  # noqa: E402


def bare_child(directory: Path, names_file: Path) -> None:
    """Child mode: trafilatura.extract over every copy once, timing only the loop."""
    import trafilatura

    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    names = names_file.read_text("utf-8").split()
    url_of = {name: url for url, name in manifest.items()}
    pages = [(url_of[n], (directory / n).read_bytes()) for n in names]
    trafilatura.extract(pages[0][1], url=pages[0][0], deduplicate=False)  # warm-up
    start = time.perf_counter()
    extracted = sum(
        trafilatura.extract(body, url=url, deduplicate=False) is not None for url, body in pages
    )
    print(json.dumps({"seconds": time.perf_counter() - start, "extracted": extracted}))


def trafilatura_config(path: Path) -> Path:
    """trafilatura's own settings.cfg with no sleep between requests and loopback allowed."""
    import trafilatura.settings

    text = (Path(trafilatura.settings.__file__).parent / "settings.cfg").read_text("utf-8")
    text = re.sub(r"(?m)^SLEEP_TIME = .*$", "SLEEP_TIME = 0", text)
    text = re.sub(r"(?m)^SSRF_PROTECTION = .*$", "SSRF_PROTECTION = off", text)
    path.write_text(text, encoding="utf-8")
    return path


def watch_tables(count: int) -> list[str]:
    """[[watches]] for `count` watches of 5 terms: LG AI Research's, then made-up competitors'."""
    lines = ["[[watches]]", 'name = "LG AI Research"']
    lines.append(f"terms = {json.dumps(list(TERMS), ensure_ascii=False)}")
    for i in range(1, count):
        terms = [
            f"경쟁사{i}연구소",
            f"Rival{i} AI",
            f"라이벌{i}모델",
            f"RIVAL-{i}X",
            f"가상{i}클로바",
        ]
        lines += ["[[watches]]", f'name = "rival {i}"']
        lines.append(f"terms = {json.dumps(terms, ensure_ascii=False)}")
    return lines


def newswatch_config(path: Path, archive: Path, bench: Bench, watches: int = 1) -> Path:
    lines = [
        "[archive]",
        f'path = "{archive}"',
        *watch_tables(watches),
        "[crawl]",
        "delay = 0",
        "allow_private = true",
        "adaptive = false",
        f"concurrency = {bench.concurrency}",
    ]
    if bench.extract_workers is not None:
        lines.append(f"extract_workers = {bench.extract_workers}")
    for index, feed in enumerate(bench.feeds):
        url = f"{bench.base}{feed}"
        lines += ["[[sources]]", f'name = "mirror{index}"', 'type = "rss"', f'url = "{url}"']
        lines.append("max_items = 100000")  # every item of the mirror's feeds (default: 200)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_counts(archive: Path) -> dict[str, int]:
    conn = sqlite3.connect(archive)
    try:
        names = ("fetched", "new", "duplicates", "irrelevant", "not_article", "failed")
        row = conn.execute(
            f"SELECT {', '.join(f'SUM({n})' for n in names)} FROM crawl_run_sources"
        ).fetchone()
        return dict(zip(names, (v or 0 for v in row), strict=True))
    finally:
        conn.close()


# ------------------------------------------------------------------------------------------ main


@dataclass
class Bench:
    work: Path
    mirror: Mirror
    base: str
    feeds: list[str]
    trafilatura_cfg: Path
    env: dict[str, str]  # no proxy variables (trafilatura would read http_proxy as SOCKS)
    crawl_env: dict[str, str]  # newswatch's: http_proxy is the mirror, unless --loopback
    concurrency: int
    extract_workers: int | None  # newswatch [crawl] extract_workers; None: its default
    watches: int = 1  # > 1: also crawl with this many watches (newswatch-watches)


# The crawl's JSON summary: how many articles the words analysis after the crawl took, how long.
_WORDS = re.compile(r'"words": \{\s*"analysed": (\d+),\s*"seconds": ([0-9.]+)')


def run_round(
    round_: int, bench: Bench, results: dict[str, list[tuple[Usage, float]]]
) -> dict[str, int]:
    """The three measurements, one after the other; returns newswatch's page counts."""
    python, work, pages = sys.executable, bench.work, len(bench.mirror.names)
    usage = measure(
        [python, __file__, "--bare", str(bench.mirror.directory), str(work / "names.txt")]
    )
    report = json.loads(usage.output.strip().splitlines()[-1])
    results["bare"].append((usage, pages / report["seconds"]))

    out = work / f"cli-{round_}"
    usage = measure(
        [str(Path(python).with_name("trafilatura")), "-i", str(work / "urls.txt"),
         "--parallel", "2", "--config-file", str(bench.trafilatura_cfg), "-o", str(out)],
        bench.env,
    )  # fmt: skip
    written = sum(p.is_file() for p in out.rglob("*")) if out.exists() else 0
    results["cli"].append((usage, pages / usage.wall))
    print(f"round {round_ + 1}: trafilatura CLI wrote {written} files")

    archive = work / f"news-{round_}.db"
    config = newswatch_config(work / f"newswatch-{round_}.toml", archive, bench)
    usage = measure(
        [python, "-m", "newswatch", "--config", str(config), "crawl", "--format", "json"],
        bench.crawl_env,
    )
    split = run_counts(archive)
    words = _WORDS.search(usage.output)  # absent before the words came after the crawl
    results.setdefault("words seconds", []).append((usage, float(words[2]) if words else 0.0))
    results.setdefault("words articles", []).append((usage, float(words[1]) if words else 0.0))
    # Every page is fetched once; a rate over fewer would flatter newswatch.
    assert split["fetched"] == pages, f"newswatch fetched {split['fetched']} of {pages} pages"
    results["newswatch"].append((usage, pages / usage.wall))
    print(f"round {round_ + 1}: newswatch {split}")
    if bench.watches > 1:
        archive = work / f"news-watches-{round_}.db"
        config = newswatch_config(
            work / f"newswatch-watches-{round_}.toml", archive, bench, bench.watches
        )
        usage = measure(
            [python, "-m", "newswatch", "--config", str(config), "crawl"], bench.crawl_env
        )
        many = run_counts(archive)

        # The same pages kept: the other watches' terms occur nowhere. Which of two near-copies
        # is stored and which counted a duplicate follows the order pages arrive in, so only
        # their sum is compared.
        def kept(counts: dict[str, int]) -> dict[str, int]:
            return {k: v for k, v in counts.items() if k not in ("new", "duplicates")} | {
                "kept": counts["new"] + counts["duplicates"]
            }

        assert kept(many) == kept(split), f"with {bench.watches} watches: {many}, one: {split}"
        results["newswatch-watches"].append((usage, pages / usage.wall))
        print(f"round {round_ + 1}: newswatch with {bench.watches} watches {many}")
    return split


def profile_crawl(bench: Bench, output: Path) -> None:
    """One more crawl, of a fresh archive, under cProfile (main process only)."""
    archive = bench.work / "news-profile.db"
    config = newswatch_config(bench.work / "newswatch-profile.toml", archive, bench)
    profile = [sys.executable, "-m", "cProfile", "-o", str(output)]
    measure([*profile, "-m", "newswatch", "--config", str(config), "crawl"], bench.crawl_env)
    print(f"profile of one crawl written to {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1, help="repeat all three; medians")
    parser.add_argument(
        "--loopback",
        action="store_true",
        help="feeds list the mirror's own 127.0.0.1 addresses: no site profile applies",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=8,
        help="newswatch [crawl] concurrency (requests per host)",
    )
    parser.add_argument(
        "--extract-workers",
        type=int,
        help="newswatch [crawl] extract_workers (default: one per core)",
    )
    parser.add_argument(
        "--watches", type=int, default=1, help="also crawl with this many watches of 5 terms"
    )
    parser.add_argument("--profile", type=Path, help="also cProfile one newswatch crawl to FILE")
    parser.add_argument("--bare", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare_child(Path(args.bare[0]), Path(args.bare[1]))
        return

    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="newswatch-tput-") as tmp:
        work = Path(tmp)
        mirror = build_mirror(work / "mirror", args.pages)
        names_file = work / "names.txt"
        names_file.write_text("\n".join(mirror.names), encoding="utf-8")
        ready = work / "port"
        server = subprocess.Popen(
            [python, str(ROOT / "bench" / "mirror.py"), str(mirror.directory), str(ready)], cwd=ROOT
        )
        deadline = time.monotonic() + 30
        while not ready.exists() or not ready.read_text():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the mirror server did not start")
            time.sleep(0.05)
        base = f"http://127.0.0.1:{ready.read_text()}"
        feeds = write_feeds(mirror, base, loopback=args.loopback)
        (work / "urls.txt").write_text(
            "".join(f"{base}/{n}\n" for n in mirror.names), encoding="utf-8"
        )
        cfg = trafilatura_config(work / "trafilatura.cfg")
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        crawl_env = env if args.loopback else env | {"http_proxy": base}
        bench = Bench(
            work,
            mirror,
            base,
            feeds,
            cfg,
            env,
            crawl_env,
            args.concurrency,
            args.extract_workers,
            args.watches,
        )
        server_cpu_start = cpu_of(server.pid)
        results: dict[str, list[tuple[Usage, float]]] = {"bare": [], "cli": [], "newswatch": []}
        if args.watches > 1:
            results["newswatch-watches"] = []
        split: dict[str, int] = {}
        try:
            for round_ in range(args.rounds):
                split = run_round(round_, bench, results)
                if args.profile and round_ == 0:
                    profile_crawl(bench, args.profile)
        finally:
            server_cpu = cpu_of(server.pid) - server_cpu_start
            server.terminate()
            server.wait()
        print_table(results, len(mirror.names), split, server_cpu)


def print_table(
    results: dict[str, list[tuple[Usage, float]]],
    pages: int,
    split: dict[str, int],
    server_cpu: float,
) -> None:
    labels = {
        "bare": "bare trafilatura.extract, 1 process",
        "cli": "trafilatura CLI --parallel 2",
        "newswatch": "newswatch crawl",
        "newswatch-watches": "newswatch crawl, many watches",
    }
    words = results.pop("words seconds", [])
    analysed = statistics.median(n for _u, n in results.pop("words articles", [(None, 0.0)]))
    rates = {k: statistics.median(rate for _u, rate in v) for k, v in results.items()}
    print(f"\n{pages} pages, {os.cpu_count()} cores, {len(results['bare'])} round(s) (medians)")
    print(f"{'':38} {'pages/s':>8} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} {'PSS MB':>7}")
    for key, runs in results.items():
        wall = statistics.median(u.wall for u, _r in runs)
        cpu = statistics.median(u.cpu for u, _r in runs)
        rss = max(u.peak_rss for u, _r in runs)
        pss = max(u.peak_pss for u, _r in runs)
        print(f"{labels[key]:38} {rates[key]:8.1f} {wall:7.1f} {cpu:7.1f} {rss:7.0f} {pss:7.0f}")
    bare_ratio = rates["newswatch"] / rates["bare"]
    cli_ratio = rates["newswatch"] / rates["cli"]
    rss = max(u.peak_rss for u, _r in results["newswatch"])
    pss = max(u.peak_pss for u, _r in results["newswatch"])
    print(f"newswatch / bare extraction: {bare_ratio:.2f}x (target >= 1.5x)")
    print(f"newswatch / trafilatura CLI: {cli_ratio:.2f}x (target >= 2x)")
    print(f"newswatch peak memory: {pss:.0f} MB PSS, {rss:.0f} MB RSS summed (target < 500 MB)")
    main_cpu = statistics.median(u.root_cpu for u, _r in results["newswatch"])
    cpu = statistics.median(u.cpu for u, _r in results["newswatch"])
    print(
        f"newswatch CPU: {main_cpu:.1f} s in the crawl process (Scrapy, dedup, archive),"
        f" {cpu - main_cpu:.1f} s in its extraction workers"
    )
    if words:
        seconds = statistics.median(w for _u, w in words)
        wall = statistics.median(u.wall for u, _w in words)
        print(
            f"newswatch words analysis after the crawl: {seconds:.1f} s of its {wall:.1f} s"
            f" ({analysed:.0f} articles); the crawl before it:"
            f" {pages / (wall - seconds):.1f} pages/s"
        )
    if results.get("newswatch-watches"):
        slower = rates["newswatch"] / rates["newswatch-watches"] - 1
        print(
            f"newswatch with many watches / one watch: {1 + slower:.3f}x the wall time"
            f" ({slower:+.1%}; target within 5 %)"
        )
    print(f"newswatch pages: {split}")
    print(
        f"mirror server CPU over all runs (its own process, not counted above): {server_cpu:.1f} s"
    )
    print("(bare: extraction loop only; CLI and newswatch: whole process, start-up included)")


if __name__ == "__main__":
    main()
