"""A synthetic newswatch archive of any size, built fast through the real schema, for benchmarks.

`build_archive(path, n, seed=0)` creates (or extends) a real archive file to `n` articles: Korean-
looking text from one shared vocabulary (Zipf-distributed pseudo-words with particles and sentence
endings, ~1,500 characters an article), titles, `published_at` spread over two years (2024-2025,
KST), ~40 outlets, and stories of 1-8 articles rewritten from one base text (about half the
sentences kept, as press-release rewrites do). Every article has its `article_urls` row, its
similarity sketch and band keys, exactly as `Archive.add_article` would leave it, and the
full-text index is filled at the end as a crawl's end fills it; raw pages (`pages`) are not
generated.

For the query benchmarks (bench/bench_query.py) two options give the archive the shape searches
depend on: `planted=True` puts the terms of PLANTED (watch terms, a conference, a rare term, a
rare two-character term whose syllables the vocabulary never uses) into articles at known rates,
30% of them in the title; `crawl_order=True` makes ids follow publication time, as crawls store
them (one story in ten is a late backfill from earlier), so that a date window is a narrow id
range; the archive then ends at END. Without them an archive is what it always was (the dedup
and rematch benchmarks' figures were measured on that). This generator replaces the query
benchmark's own (the former bench/query_archive.py, issue 20), which wrote rows one
process at a time.

Run: python bench/synthetic.py PATH [N] [--no-fts] [--query]   (--query: planted, crawl order)

Generation runs in worker processes (text and MinHash are the cost); one writer inserts batches in
large transactions with a big page cache. The same (n, seed) always gives the same archive, and
extending 10k → 100k → 1M gives the same first rows as building 1M at once.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import KST, Archive, text_hash
from archive.stories import day_of
from crawler.similarity import Sketch

BATCH = 5000  # articles per generated batch and per write transaction (divides 10k, 100k, 1M)
OUTLETS = [
    "연합뉴스", "뉴스1", "뉴시스", "매일경제", "한국경제", "전자신문", "지디넷코리아", "이데일리",
    "이투데이", "AI타임스", "머니투데이", "디지털타임스", "아이뉴스24", "이코노미스트", "한국일보",
    "동아일보", "조선일보", "중앙일보", "경향신문", "한겨레", "서울경제", "파이낸셜뉴스",
    "헤럴드경제",
    "아시아경제", "조선비즈", "비즈니스워스", "블로터", "테크M", "디지털데일리", "더일렉",
    "ZDNet", "bnt뉴스", "국민일보", "세계일보", "문화일보", "서울신문", "KBS", "MBC", "SBS", "YTN",
]  # fmt: skip
_SYLLABLES = (
    "가각간감강개거건게격결경계고곡공과관광교구국군권규그근금기길나남내녀년노농뇌능다단담당대"
    "더도독동두드등디라락란람랑래량러레력련령로록론료루류르리린림마만말망매맥머메면명모목몰무문물"
    "미민바박반발방배백버번범법벤변별병보복본부북분불비빈사산상새생서석선설성세소속손수순술스승시"
    "식신실심아안압애야약양어언업에여역연열염영예오온와완왕외요용우운원위유육윤은음의이인일임자작"
    "잔장재저적전절점정제조존종주준중증지직진질차착찬참창채책처천철청체초촉총최추축출충취측치칙친"
    "카컴케코크클타탁탄태터테토통투트특티파판패퍼페편평폐포표품프플피필하학한할함합항해핵행향허혁"
    "현협형호혼화확환활황회획효후훈휴흥희"
)
_PARTICLES = [
    "",
    "",
    "",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "의",
    "로",
    "와",
    "과",
    "도",
    "에서",
]
_ENDINGS = [
    "했다.", "밝혔다.", "전했다.", "설명했다.", "말했다.", "예정이다.", "계획이다.",
    "것으로 알려졌다.",
    "강조했다.", "덧붙였다.", "나타났다.", "분석했다.",
]  # fmt: skip
_START = datetime(2024, 1, 1, tzinfo=KST)
_SPAN_MINUTES = 731 * 24 * 60  # two years
END = _START + timedelta(minutes=_SPAN_MINUTES + 2 * 24 * 60)  # no article is published later

# Terms the query benchmark searches for, with the share of articles that carry each.
PLANTED = {
    "엑사원": 0.5,
    "LG AI연구원": 0.6,
    "CVPR": 0.01,
    "뉴로모픽": 0.001,
    "곰탕": 0.001,  # a rare two-character term: 곰 and 탕 are not in _SYLLABLES
}
_PLANT_PARTICLES = ("은", "을", "의", "이", "")


@dataclass(frozen=True, slots=True)
class Shape:
    """What the query benchmarks need beyond the default archive (see the module docstring)."""

    planted: bool = False
    crawl_order_of: int | None = None  # the archive's final size, when ids follow time


def _story_minute(rng: np.random.Generator, index: int, shape: Shape) -> int:
    if shape.crawl_order_of is None:
        return int(rng.integers(0, _SPAN_MINUTES))
    minute = index / shape.crawl_order_of * _SPAN_MINUTES
    if rng.random() < 0.1:  # a late backfill: a crawl found an older story
        minute = rng.uniform(0, minute)
    return int(minute)


def _plant(rng: np.random.Generator, title: str, sentences: list[str]) -> tuple[str, list[str]]:
    """Put each PLANTED term in (with its share) at the head of a sentence or of the title."""
    sentences = list(sentences)
    for term, share in PLANTED.items():
        if rng.random() >= share:
            continue
        particle = _PLANT_PARTICLES[int(rng.integers(0, len(_PLANT_PARTICLES)))]
        if rng.random() < 0.3:
            title = f"{term} {title}"
        else:
            at = int(rng.integers(0, len(sentences)))
            sentences[at] = f"{term}{particle} {sentences[at]}"
    return title, sentences


def vocabulary(seed: int = 0, size: int = 30000) -> list[str]:
    """Pseudo-words of 1-4 syllables, most common first (drawn with a Zipf law)."""
    rng = np.random.default_rng([seed, 7])
    syllables = list(_SYLLABLES)
    lengths = rng.choice([1, 2, 2, 2, 3, 3, 4], size=size)
    words = {"".join(rng.choice(syllables, size=int(k))) for k in lengths}
    return sorted(words, key=lambda w: hashlib.blake2b(w.encode(), digest_size=4).digest())


_WORDS: np.ndarray | None = None  # every word+particle form, index word * particles + particle
_CUMULATIVE: np.ndarray | None = None


def _vocab() -> tuple[np.ndarray, np.ndarray]:
    global _WORDS, _CUMULATIVE  # noqa: PLW0603 - a per-worker-process cache
    if _WORDS is None:
        words = vocabulary()
        _WORDS = np.array([w + p for w in words for p in _PARTICLES], dtype=object)
        ranks = np.arange(1, len(words) + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.05
        _CUMULATIVE = np.cumsum(weights / weights.sum())
    assert _CUMULATIVE is not None
    return _WORDS, _CUMULATIVE


def make_sentences(rng: np.random.Generator, count: int) -> list[str]:
    forms, cumulative = _vocab()
    lengths = rng.integers(7, 15, size=count)
    total = int(lengths.sum())
    picks = np.searchsorted(cumulative, rng.random(total)) * len(_PARTICLES)
    picks += rng.integers(0, len(_PARTICLES), size=total)
    words = forms[picks].tolist()
    endings = rng.integers(0, len(_ENDINGS), size=count).tolist()
    out, at = [], 0
    for length, ending in zip(lengths.tolist(), endings, strict=True):
        out.append(" ".join(words[at : at + length]) + " " + _ENDINGS[ending])
        at += length
    return out


def text_of(sentences: list[str]) -> str:
    """Sentences in paragraphs of three, the way Korean articles run."""
    return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


Row = tuple[object, ...]


def generate_batch(
    start: int, count: int, seed: int, shape: Shape = Shape()
) -> dict[str, list[Row]]:
    """Articles start .. start+count-1: rows of stories (local ids), articles, urls and index."""
    rng = np.random.default_rng([seed, start])
    planting = np.random.default_rng([seed, start, 1])  # its own stream: the texts stay the same
    stories: list[Row] = []
    articles: list[Row] = []
    urls: list[Row] = []
    sketches: list[Row] = []
    bands: list[Row] = []
    index = start
    while index < start + count:
        size = min(int(rng.geometric(0.45)), 8, start + count - index)
        base = make_sentences(rng, int(rng.integers(24, 34)))
        title_words = make_sentences(rng, 1)[0].split()[:8]
        story_minute = _story_minute(rng, index, shape)
        local_story = len(stories)
        first_seen = None
        for member in range(size):
            if member == 0:
                sentences = base
            else:  # a rewrite: about half the sentences kept, the rest the outlet's own
                keep = rng.random(len(base)) < 0.5
                fresh = iter(make_sentences(rng, int((~keep).sum())))
                sentences = [s if k else next(fresh) for s, k in zip(base, keep, strict=True)]
            title = " ".join(title_words if member == 0 else rng.permutation(title_words))
            if shape.planted:
                title, sentences = _plant(planting, title, sentences)
            text = text_of(sentences)
            when = _START + timedelta(minutes=story_minute + int(rng.integers(0, 2 * 24 * 60)))
            published = when.isoformat(timespec="seconds")
            seen = (when + timedelta(minutes=int(rng.integers(1, 90)))).isoformat(
                timespec="seconds"
            )
            first_seen = first_seen or seen
            outlet_no = int(rng.integers(0, len(OUTLETS)))
            url = f"https://news{outlet_no:02d}.example.kr/article/{seed}-{index}"
            article_id = index + 1
            sketch = Sketch.of(text)
            day = day_of(published)
            articles.append(
                (
                    article_id, url, title, text, published, OUTLETS[outlet_no], seen,
                    "synthetic", "rss", 1, text_hash(text), local_story,
                )
            )  # fmt: skip
            urls.append((url, article_id, seen, "synthetic", OUTLETS[outlet_no], "article"))
            sketches.append((article_id, day, sketch.signature.tobytes()))
            bands.extend((key, day, article_id) for key in (*sketch.near_keys, *sketch.story_keys))
            index += 1
        stories.append((title, first_seen, first_seen, size))
    return {
        "stories": stories,
        "articles": articles,
        "urls": urls,
        "sketches": sketches,
        "bands": bands,
    }


def _batches(start: int, n: int) -> Iterator[tuple[int, int]]:
    for first in range(start, n, BATCH):
        yield first, min(BATCH, n - first)


def build_archive(
    path: str | Path,
    n: int,
    seed: int = 0,
    *,
    workers: int = 2,
    fts: bool = True,
    progress: Callable[[int], None] | None = None,
    planted: bool = False,
    crawl_order: bool = False,
) -> int:
    """Create or extend the archive at `path` to `n` synthetic articles; returns the count before.

    Extending only makes sense with the same seed and an archive this function built. With
    `fts=False` the generated rows are left out of the full-text index, as a crawl leaves them
    until it ends (indexing 1M texts with the trigram tokenizer costs more than everything else
    together); `fts=True` indexes them in one pass at the end, as a crawl's end does.
    `planted` and `crawl_order`: see the module docstring (with `crawl_order`, extend only to the
    same `n`: dates are spread over the final size).
    """
    shape = Shape(planted=planted, crawl_order_of=n if crawl_order else None)
    Archive(path).close()  # the real schema, migrations applied
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("pragma synchronous = off")  # a benchmark file: speed over durability
        conn.execute("pragma cache_size = -400000")  # 400 MB: the band index is written at random
        before = conn.execute("select count(*) from articles").fetchone()[0]
        if before >= n:
            return int(before)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending = [
                pool.submit(generate_batch, first, count, seed, shape)
                for first, count in _batches(before, n)
            ]
            for future in pending:
                _write(conn, future.result())
                if progress is not None:
                    progress(conn.execute("select max(id) from articles").fetchone()[0])
        conn.execute("pragma wal_checkpoint(truncate)")
    finally:
        conn.close()
    if fts:
        with Archive(path) as archive:  # as a crawl's end does (m007)
            archive.index_search()
    return int(before)


def _write(conn: sqlite3.Connection, batch: dict[str, list[Row]]) -> None:
    conn.execute("begin")
    story_ids = []
    for story in batch["stories"]:
        cursor = conn.execute(
            "insert into stories (title, first_seen_at, last_seen_at, article_count)"
            " values (?, ?, ?, ?)",
            story,
        )
        story_ids.append(cursor.lastrowid)
    conn.executemany(
        "insert into articles (id, url, title, text, published_at, outlet, first_seen_at, source,"
        " discovered_via, relevance, text_hash, story_id)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row[:-1], story_ids[int(row[-1])]) for row in batch["articles"]],  # type: ignore[call-overload]
    )
    conn.executemany(
        "insert into article_urls (url, article_id, first_seen_at, source, outlet, matched_by)"
        " values (?, ?, ?, ?, ?, ?)",
        batch["urls"],
    )
    conn.executemany(
        "insert into article_sketches (article_id, day, signature) values (?, ?, ?)",
        batch["sketches"],
    )
    conn.executemany(
        "insert or ignore into article_bands (band_key, day, article_id) values (?, ?, ?)",
        batch["bands"],
    )
    conn.execute("commit")


if __name__ == "__main__":
    target = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 10000
    started = time.perf_counter()
    build_archive(
        sys.argv[1],
        target,
        fts="--no-fts" not in sys.argv,
        planted="--query" in sys.argv,  # the query benchmark's archive
        crawl_order="--query" in sys.argv,
        progress=lambda done: print(f"\r{done:,}", end="", flush=True),
    )
    print(f"\n{target:,} articles in {time.perf_counter() - started:.0f} s")
