"""Which watches each archived article matches (table article_watches): tags, rematch, counts.

The crawl records every watch an article matches when it stores it (Archive.add_article);
`rematch` re-evaluates stored articles against the configured watches from their stored text,
without fetching anything, and marks (never deletes) the articles that match no watch any more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from archive.queries import filter_clauses, week_of
from archive.query_language import Filters
from archive.schema import UNNAMED_WATCH
from crawler.clock import now_kst
from crawler.watch import FoldedArticle, Watches, WatchRule

REMATCH_BATCH = 5000


def adopt_unnamed(db: Database, rule: WatchRule) -> int:
    """Name the one watch of an archive made before watches had names (m009_watches tagged its
    articles with UNNAMED_WATCH) after the config's first watch; returns the articles renamed.
    Where each matched is found again from its text (title, lead or body)."""
    if not db.execute(
        "select 1 from article_watches where watch = ? limit 1", [UNNAMED_WATCH]
    ).fetchone():
        return 0
    renamed = 0
    with db.atomic():
        rows = db.execute(
            "select a.id, a.title, a.text from article_watches w join articles a"
            " on a.id = w.article_id where w.watch = ?",
            [UNNAMED_WATCH],
        ).fetchall()
        for article_id, title, text in rows:
            match = rule.match(FoldedArticle.of(title, text))
            # It was kept for this watch: a term in the body at least, whatever it says today.
            where = match.where if match else "body"
            db.execute(
                "insert or ignore into article_watches (article_id, watch, matched_in, matched_at)"
                " select article_id, ?, ?, matched_at from article_watches"
                " where article_id = ? and watch = ?",
                [rule.name, where, article_id, UNNAMED_WATCH],
            )
            renamed += 1
        db.execute("delete from article_watches where watch = ?", [UNNAMED_WATCH])
    return renamed


@dataclass
class Rematch:
    """What a rematch changed: articles that gained and lost each watch, and the unmatched."""

    articles: int = 0
    gained: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    unmatched: int = 0  # articles that match no watch now (kept, marked unmatched_at)
    newly_unmatched: int = 0
    rematched: int = 0  # articles marked unmatched before that match a watch again

    def to_dict(self, names: Iterable[str]) -> dict[str, Any]:
        every = list(dict.fromkeys([*names, *self.gained, *self.lost]))
        return {
            "articles": self.articles,
            "watches": [
                {"watch": w, "gained": self.gained[w], "lost": self.lost[w]} for w in every
            ],
            "unmatched": self.unmatched,
            "newly_unmatched": self.newly_unmatched,
            "matched_again": self.rematched,
        }


def rematch(
    db: Database, watches: Watches, *, only: Sequence[str] = (), batch: int = REMATCH_BATCH
) -> Rematch:
    """Re-evaluate every stored article against `watches` (or only the named ones of them).

    Rows of watches that are no longer configured are lost too (a watch removed from the file),
    unless `only` limits the rematch. Each batch of articles is one transaction.
    """
    if watches.rules:
        adopt_unnamed(db, watches.rules[0])
    rules = watches.only(only).rules if only else watches.rules
    scope = {rule.name for rule in rules}
    result = Rematch()
    now = now_kst()
    last = 0
    while True:
        rows = db.execute(
            "select id, title, text, unmatched_at from articles where id > ? order by id limit ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return result
        last = rows[-1][0]
        with db.atomic():
            _rematch_batch(
                db,
                rows=rows,
                rules=rules,
                scope=scope,
                limited=bool(only),
                now=now,
                result=result,
            )


def _rematch_batch(
    db: Database,
    *,
    rows: list[Any],
    rules: Sequence[WatchRule],
    scope: set[str],
    limited: bool,
    now: str,
    result: Rematch,
) -> None:
    ids = [row[0] for row in rows]
    marks = ",".join("?" * len(ids))
    held: dict[int, dict[str, str]] = {}
    for article_id, watch, where in db.execute(
        f"select article_id, watch, matched_in from article_watches where article_id in ({marks})",  # noqa: S608 - ? marks only
        ids,
    ):
        held.setdefault(article_id, {})[watch] = where
    inserts: list[tuple[int, str, str, str]] = []
    deletes: list[tuple[int, str]] = []
    for article_id, title, text, unmatched_at in rows:
        result.articles += 1
        article = FoldedArticle.of(title or "", text or "")
        now_matches = {
            m.watch: m.where for m in (rule.match(article) for rule in rules) if m is not None
        }
        before = held.get(article_id, {})
        judged = {w: v for w, v in before.items() if w in scope or not limited}
        for name, where in now_matches.items():
            if name not in judged:
                result.gained[name] += 1
                inserts.append((article_id, name, where, now))
            elif judged[name] != where:
                inserts.append((article_id, name, where, now))
        for name in judged:
            if name not in now_matches:
                result.lost[name] += 1
                deletes.append((article_id, name))
        kept = (set(before) - set(judged)) | set(now_matches)
        if not kept:
            result.unmatched += 1
            if unmatched_at is None:
                result.newly_unmatched += 1
                db.execute("update articles set unmatched_at = ? where id = ?", [now, article_id])
        elif unmatched_at is not None:
            result.rematched += 1
            db.execute("update articles set unmatched_at = null where id = ?", [article_id])
    db.conn.executemany("delete from article_watches where article_id = ? and watch = ?", deletes)
    db.conn.executemany(
        "insert or replace into article_watches (article_id, watch, matched_in, matched_at)"
        " values (?, ?, ?, ?)",
        inserts,
    )


def by_watch(db: Database, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Articles per watch per week (KST Monday), oldest week first, then by watch name."""
    filters = filters or Filters()
    params: list[Any] = []
    clauses = filter_clauses(filters, params)
    if filters.watches:  # only the chosen watches' rows, not those of others an article matches
        clauses.append(f"w.watch in ({','.join('?' * len(filters.watches))})")
        params.extend(filters.watches)
    where = " and ".join(clauses) or "1"
    counts: Counter[tuple[str, str]] = Counter()
    for watch, day, count in db.execute(
        "select w.watch, substr(a.published_at, 1, 10) as day, count(*)"  # noqa: S608 - ? marks only
        " from article_watches w join articles a on a.id = w.article_id"
        f" where {where} and a.published_at is not null group by w.watch, day",
        params,
    ):
        counts[week_of(day), watch] += count
    return [
        {"watch": watch, "week": week, "articles": counts[week, watch]}
        for week, watch in sorted(counts)
    ]


def watch_names(db: Database) -> list[str]:
    """Every watch some article is tagged with, by name."""
    return [r[0] for r in db.execute("select distinct watch from article_watches order by watch")]


def top_outlets(
    db: Database, watch: str, limit: int = 5, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """A watch's outlets with the most articles."""
    params: list[Any] = [watch]
    where = " and ".join(["w.watch = ?", *filter_clauses(filters or Filters(), params)])
    return [
        {"outlet": outlet or "(unknown)", "articles": count}
        for outlet, count in db.execute(
            "select a.outlet, count(*) as n from article_watches w join articles a"  # noqa: S608 - ? marks only
            f" on a.id = w.article_id where {where} group by a.outlet"
            " order by n desc, a.outlet limit ?",
            [*params, limit],
        )
    ]


def top_stories(
    db: Database, watch: str, limit: int = 5, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """A watch's largest stories: id, first title, its articles, its outlets."""
    params: list[Any] = [watch]
    where = " and ".join(
        ["w.watch = ?", "a.story_id is not null", *filter_clauses(filters or Filters(), params)]
    )
    rows = db.execute(
        "select a.story_id, count(*) as n, count(distinct a.outlet),"  # noqa: S608 - ? marks only
        " (select b.title from articles b where b.story_id = a.story_id"
        " order by b.published_at, b.id limit 1)"
        " from article_watches w join articles a on a.id = w.article_id"
        f" where {where} group by a.story_id"
        " order by n desc, max(a.published_at) desc limit ?",
        [*params, limit],
    ).fetchall()
    return [{"id": s, "articles": n, "outlets": o, "title": t} for s, n, o, t in rows]
