"""Time extract() against bare trafilatura.extract on the same bytes: gold set plus test pages."""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from crawler.extraction import extract  # noqa: E402

DIRS = (ROOT.parent / "shared" / "goldset", ROOT / "tests" / "pages")
ROUNDS = 5


def load_pages() -> list[tuple[bytes, str]]:
    pages = []
    for directory in DIRS:
        for path in sorted(directory.glob("*.html.gz")):
            record = json.loads(path.with_name(path.name[:-8] + ".json").read_text("utf-8"))
            pages.append((gzip.decompress(path.read_bytes()), record["url"]))
    return pages


def rate(pages: list[tuple[bytes, str]], function: object) -> float:
    """Pages per second over ROUNDS passes, after one warm-up pass."""
    for body, url in pages:
        function(body, url)  # type: ignore[operator]
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for body, url in pages:
            function(body, url)  # type: ignore[operator]
    return ROUNDS * len(pages) / (time.perf_counter() - start)


def bare(body: bytes, url: str) -> str | None:
    return trafilatura.extract(body, url=url, deduplicate=False)


def main() -> None:
    pages = load_pages()
    ours = rate(pages, extract)
    theirs = rate(pages, bare)
    print(f"pages: {len(pages)} x {ROUNDS} rounds")
    print(f"newswatch extract:       {ours:8.1f} pages/s")
    print(f"bare trafilatura.extract: {theirs:8.1f} pages/s")
    print(f"cost ratio (ours/bare per page): {theirs / ours:.2f}x")


if __name__ == "__main__":
    main()
