"""Identity keys across channels, per-source state, Google leads that could not be resolved."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlite_utils import Database
from w3lib.url import canonicalize_url


def m004_discovery(db: Database) -> None:
    """Identity keys across channels, per-source state, Google leads that could not be resolved."""
    # One row per identity key (_article_key below, frozen from crawler.urls): for an archived
    # article, or for a rejected page. What makes a URL "already seen" before it is fetched.
    db.table("url_keys").create(
        {"key": str, "article_id": int, "reason": str, "seen_at": str},
        pk="key",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("url_keys").create_index(["article_id"])
    seen = [
        (_article_key(url), article_id, None, at)
        for url, article_id, at in db.execute(
            "select url, article_id, first_seen_at from article_urls"
        )
    ] + [
        (_article_key(url), None, reason, at)
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


# --- frozen: crawler.urls.article_key as of commit a4cb063 (2026-12-07) ---------------------------
# A migration must do tomorrow what it did when it shipped, so it never calls live code: this is a
# copy of the identity rules (canonical_url, article_key) it keys the existing URLs with. When the
# live rules change, a new migration re-keys url_keys; this copy stays as it is. (w3lib's
# canonicalize_url is a pinned dependency, not our code.)

_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"ref_src|cmpid|ncid|ocid|spm|from|fromurl|ref)$",
    re.IGNORECASE,
)
_HOST_PREFIXES = re.compile(r"^(?:www|m|mobile|amp)\.")
_NAVER_HOSTS = {"n.news.naver.com", "news.naver.com", "m.news.naver.com", "m.n.news.naver.com"}
_NAVER_PATH = re.compile(r"^/(?:mnews/)?article/(\d{3})/(\d{10})")
_PLATFORM_KEYS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("v.daum.net", re.compile(r"^/v/(\w{10,})"), "daum"),
    ("yna.co.kr", re.compile(r"^/(?:amp/)?view/(AKR\d{8,}\w*)"), "yna"),
    ("yna.kr", re.compile(r"^/(AKR\d{8,}\w*)"), "yna"),
    ("mk.co.kr", re.compile(r"^/news/(?:amp/)?[a-z_-]+/(\d{6,})"), "mk"),
    ("hankyung.com", re.compile(r"^/(?:amp/)?article/(\d{8}\w{4,6})"), "hankyung"),
    ("hankookilbo.com", re.compile(r"^/news/article/(A\d{10,})"), "hankookilbo"),
    ("etnews.com", re.compile(r"^/(?:amp/)?(\d{14})"), "etnews"),
    ("etoday.co.kr", re.compile(r"^/news/(?:view|amp)/(\d{6,})"), "etoday"),
    ("newsis.com", re.compile(r"[?&]id=(NISX\d{8}_\d{10})"), "newsis"),
    ("zdnet.co.kr", re.compile(r"[?&]no=(\d{14})"), "zdnet"),
    ("edaily.co.kr", re.compile(r"[?&]newsid=(\d{10,})", re.IGNORECASE), "edaily"),
    ("news1.kr", re.compile(r"/(?:articles/\?|[a-z-]+/[a-z-]+/)(\d{5,})"), "news1"),
)
_NDSOFT = re.compile(r"^/news/articleView(?:Amp)?\.html$")
_IDXNO = re.compile(r"(?:^|&)idxno=(\d+)")
_AMP_PATH = re.compile(r"(^/amp(?=/)|/amp/?$)")
_AMP_QUERY = re.compile(r"^(amp|outputType)$", re.IGNORECASE)


def _canonical_url(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        query = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        ]
        host = (parts.hostname or "").lower().rstrip(".")
        netloc = host
        if parts.port and not (
            (parts.scheme == "http" and parts.port == 80)
            or (parts.scheme == "https" and parts.port == 443)
        ):
            netloc = f"{host}:{parts.port}"
        if ":" in host and not host.startswith("["):  # IPv6 literal
            netloc = f"[{host}]" + netloc[len(host) :]
        path = parts.path or "/"
        rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))
        return canonicalize_url(rebuilt, keep_fragments=False)
    except ValueError:  # not a usable address: kept as given
        return url


def _article_key(url: str) -> str:
    canonical = _canonical_url(url)
    try:
        return _key(canonical)
    except ValueError:
        return f"raw:{canonical}"


def _key(canonical: str) -> str:
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower()
    path_query = parts.path + ("?" + parts.query if parts.query else "")
    if host in _NAVER_HOSTS:
        if match := _NAVER_PATH.match(parts.path):
            return f"naver:{match.group(1)}:{match.group(2)}"
        query = dict(parse_qsl(parts.query))
        if query.get("oid", "").isdigit() and query.get("aid", "").isdigit():
            return f"naver:{query['oid']}:{query['aid']}"
    base = _HOST_PREFIXES.sub("", host)
    for platform_host, pattern, prefix in _PLATFORM_KEYS:
        if base == platform_host and (match := pattern.search(path_query)):
            return f"{prefix}:{match.group(1)}"
    if _NDSOFT.match(parts.path) and (match := _IDXNO.search(parts.query)):
        return f"ndsoft:{base}:{match.group(1)}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    kept = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _AMP_QUERY.match(k)
        ]
    )
    port = f":{parts.port}" if parts.port else ""
    return f"web:{base}{port}{path}" + (f"?{kept}" if kept else "")
