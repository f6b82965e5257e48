"""Time `newswatch rematch` (archive.watches.rematch) over a synthetic archive: the issue 21 bar is
a 100,000-article archive in under a minute.

Two watch sets, each rematched twice: the competitor example (docs/examples/competitors.toml, five
watches) and 50 watches of five terms (bench/bench_throughput.py's). The first pass records every
match (the archive starts with none); the second finds nothing to change, the usual case after a
term is edited. Figures are wall-clock seconds, warm OS cache, one after another in one run.

Run: python bench/bench_rematch.py [ARCHIVE] [N]   (builds ARCHIVE with N articles if missing)
"""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from archive import Archive  # noqa: E402
from archive.watches import rematch  # noqa: E402
from bench.bench_throughput import watch_tables  # noqa: E402
from bench.synthetic import build_archive  # noqa: E402
from crawler.watch import Watches  # noqa: E402
from newswatch.config import load_config  # noqa: E402

DEFAULT = Path("/tmp/newswatch-bench/rematch-100k.db")
BAR = 60.0


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_archive(path, n)
    example = load_config(ROOT / "docs" / "examples" / "competitors.toml")
    sets = {
        "5 watches (docs/examples/competitors.toml)": Watches.of(
            w.settings() for w in example.watches
        ),
        "50 watches of 5 terms": Watches.of(tomllib.loads("\n".join(watch_tables(50)))["watches"]),
    }
    with Archive(path) as archive:
        total = archive.db.execute("select count(*) from articles").fetchone()[0]
        print(f"{total:,} articles in {path}\n")
        print("| watches | pass | seconds | gained | lost | unmatched | under 60 s |")
        print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
        for label, watches in sets.items():
            archive.db.execute("delete from article_watches")
            archive.db.execute("update articles set unmatched_at = null")
            for run in ("first (records every match)", "again (nothing changes)"):
                start = time.perf_counter()
                result = rematch(archive.db, watches)
                seconds = time.perf_counter() - start
                ok = "yes" if seconds < BAR else "NO"
                print(
                    f"| {label} | {run} | {seconds:.1f} | {sum(result.gained.values()):,}"
                    f" | {sum(result.lost.values()):,} | {result.unmatched:,} | {ok} |"
                )


if __name__ == "__main__":
    main()
