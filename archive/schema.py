"""The archive's schema, as ordered migrations applied on open (sqlite-utils Migrations).

Table and column names of `articles` and `article_urls` are a public contract (DESIGN.md): people
query them directly. Add migrations; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from crawler.urls import article_key
from crawler.watch import fold

migrations = Migrations("newswatch")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "url": str,  # canonical URL
            "title": str,
            "text": str,
            "published_at": str,  # ISO 8601 with +09:00
            "modified_at": str,
            "outlet": str,
            "author": str,
            "story_id": int,
            "first_seen_at": str,
            "source": str,  # config source that found it first
            "discovered_via": str,  # channel type of that source (rss, sitemap, …)
            "relevance": int,  # watch-term mentions (title counts triple)
            "text_hash": str,  # sha256 of the normalised text, for exact-copy dedup
            "original_url": str,  # the outlet's URL when this copy is hosted by a portal
        },
        pk="id",
        not_null={"url", "title", "text", "first_seen_at"},
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["text_hash"])
    db.table("articles").create_index(["published_at"])
    db.table("articles").create_index(["story_id"])

    db.table("article_urls").create(
        {"url": str, "article_id": int, "first_seen_at": str, "source": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "first_seen_at"},
    )
    db.table("article_urls").create_index(["article_id"])

    # The page as fetched, gzipped, so extraction can be re-run over the archive later.
    db.table("pages").create(
        {
            "id": int,
            "article_id": int,
            "url": str,
            "fetched_at": str,
            "status": int,
            "content_type": str,
            "body_gz": bytes,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "url", "fetched_at", "body_gz"},
    )
    db.table("pages").create_index(["article_id"])

    # URLs judged not worth fetching again: irrelevant to the watch, or not an article at all.
    db.table("rejected_urls").create(
        {"url": str, "reason": str, "detail": str, "seen_at": str, "source": str},
        pk="url",
        not_null={"reason", "seen_at"},
    )

    db.table("crawl_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | failed
            "pid": int,
            "discovered": int,
            "fetched": int,
            "stored": int,
            "duplicates": int,
            "irrelevant": int,
            "not_article": int,
            "refused": int,
            "errors": int,
            "detail": str,
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    db.table("crawl_run_sources").create(
        {
            "run_id": int,
            "source": str,
            "discovered": int,
            "known": int,
            "fetched": int,
            "new": int,
            "duplicates": int,
            "irrelevant": int,
            "not_article": int,
            "refused": int,
            "failed": int,
        },
        pk=("run_id", "source"),
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )

    # Full-text search over title and text. The trigram tokenizer finds 엑사원 inside 엑사원을; the
    # default unicode61 tokenizer finds nothing inside Korean words (DESIGN.md, "Search").
    db.table("articles").enable_fts(["title", "text"], tokenize="trigram", create_triggers=True)


@migrations()
def m002_stories_and_versions(db: Database) -> None:
    # Stories: articles about one event (a press release rewritten, outlets' own reports).
    db.table("stories").create(
        {
            "id": int,
            "title": str,  # the first article's title
            "first_seen_at": str,
            "last_seen_at": str,  # when the latest article joined
            "article_count": int,  # rows in `articles` with this story_id
        },
        pk="id",
        not_null={"title", "first_seen_at", "last_seen_at", "article_count"},
    )
    db.table("stories").create_index(["last_seen_at"])

    # Who published a copy under which URL: near-duplicates are recorded here, not stored again.
    db.table("article_urls").add_column("outlet", str)
    db.table("article_urls").add_column(
        "matched_by", str
    )  # article | url | text_hash | near_duplicate
    db.table("article_urls").add_column("similarity", float)  # Jaccard of the near-duplicate

    # Earlier texts of an article seen again at the same URL with changed text (corrections).
    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "title": str,
            "text": str,
            "modified_at": str,  # as the page stated it for this (older) text
            "replaced_at": str,  # when newswatch saw the newer text
            "text_hash": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "title", "text", "replaced_at"},
    )
    db.table("article_versions").create_index(["article_id"])

    # MinHash signature (64 × uint32) per article, and its LSH band keys. `day` (proleptic ordinal
    # of the KST publication date) lets story look-ups stay inside the story window. WITHOUT ROWID:
    # the primary key is the only index, so a look-up by band key is one B-tree descent.
    db.execute(
        "create table article_sketches (article_id integer primary key"
        " references articles(id), day integer not null, signature blob not null)"
    )
    db.execute(
        "create table article_bands (band_key integer not null, day integer not null,"
        " article_id integer not null, primary key (band_key, day, article_id)) without rowid"
    )


@migrations()
def m003_alert_outbox(db: Database) -> None:
    # The alert outbox (DESIGN.md, "Alerts"): the crawl writes one row per message to send, in the
    # same transaction as the article; delivery sends due rows and marks them. One row per
    # channel, story and kind, so enqueueing twice is a no-op.
    db.table("alert_outbox").create(
        {
            "id": int,
            "channel": str,  # hash of the [[alerts]] url as written; never the expanded URL
            "channel_label": str,  # the URL with secrets masked, for people
            "story_key": str,  # article:<id> until stories land; source:<name>:<run> for notices
            "kind": str,  # story | grew:<outlets> | source-broken | source-recovered | crawl-…
            "article_id": int,
            "payload": str,  # JSON facts for notices (no article)
            "idempotency_key": str,
            "status": str,  # pending | sent | failed
            "attempts": int,
            "next_attempt_at": str,  # ISO 8601 KST; due when <= now (also the send lease)
            "last_error": str,  # secrets masked
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"channel", "story_key", "kind", "status", "attempts", "created_at"},
    )
    db.table("alert_outbox").create_index(["channel", "story_key", "kind"], unique=True)
    db.table("alert_outbox").create_index(["channel", "status", "next_attempt_at"])
    # Conditions currently alerted as broken (a source, or the crawl itself), so each break is
    # announced once and its recovery once.
    db.table("alert_conditions").create(
        {"subject": str, "broken_at_run": int, "since": str, "detail": str},
        pk="subject",
        not_null={"broken_at_run", "since"},
    )


@migrations()
def m005_scheduler(db: Database) -> None:
    # What only the scheduler knows about a crawl it started: how its process ended and how long it
    # took, which job started it and for which sources (archive/runs.py writes these).
    db.table("crawl_runs").add_column("exit_code", int)
    db.table("crawl_runs").add_column("duration_s", float)
    db.table("crawl_runs").add_column("trigger", str)  # the scheduler's job id; null if by hand
    db.table("crawl_runs").add_column("source_filter", str)  # "a,b" when only some sources ran
    db.table("crawl_runs").create_index(["status"])


@migrations()
def m006_query(db: Database) -> None:
    # Stats group by outlet and day; --outlet filters walk dates: one covering index serves both.
    db.table("articles").create_index(["outlet", "published_at"], if_not_exists=True)
    # A two-character term (LG, AI) has no trigram of its own: it is found through the trigrams that
    # start with it, or at the very end of a title or text, which these expression indexes find.
    db.execute(
        "create index if not exists idx_articles_title_end on articles(lower(substr(title, -2)))"
    )
    db.execute(
        "create index if not exists idx_articles_text_end on articles(lower(substr(text, -2)))"
    )


def apply(db: Database) -> None:
    migrations.apply(db)


@migrations()
def m004_discovery(db: Database) -> None:
    """Identity keys across channels, per-source state, Google leads that could not be resolved."""
    # One row per identity key (crawler.urls.article_key): for an archived article, or for a
    # rejected page. What makes a URL "already seen" before it is fetched.
    db.table("url_keys").create(
        {"key": str, "article_id": int, "reason": str, "seen_at": str},
        pk="key",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("url_keys").create_index(["article_id"])
    seen = [
        (article_key(url), article_id, None, at)
        for url, article_id, at in db.execute(
            "select url, article_id, first_seen_at from article_urls"
        )
    ] + [
        (article_key(url), None, reason, at)
        for url, reason, at in db.execute("select url, reason, seen_at from rejected_urls")
    ]
    db.conn.executemany(
        "insert or ignore into url_keys (key, article_id, reason, seen_at) values (?, ?, ?, ?)",
        seen,
    )

    # Conditional-request validators and watermarks, per source (ETag, Last-Modified, newest seen).
    db.table("source_state").create(
        {"source": str, "etag": str, "last_modified": str, "watermark": str, "updated_at": str},
        pk="source",
    )

    # Google News items whose outlet URL could not be resolved: kept as leads and matched later, by
    # title, against articles found through other channels. Never archived as articles themselves.
    db.table("leads").create(
        {
            "url": str,
            "source": str,
            "title": str,
            "outlet": str,
            "published_at": str,
            "seen_at": str,
            "article_id": int,
            "matched_at": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"source", "seen_at"},
    )
    db.table("leads").create_index(["title"])
    db.table("articles").create_index(["title"])

    runs = db.table("crawl_run_sources")
    for column in ("feed_failed", "not_modified", "unresolved", "skipped"):
        runs.add_column(column, int)


@migrations()
def m007_search_index_in_batches(db: Database) -> None:
    """The full-text index is filled after a crawl, not in each article's transaction.

    Indexing a text with the trigram tokenizer cost more than everything else about storing it, and
    its segment merges made one write in fifty slow. The crawl now indexes its new articles in one
    pass when it ends (`Archive.index_search`), and search reads rows not indexed yet (ids above
    `search_index.indexed_through`) directly, so it finds every article either way.
    """
    db.execute("drop trigger if exists articles_ai")
    db.execute("drop trigger if exists articles_au")
    db.execute("drop trigger if exists articles_ad")
    db.execute(
        "create table search_index (id integer primary key check (id = 1),"
        " indexed_through integer not null)"
    )
    # Every article so far was indexed by the insert trigger this migration removes.
    db.execute(
        "insert into search_index (id, indexed_through)"
        " select 1, coalesce(max(id), 0) from articles"
    )
    # A changed or deleted row that is indexed must leave the index; one that is not yet indexed
    # will be indexed as it is then (an external-content FTS5 table must be told the old values).
    indexed = "old.id <= (select indexed_through from search_index)"
    db.execute(
        f"create trigger articles_au after update of title, text on articles when {indexed} begin"  # noqa: S608 - a fixed clause
        " insert into articles_fts (articles_fts, rowid, title, text)"
        " values ('delete', old.id, old.title, old.text);"
        " insert into articles_fts (rowid, title, text) values (new.id, new.title, new.text);"
        " end"
    )
    db.execute(
        f"create trigger articles_ad after delete on articles when {indexed} begin"  # noqa: S608 - a fixed clause
        " insert into articles_fts (articles_fts, rowid, title, text)"
        " values ('delete', old.id, old.title, old.text);"
        " end"
    )


@migrations()
def m008_feed_item_counts(db: Database) -> None:
    # Feed items a crawl passed over, per source: without a usable link, or past max_items.
    runs = db.table("crawl_run_sources")
    for column in ("ignored_items", "beyond_max_items"):
        runs.add_column(column, int)


@migrations()
def m009_watches(db: Database) -> None:
    """Several watches: which watch each article matches, and a search index of folded text.

    `article_watches` has one row per article and watch it matches, with where the match was
    (title, lead or body); an article kept under the old single [watch] is tagged with that one
    watch (named UNNAMED_WATCH until a config names it: archive/watches.py, adopt_unnamed).
    `articles.unmatched_at` marks an article that matches no watch any more (rematch keeps it).

    The full-text index now holds each title and text as crawler.watch.fold makes them (case,
    width, spacing, hyphens and dots folded away, and a space after, so a two-character term at
    the very end is a trigram too): search folds the query the same way, so "LG AI연구원" finds
    "LG AI 연구원" and "LGAI연구원". The index is contentless (it stores no text of its own);
    the rows changed or deleted after indexing wait in `search_stale` for the next indexing pass,
    which needs no SQL function in a trigger.
    """
    db.execute(
        "create table article_watches (article_id integer not null references articles(id),"
        " watch text not null, matched_in text not null, matched_at text not null,"
        " primary key (article_id, watch)) without rowid"
    )
    db.execute("create index article_watches_watch on article_watches(watch, article_id)")
    db.execute(
        "insert into article_watches (article_id, watch, matched_in, matched_at)"
        " select id, ?, 'unknown', first_seen_at from articles",
        [UNNAMED_WATCH],
    )
    db.table("articles").add_column("unmatched_at", str)

    db.execute("drop trigger if exists articles_au")
    db.execute("drop trigger if exists articles_ad")
    db.execute("drop table if exists articles_fts")
    db.execute(
        "create virtual table articles_fts using fts5(title, text, content='', tokenize='trigram')"
    )
    db.execute("update search_index set indexed_through = 0")
    db.execute(
        "create table search_stale (article_id integer not null, title text not null,"
        " text text not null)"
    )
    indexed = "old.id <= (select indexed_through from search_index)"
    for event in ("update of title, text", "delete"):
        name = "articles_au" if event.startswith("update") else "articles_ad"
        db.execute(
            f"create trigger {name} after {event} on articles when {indexed} begin"  # noqa: S608 - fixed clauses
            " insert into search_stale (article_id, title, text)"
            " values (old.id, old.title, old.text); end"
        )
    index_folded(db, batch=20_000)


UNNAMED_WATCH = ""  # the one watch of an archive made before m009_watches, until a config names it


def folded_for_index(text: str | None) -> str:
    """A title or text as the search index holds it (see m009_watches)."""
    return fold(text or "") + " "


def index_folded(db: Database, *, batch: int = 2000) -> int:
    """Index the articles stored since the last pass and re-index stale ones; returns how many.

    Each `batch` is one transaction: FTS5 holds a transaction's terms in memory, and other writers
    wait for it. Runs inside the caller's transaction when there is one (a migration).
    """
    conn = db.conn
    indexed = 0
    stale = conn.execute("select rowid, article_id, title, text from search_stale").fetchall()
    if stale:
        # The oldest stale row of an article holds what the index has; later ones are skipped.
        first: dict[int, tuple[str, str]] = {}
        for _, article_id, title, text in stale:
            first.setdefault(article_id, (title, text))
        for article_id, (title, text) in first.items():
            conn.execute(
                "insert into articles_fts (articles_fts, rowid, title, text)"
                " values ('delete', ?, ?, ?)",
                [article_id, folded_for_index(title), folded_for_index(text)],
            )
            row = conn.execute(
                "select title, text from articles where id = ?", [article_id]
            ).fetchone()
            if row is not None:
                conn.execute(
                    "insert into articles_fts (rowid, title, text) values (?, ?, ?)",
                    [article_id, folded_for_index(row[0]), folded_for_index(row[1])],
                )
        conn.execute("delete from search_stale where rowid <= ?", [stale[-1][0]])
    while True:
        (through,) = conn.execute("select indexed_through from search_index").fetchone()
        rows = conn.execute(
            "select id, title, text from articles where id > ? order by id limit ?",
            [through, batch],
        ).fetchall()
        if not rows:
            return indexed
        nested = conn.in_transaction
        if not nested:
            conn.execute("begin")
        try:
            conn.executemany(
                "insert into articles_fts (rowid, title, text) values (?, ?, ?)",
                [(i, folded_for_index(t), folded_for_index(x)) for i, t, x in rows],
            )
            conn.execute("update search_index set indexed_through = ?", [rows[-1][0]])
        except BaseException:
            if not nested:
                conn.execute("rollback")
            raise
        if not nested:
            conn.execute("commit")
        indexed += len(rows)


@migrations()
def m010_words(db: Database) -> None:
    """Content words per article (crawler/words.py), their archive-wide counts and weekly counts.

    `article_words` is the truth, one row per article and word; `words` (in how many articles a
    word occurs: story labels' document frequency) and `word_weeks` (in how many articles of a
    week: trends) are kept in step with it in the same transaction, so neither label nor trend
    ever scans the per-article rows. `analysed_articles` says which text of an article was
    analysed: an article whose text changed since (a new version) is analysed again.
    """
    db.execute(
        "create table article_words (article_id integer not null references articles(id),"
        " word text not null, count integer not null, in_title integer not null default 0,"
        " primary key (article_id, word))"
        " without rowid"
    )
    db.execute("create index idx_article_words_word on article_words(word, article_id)")
    db.execute(
        "create table words (word text primary key, articles integer not null,"
        " occurrences integer not null) without rowid"
    )
    db.execute(
        "create table word_weeks (week text not null, word text not null,"
        " articles integer not null, primary key (week, word)) without rowid"
    )
    db.execute("create index idx_word_weeks_word on word_weeks(word, week)")
    db.execute(
        "create table analysed_articles (article_id integer primary key references articles(id),"
        " week text not null, text_hash text, words integer not null, analysed_at text not null)"
    )
    db.execute("create index idx_analysed_articles_week on analysed_articles(week)")


@migrations()
def m011_source_outcomes(db: Database) -> None:
    """Each source's outcome in each crawl, with its reason: a dead feed is no longer a row of
    zeros. `status` is ok, failed (its own channel could not be read) or off (it cannot run as
    configured); `deferred` counts pages left for a later crawl (a host's Crawl-delay)."""
    runs = db.table("crawl_run_sources")
    runs.add_column("status", str)
    runs.add_column("reason", str)
    runs.add_column("deferred", int)
    # Rows of earlier crawls: what their counters already said, without a reason (not recorded).
    db.execute(
        "update crawl_run_sources set status = case when skipped then 'off'"
        " when feed_failed then 'failed' else 'ok' end"
    )


@migrations()
def m012_claims_ignored(db: Database) -> None:
    # Pages whose rel=canonical / og:url named another site's address, per source (issue 19).
    db.table("crawl_run_sources").add_column("claim_ignored", int)
