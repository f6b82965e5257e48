"""Fuzzing extract() with mutated gold pages: no exception escapes, every call ends in bounded time.

Mutations: byte flips, truncations, tag deletions and duplications, charset headers that lie,
hostile strings inserted anywhere. Deterministic: seed 2026 and 200 mutations by default. A longer
run: NEWSWATCH_FUZZ_MUTATIONS=20000 NEWSWATCH_FUZZ_SEED=7 pytest tests/test_fuzz_extraction.py
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from crawler.article import Article
from crawler.extraction import extract

MUTATIONS = int(os.environ.get("NEWSWATCH_FUZZ_MUTATIONS", "200"))
SEED = int(os.environ.get("NEWSWATCH_FUZZ_SEED", "2026"))
BOUND = 5.0  # seconds per call: a bound against pathology, not a benchmark

HOSTILE = [
    b"<script>alert(1)</script>",
    b"\x00\x00\x00",
    b"\x1b[31m",
    "\u202e".encode(),
    b"\xff\xfe\xfd",
    b"\xed\xa0\x80",  # a UTF-8-encoded surrogate
    b"<![CDATA[",
    b"<!--",
    b"<?xml version='1.0' encoding='utf-16'?>",
    b'<meta charset="utf-7">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=x-unknown">',
    b"&#0;&#xD800;&#1114112;&#99999999999;",
    b"<div>" * 400,
    b"</html></body>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","headline":' + b"[" * 300,
    ("엑사원" + "가" * 20_000).encode(),
    b"<title>Just a moment...</title>",
]
CHARSETS = ["utf-8", "euc-kr", "cp949", "latin-1", "utf-16", "shift_jis", "x-bogus", ""]
_TAG = re.compile(rb"<[a-zA-Z/][^<>]{0,200}>")


def _flip(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 50)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _truncate(rng: random.Random, body: bytes) -> bytes:
    return body[: rng.randrange(len(body))]


def _delete_tags(rng: random.Random, body: bytes) -> bytes:
    tags = list(_TAG.finditer(body))
    drop = {m.start() for m in rng.sample(tags, min(len(tags), rng.randint(1, 200)))}
    return _TAG.sub(lambda m: b"" if m.start() in drop else m.group(0), body)


def _duplicate_tags(rng: random.Random, body: bytes) -> bytes:
    tags = list(_TAG.finditer(body))
    twice = {m.start() for m in rng.sample(tags, min(len(tags), rng.randint(1, 200)))}
    return _TAG.sub(lambda m: m.group(0) * 2 if m.start() in twice else m.group(0), body)


def _insert_hostile(rng: random.Random, body: bytes) -> bytes:
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(body) + 1)
        body = body[:at] + rng.choice(HOSTILE) + body[at:]
    return body


MUTATORS: list[Callable[[random.Random, bytes], bytes]] = [
    _flip,
    _truncate,
    _delete_tags,
    _duplicate_tags,
    _insert_hostile,
]


def _gold_pages(goldset_dir: Path) -> list[tuple[str, bytes]]:
    pages = []
    for path in sorted(goldset_dir.glob("*.html.gz")):
        meta = json.loads(path.with_name(path.name.removesuffix(".html.gz") + ".json").read_text())
        pages.append((meta["url"], gzip.decompress(path.read_bytes())))
    return pages


def test_mutated_gold_pages_never_raise_and_finish_in_bounded_time(goldset_dir: Path) -> None:
    pages = _gold_pages(goldset_dir)
    assert len(pages) >= 5
    rng = random.Random(SEED)
    slowest = (0.0, "")
    articles = 0
    for n in range(MUTATIONS):
        url, body = rng.choice(pages)
        for mutate in rng.sample(MUTATORS, rng.randint(1, 3)):
            body = mutate(rng, body)
        charset = rng.choice(CHARSETS)  # the header may lie about the bytes
        headers = {"content-type": f"text/html; charset={charset}" if charset else "text/html"}
        started = time.monotonic()
        try:
            article = extract(body, url, headers)
        except Exception as exc:  # report the reproducible case, not just the exception
            raise AssertionError(f"mutation {n} (seed {SEED}) of {url} raised {exc!r}") from exc
        took = time.monotonic() - started
        slowest = max(slowest, (took, f"mutation {n} of {url}"))
        assert took < BOUND, f"mutation {n} (seed {SEED}) of {url} took {took:.1f} s"
        if article is not None:
            articles += 1
            assert isinstance(article, Article)
            assert article.title.strip()
            assert len(article.text) >= 120
            assert "\x00" not in article.text + article.title
    # Most mutations leave an article to find: the fuzzing reached the whole pipeline.
    assert articles > MUTATIONS // 4, articles
    print(f"{MUTATIONS} mutations, {articles} articles, slowest {slowest[0]:.2f} s ({slowest[1]})")
