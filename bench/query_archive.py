"""Build a synthetic archive (the real schema, fake Korean coverage) for the query benchmarks.

`build_archive(path, n, seed=0)` has the signature of the issue 5 generator (`bench/synthetic.py`)
so the two can be merged. Texts are ~1,500 characters drawn from a shared vocabulary of made-up
Korean words plus real watch and topic terms at known rates, ~40 outlets, two years of dates.
Rows go in through `archive.schema` in large transactions; the full-text index is filled at the end.

Run: python bench/query_archive.py PATH [N]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from sqlite_utils import Database  # noqa: E402

from archive import KST, Archive, schema, text_hash  # noqa: E402

END = datetime(2026, 6, 30, 23, 0, tzinfo=KST)
DAYS = 730
TEXT_CHARS = 1500
BATCH = 20_000

# Terms the benchmark queries, with the share of articles that carry each (in title or text).
PLANTED = {
    "엑사원": 0.5,
    "LG AI연구원": 0.6,
    "CVPR": 0.01,
    "뉴로모픽": 0.001,
    "곰탕": 0.001,  # a rare two-character term: its syllables never occur in the made-up words
}
TOPIC_WORDS = [
    "인공지능", "초거대", "모델", "공개", "발표", "연구", "학회", "논문", "생성형", "멀티모달",
    "파트너십", "투자", "반도체", "데이터", "플랫폼", "서비스", "기술", "개발", "출시", "협력",
    "AI", "LG", "LLM", "GPU", "오픈소스", "벤치마크", "성능", "경쟁력", "글로벌", "시장",
]  # fmt: skip
RESERVED = set("곰탕뉴로모픽엑사원")


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    syllables = [chr(c) for c in range(0xAC00, 0xD7A4, 7) if chr(c) not in RESERVED]
    return [
        "".join(rng.choice(syllables) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        for _ in range(size)
    ]


def _sentences(rng: random.Random, words: list[str], count: int = 8000) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf-like, as in real text
    pool = words + TOPIC_WORDS
    weights += [weights[20]] * len(TOPIC_WORDS)
    return [
        " ".join(rng.choices(pool, weights, k=rng.randint(8, 16)))
        + rng.choice(("다.", "했다.", "이다."))
        for _ in range(count)
    ]


def _text(rng: random.Random, sentences: list[str], planted: list[str]) -> str:
    parts: list[str] = []
    size = 0
    while size < TEXT_CHARS:
        sentence = rng.choice(sentences)
        parts.append(sentence)
        size += len(sentence) + 1
    for term in planted:
        at = rng.randrange(len(parts))
        parts[at] = f"{term}{rng.choice(('은', '을', '의', '이', ''))} {parts[at]}"
    lines = [" ".join(parts[i : i + 5]) for i in range(0, len(parts), 5)]
    return "\n".join(lines)


def build_archive(path: str | Path, n: int, seed: int = 0) -> Path:
    """Write `n` synthetic articles into a fresh archive at `path` (replaced if it exists)."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    words = _vocabulary(rng)
    sentences = _sentences(rng, words)
    outlets = [f"{w}일보" for w in rng.sample(words[:400], 40)]
    outlet_weights = [1 / (i + 1) ** 0.8 for i in range(len(outlets))]
    sources = [f"source{i:02d}" for i in range(20)]

    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    schema.apply(db)
    # A bulk load of a throwaway file: durability does not matter, speed does.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    started = time.perf_counter()
    story = 0
    story_left = 0
    for first in range(0, n, BATCH):
        rows = []
        urls = []
        for i in range(first, min(n, first + BATCH)):
            # Mostly in publishing order, as crawls find them; one in ten is a late backfill.
            slot = i / n * DAYS
            if rng.random() < 0.1:
                slot = rng.uniform(0, slot)
            published = END - timedelta(days=DAYS - slot, minutes=rng.randrange(1440))
            planted = [t for t, share in PLANTED.items() if rng.random() < share]
            title_terms = [t for t in planted if rng.random() < 0.3]
            title = " ".join(
                [*title_terms, *rng.sample(TOPIC_WORDS, 3), rng.choice(words), rng.choice(words)]
            )
            text = _text(rng, sentences, [t for t in planted if t not in title_terms])
            if story_left == 0 and rng.random() < 0.3:
                story += 1
                story_left = rng.randint(2, 12)
            story_id = None
            if story_left:
                story_id = story
                story_left -= 1
            url = f"https://news{i % 97}.example.kr/article/{i}"
            when = published.isoformat(timespec="seconds")
            seen = (published + timedelta(minutes=rng.randrange(5, 600))).isoformat(
                timespec="seconds"
            )
            source = rng.choice(sources)
            rows.append(
                (
                    i + 1,
                    url,
                    title,
                    text,
                    when,
                    rng.choices(outlets, outlet_weights)[0],
                    rng.choice(words) + " 기자",
                    story_id,
                    seen,
                    source,
                    "rss",
                    len(planted),
                    text_hash(text),
                )
            )
            urls.append((url, i + 1, seen, source))
        conn.execute("begin")
        conn.executemany(
            "insert into articles (id, url, title, text, published_at, outlet, author, story_id,"
            " first_seen_at, source, discovered_via, relevance, text_hash)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "insert into article_urls (url, article_id, first_seen_at, source) values (?, ?, ?, ?)",
            urls,
        )
        conn.execute("commit")
        done = first + len(rows)
        print(f"\r{done:,} articles, {time.perf_counter() - started:.0f} s", end="", flush=True)
    print()
    # No 'optimize' and no ANALYZE: a real archive gets neither, so the benchmark must not either.
    _finish(conn, path)
    return path


def _finish(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    with Archive(path) as archive:  # the full-text index, filled as a crawl's end fills it
        archive.index_search()


def main() -> None:
    path = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    started = time.perf_counter()
    build_archive(path, n)
    print(f"built {n:,} articles in {time.perf_counter() - started:.0f} s: {path}")


if __name__ == "__main__":
    main()
