"""Text similarity for dedup and stories: character shingles, MinHash signatures and LSH bands.

Korean has no reliable word boundaries (particles glue to words, outlets re-space freely), so
texts are compared as sets of overlapping character k-grams with whitespace and punctuation
removed. MinHash signatures estimate the Jaccard similarity of two such sets; LSH band keys let
the archive find the few articles worth comparing through an index instead of a scan. Everything
here is pure: values in, values out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SHINGLE = 4  # characters per shingle: about two Korean words once spaces are gone
PERMUTATIONS = 64  # MinHash values per signature
# Near-duplicate bands: 16 bands of 4 values. A pair with Jaccard 0.6 becomes a candidate with
# probability 0.89, 0.7 with 0.99; unrelated pairs (J 0.03) with 1e-5: searched archive-wide.
NEAR_BANDS, NEAR_ROWS = 16, 4
# Story bands: 32 bands of 2 values. J 0.3 → 0.95, J 0.2 → 0.73; they collide often at low J, so
# they are only looked up inside the story window (the `day` column of the band index).
STORY_BANDS, STORY_ROWS = 32, 2

_NOT_TEXT = re.compile(r"[\W_]+")
# Fixed odd multipliers and offsets, so a signature is the same in every process and every run.
_SEED = np.random.default_rng(20260715)
_MULT = (
    _SEED.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
).astype(np.uint64)
_ADD = _SEED.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_BASE = np.uint64(0x100000001B3)


def normalise(text: str) -> str:
    """NFKC, lower case, and nothing but letters and digits: re-spacing and punctuation vanish."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text).lower())


def shingles(text: str, k: int = SHINGLE) -> npt.NDArray[np.uint64]:
    """The sorted distinct 64-bit hashes of the text's character k-grams."""
    normal = normalise(text)
    if not normal:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(normal.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < k:
        codes = np.concatenate([codes, np.zeros(k - len(codes), dtype=np.uint64)])
    count = len(codes) - k + 1
    with np.errstate(over="ignore"):  # wrap-around multiplication is the hash
        h = np.zeros(count, dtype=np.uint64)
        for offset in range(k):
            h = h * _BASE + codes[offset : offset + count]
        # splitmix64 finaliser: spreads neighbouring code points over all 64 bits
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    h.sort()
    return h[np.concatenate(([True], h[1:] != h[:-1]))]  # distinct: cheaper than np.unique here


def signature(shingle_set: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """MinHash signature: for each of PERMUTATIONS hash functions, the least value over the set."""
    if len(shingle_set) == 0:
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        mixed = shingle_set[:, None] * _MULT[None, :] + _ADD[None, :]
    return (mixed.min(axis=0) >> np.uint64(32)).astype(np.uint32)


def band_keys(sig: npt.NDArray[np.uint32], bands: int, rows: int, kind: int) -> list[int]:
    """One signed 63-bit key per band (kind separates band families in one index)."""
    values = sig[: bands * rows].astype(np.uint64).reshape(bands, rows)
    with np.errstate(over="ignore"):
        key = np.full(bands, kind, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        key += np.arange(bands, dtype=np.uint64)
        for row in range(rows):
            key = (key ^ values[:, row]) * np.uint64(0xBF58476D1CE4E5B9)
            key ^= key >> np.uint64(29)
    return (key >> np.uint64(1)).astype(np.int64).tolist()


def jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Exact Jaccard similarity of two shingle sets (sorted, distinct)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    # Both are sorted: look each of the smaller set up in the larger (faster than intersect1d,
    # which sorts them together again: bench/RESULTS.md, Throughput).
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    common = int(np.count_nonzero(b[at] == a))
    return common / (len(a) + len(b) - common)


def estimated_jaccard(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True, slots=True)
class Sketch:
    """What dedup needs to know about one text: its exact-copy hash, shingle set, signature and
    band keys. Computed where the page is read (an extraction worker), once."""

    text_hash: str
    shingles: npt.NDArray[np.uint64]
    signature: npt.NDArray[np.uint32]
    near_keys: tuple[int, ...]
    story_keys: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Sketch:
        shingle_set = shingles(text)
        sig = signature(shingle_set)
        return cls(
            text_hash(text),
            shingle_set,
            sig,
            tuple(band_keys(sig, NEAR_BANDS, NEAR_ROWS, kind=1)),
            tuple(band_keys(sig[: STORY_BANDS * STORY_ROWS], STORY_BANDS, STORY_ROWS, kind=2)),
        )


def text_hash(text: str) -> str:
    """Hash of the text with Unicode form and whitespace normalised, so re-spaced copies collide."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def signature_from_blob(blob: bytes) -> npt.NDArray[np.uint32]:
    return np.frombuffer(blob, dtype=np.uint32)
