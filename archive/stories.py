"""Near-duplicates, stories and versions in the archive: the similarity index and its look-ups.

Every archived article has a MinHash signature (`article_sketches`) and LSH band keys
(`article_bands`, indexed), so deciding what a new text is costs a few index look-ups and an exact
comparison with a handful of candidates, at any archive size. The archive, not process memory, is
the whole record: a new crawl process knows every article ever stored.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from archive.words import story_labels
from crawler.similarity import (
    NEAR_BANDS,
    NEAR_ROWS,
    STORY_BANDS,
    STORY_ROWS,
    Sketch,
    band_keys,
    estimated_jaccard,
    jaccard,
    shingles,
    signature_from_blob,
    text_hash,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from archive.store import Archive

# How many candidates are looked at: the best by band votes, then exactly compared the best few.
_NEAR_CANDIDATES = 20
_STORY_CANDIDATES = 30
_EXACT_CHECKS = 3
# Estimates from 64 MinHash values are within about ±0.1 of the true Jaccard; anything that close
# to a threshold is compared exactly before a decision.
_ESTIMATE_SLACK = 0.12


@dataclass(frozen=True, slots=True)
class Match:
    """What a new text is to the archive.

    kind: "near_duplicate" (article_id is the archived copy), "same_story" (story_id is the story to
    join, article_id the closest article in it) or "new_story". similarity is the exact Jaccard of
    character shingles with that article (0.0 for a new story).
    """

    kind: str
    article_id: int | None = None
    story_id: int | None = None
    similarity: float = 0.0


def day_of(iso: str) -> int:
    """The proleptic ordinal of an ISO 8601 timestamp's own (KST) calendar date."""
    return date.fromisoformat(iso[:10]).toordinal()


def find_match(
    archive: Archive,
    sketch: Sketch,
    day: int,
    *,
    near_duplicate: float,
    same_story: float,
    window_days: int,
) -> Match:
    """Decide whether a new text is a near-duplicate, joins a story, or starts a new one."""
    db = archive.db
    ids = set(_most_votes(db, sketch.near_keys, None, _NEAR_CANDIDATES))
    days = (day - window_days, day + window_days)
    ids |= set(_most_votes(db, sketch.story_keys, days, _STORY_CANDIDATES))
    if not ids:
        return Match("new_story")
    estimates: dict[int, tuple[float, int]] = {}
    for article_id, blob, cand_day in _select_in(
        db, "select article_id, signature, day from article_sketches where article_id in", ids
    ):
        estimates[article_id] = (
            estimated_jaccard(sketch.signature, signature_from_blob(blob)),
            cand_day,
        )
    ranked = sorted(estimates.items(), key=lambda kv: (-kv[1][0], kv[0]))
    near = [i for i, (est, _) in ranked if est >= near_duplicate - _ESTIMATE_SLACK][:_EXACT_CHECKS]
    story = [
        i
        for i, (est, cand_day) in ranked
        if est >= same_story - _ESTIMATE_SLACK and abs(cand_day - day) <= window_days
    ][:_EXACT_CHECKS]
    exact = _exact(db, sketch, set(near))
    best_near = max(near, key=lambda i: (exact[i][0], -i), default=None)
    if best_near is not None and exact[best_near][0] >= near_duplicate:
        score, story_id = exact[best_near]
        return Match("near_duplicate", best_near, story_id, score)
    # A candidate estimated well above the story threshold settles it with one exact comparison
    # (each costs about a quarter of a millisecond); otherwise the few best are compared.
    if story and estimates[story[0]][0] >= same_story + _ESTIMATE_SLACK:
        exact |= _exact(db, sketch, {story[0]} - exact.keys())
        if exact[story[0]][0] >= same_story:
            story = story[:1]
    exact |= _exact(db, sketch, set(story) - exact.keys())
    best_story = max(story, key=lambda i: (exact[i][0], -i), default=None)
    if best_story is not None and exact[best_story][0] >= same_story:
        score, story_id = exact[best_story]
        return Match("same_story", best_story, story_id, score)
    return Match("new_story")


def _most_votes(
    db: Database, keys: tuple[int, ...], days: tuple[int, int] | None, limit: int
) -> list[int]:
    """The `limit` articles sharing the most band keys with `keys` (most recent first on a tie).

    SQLite counts: a busy story's bands name a thousand rows, too many to count in Python.
    """
    marks = ",".join("?" * len(keys))
    within = "" if days is None else " and day between ? and ?"
    sql = (
        f"select article_id from article_bands where band_key in ({marks}){within}"  # noqa: S608 - only ? marks
        " group by article_id order by count(*) desc, article_id desc limit ?"
    )
    return [row[0] for row in db.execute(sql, [*keys, *(days or ()), limit])]


def _select_in(db: Database, sql: str, ids: set[int]) -> list[tuple[Any, ...]]:
    marks = ",".join("?" * len(ids))
    return list(db.execute(f"{sql} ({marks})", sorted(ids)))


def _exact(db: Database, sketch: Sketch, ids: set[int]) -> dict[int, tuple[float, int | None]]:
    if not ids:
        return {}
    rows = _select_in(db, "select id, text, text_hash, story_id from articles where id in", ids)
    return {
        article_id: (jaccard(sketch.shingles, _shingles_of(text, digest)), story_id)
        for article_id, text, digest, story_id in rows
    }


# The shingle sets of recently indexed or compared texts, by text hash (equal hashes, equal
# shingles): the articles of a busy story are candidates for every new article that joins it, and
# an article indexed by this process brings its set along (its sketch has it), so the crawl never
# recomputes it. At most _SHINGLE_CACHE sets of a few thousand 8-byte hashes each. With 512, dedup
# of the throughput mirror still computed many sets again (its stories' candidates reach back
# further); with 2,048, none (the sets' memory and counts: bench/RESULTS.md, Throughput).
_SHINGLE_CACHE = 2048
_shingle_sets: OrderedDict[str, npt.NDArray[np.uint64]] = OrderedDict()


def _shingles_of(text: str, digest: str | None) -> npt.NDArray[np.uint64]:
    if not digest:
        return shingles(text)
    cached = _shingle_sets.get(digest)
    if cached is not None:
        _shingle_sets.move_to_end(digest)
        return cached
    found = shingles(text)
    _remember_shingles(digest, found)
    return found


def _remember_shingles(digest: str, shingle_set: npt.NDArray[np.uint64]) -> None:
    _shingle_sets[digest] = shingle_set
    _shingle_sets.move_to_end(digest)
    if len(_shingle_sets) > _SHINGLE_CACHE:
        _shingle_sets.popitem(last=False)


# --- writes: called by Archive inside its transactions ----------------------------------------


def index_article(db: Database, article_id: int, sketch: Sketch, day: int) -> None:
    # Keyed by content, so right even if this transaction rolls back.
    _remember_shingles(sketch.text_hash, sketch.shingles)
    db.execute(
        "insert or replace into article_sketches (article_id, day, signature) values (?, ?, ?)",
        [article_id, day, sketch.signature.tobytes()],
    )
    db.conn.executemany(
        "insert or ignore into article_bands (band_key, day, article_id) values (?, ?, ?)",
        [(key, day, article_id) for key in (*sketch.near_keys, *sketch.story_keys)],
    )


def unindex_article(db: Database, article_id: int) -> None:
    """Remove an article's band keys (recomputed from its stored signature: no extra index)."""
    row = db.execute(
        "select day, signature from article_sketches where article_id = ?", [article_id]
    ).fetchone()
    if row is None:
        return
    day, sig = row[0], signature_from_blob(row[1])
    keys = band_keys(sig, NEAR_BANDS, NEAR_ROWS, kind=1) + band_keys(
        sig[: STORY_BANDS * STORY_ROWS], STORY_BANDS, STORY_ROWS, kind=2
    )
    db.conn.executemany(
        "delete from article_bands where band_key = ? and day = ? and article_id = ?",
        [(key, day, article_id) for key in keys],
    )
    db.execute("delete from article_sketches where article_id = ?", [article_id])


def start_story(db: Database, title: str, seen_at: str) -> int:
    cursor = db.execute(
        "insert into stories (title, first_seen_at, last_seen_at, article_count)"
        " values (?, ?, ?, 0)",
        [title, seen_at, seen_at],
    )
    return int(cursor.lastrowid or 0)


def outlet_count(db: Database, story_id: int) -> int:
    """Distinct outlets carrying a story, by the rule of `story_outlets`."""
    return len(story_outlets(db, [story_id])[story_id])


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return name.lower() == "localhost"
    return True


def story_outlets(db: Database, story_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each story's outlets, the one rule for `stories`, the report and alert follow-ups.

    A story's outlets are those of its articles and of every copy recorded against them (a reprint,
    a portal copy: `article_urls.outlet`, else its article's), in the order first seen. A name that
    is a network address (127.0.0.1, ::1, localhost) is where a page was fetched when it named no
    outlet and its host had no name: no outlet, so it is left out.
    """
    found: dict[int, dict[str, None]] = {story_id: {} for story_id in story_ids}
    for chunk in _chunks(sorted(found), 500):
        marks = ",".join("?" * len(chunk))
        for story_id, outlet in db.execute(
            "select a.story_id, coalesce(u.outlet, a.outlet) from articles a"  # noqa: S608 - only ? marks
            f" join article_urls u on u.article_id = a.id where a.story_id in ({marks})"
            " order by u.first_seen_at, u.rowid",
            chunk,
        ):
            if outlet and not _is_address(outlet):
                found[story_id].setdefault(outlet)
    return {story_id: list(outlets) for story_id, outlets in found.items()}


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count_into_story(db: Database, story_id: int, seen_at: str) -> None:
    db.execute(
        "update stories set article_count = article_count + 1,"
        " last_seen_at = max(last_seen_at, ?) where id = ?",
        [seen_at, story_id],
    )


# --- versions ---------------------------------------------------------------------------------


def text_hash_of(archive: Archive, article_id: int) -> str | None:
    row = archive.db.execute("select text_hash from articles where id = ?", [article_id]).fetchone()
    return str(row[0]) if row and row[0] else None


def record_version(
    archive: Archive,
    article_id: int,
    *,
    title: str,
    text: str,
    modified_at: str | None,
    seen_at: str,
) -> int:
    """Keep the archived text as a version and put the new one in its place; returns the version id.

    The row, its id, its story and its URLs stay; `modified_at` becomes the page's stated
    modification time, or when the change was seen. The similarity index follows the new text.
    """
    db = archive.db
    with db.atomic():
        old = db.execute(
            "select title, text, modified_at, text_hash, published_at, first_seen_at"
            " from articles where id = ?",
            [article_id],
        ).fetchone()
        if old is None:
            raise KeyError(article_id)
        cursor = db.execute(
            "insert into article_versions (article_id, title, text, modified_at, replaced_at,"
            " text_hash) values (?, ?, ?, ?, ?, ?)",
            [article_id, old[0], old[1], old[2], seen_at, old[3]],
        )
        db.execute(
            "update articles set title = ?, text = ?, text_hash = ?, modified_at = ? where id = ?",
            [title, text, text_hash(text), modified_at or seen_at, article_id],
        )
        unindex_article(db, article_id)
        index_article(db, article_id, Sketch.of(text), day_of(old[4] or old[5]))
    return int(cursor.lastrowid or 0)


def versions(archive: Archive, article_id: int) -> list[dict[str, Any]]:
    return list(
        archive.db.query(
            "select * from article_versions where article_id = ? order by id", [article_id]
        )
    )


# --- reads ------------------------------------------------------------------------------------


def list_stories(
    archive: Archive, *, since: str | None = None, watches: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Stories (newest activity first) with their outlets, article rows and copies seen.

    `since` (an ISO date or timestamp) keeps stories that gained an article at or after it;
    `watches`, stories with an article matching one of these watches.
    Outlets include those of near-duplicate copies, which have no row of their own.
    """
    clauses, params = (["s.last_seen_at >= ?"], [since]) if since else ([], [])
    if watches:
        marks = ",".join("?" * len(watches))
        clauses.append(
            "s.id in (select a.story_id from article_watches w join articles a"  # noqa: S608 - ? marks only
            f" on a.id = w.article_id where w.watch in ({marks}))"
        )
        params.extend(watches)
    where = ("where " + " and ".join(clauses)) if clauses else ""
    stories = [
        dict(
            zip(("id", "title", "first_seen_at", "last_seen_at", "article_count"), row, strict=True)
        )
        for row in archive.db.execute(
            "select s.id, s.title, s.first_seen_at, s.last_seen_at, s.article_count"  # noqa: S608 - fixed
            f" from stories s {where} order by s.last_seen_at desc, s.id desc",
            params,
        )
    ]
    outlets = story_outlets(archive.db, [story["id"] for story in stories])
    for story in stories:
        story["outlets"] = outlets[story["id"]]
        story["article_ids"] = [
            row[0]
            for row in archive.db.execute(
                "select id from articles where story_id = ? order by published_at, id",
                [story["id"]],
            )
        ]
        story["copies"] = archive.db.execute(
            "select count(*) from article_urls u join articles a on a.id = u.article_id"
            " where a.story_id = ? and u.matched_by = 'near_duplicate'",
            [story["id"]],
        ).fetchone()[0]
    labels = story_labels(archive.db, [s["id"] for s in stories])
    for story in stories:
        story["label"] = labels.get(story["id"], [])
    return stories
