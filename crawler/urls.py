"""URL identity: one canonical form per article address, and which addresses we refuse to fetch."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only track the reader; removing them never changes the page.
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|"
    r"ref_src|cmpid|ncid|ocid|spm|from|fromurl|ref)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """The form under which an address is stored and compared.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters, sorts the
    rest of the query (w3lib's canonicalize_url), and removes a trailing "?".
    """
    url = url.strip()
    try:
        return _canonical(url)
    except ValueError:
        # Not a usable address (a broken IPv6 host, a port of "99999" or "x", from a hostile
        # feed): kept as given, compared as itself; fetching it fails with Scrapy's own error.
        return url


# A page's addresses are canonicalised by several stages (extract, dedup, archive, the known-URL
# filter), about ten calls a page; the function is pure, so the recent answers are kept.
@lru_cache(maxsize=4096)
def _canonical(url: str) -> str:
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
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
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


# --- identity ------------------------------------------------------------------------------------
# One article has many addresses: desktop, mobile (m.), AMP, portal copies, tracking variants. An
# identity key names the article, not the address. Patterns: docs/sources.md ("Article
# identity"), which names the public source of each outlet's URL format.

_HOST_PREFIXES = re.compile(r"^(?:www|m|mobile|amp)\.")
_NAVER_HOSTS = {"n.news.naver.com", "news.naver.com", "m.news.naver.com", "m.n.news.naver.com"}
_NAVER_PATH = re.compile(r"^/(?:mnews/)?article/(\d{3})/(\d{10})")
_PLATFORM_KEYS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # (host without www./m., pattern over path+query, key prefix)
    ("v.daum.net", re.compile(r"^/v/(\w{10,})"), "daum"),
    ("yna.co.kr", re.compile(r"^/(?:amp/)?view/(AKR\d{8,}\w*)"), "yna"),
    # 연합뉴스's short domain, which Naver's search API gives as `originallink`
    # ("http://yna.kr/AKR20200429023252002?did=1195m", quoted in public crawler code).
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
# NDsoft CMS (AI타임스 and many more): /news/articleView.html?idxno=N, AMP at articleViewAmp.html.
_NDSOFT = re.compile(r"^/news/articleView(?:Amp)?\.html$")
_IDXNO = re.compile(r"(?:^|&)idxno=(\d+)")
_AMP_PATH = re.compile(r"(^/amp(?=/)|/amp/?$)")
_AMP_QUERY = re.compile(r"^(amp|outputType)$", re.IGNORECASE)


def article_key(url: str) -> str:
    """The identity of the article at `url`: a platform id where the URL carries one
    ("naver:001:0015123456", "yna:AKR20260106…", "ndsoft:aitimes.com:160001"), else the canonical
    address with mobile/AMP variants folded ("web:example.co.kr/news/1")."""
    canonical = canonical_url(url)
    try:
        return _key(canonical)
    except ValueError:  # an address canonical_url kept as given, because it cannot be parsed
        return f"raw:{canonical}"


# Dedup and the archive ask for the keys of an article's addresses several times a page.
@lru_cache(maxsize=4096)
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


def is_google_news(url: str) -> bool:
    """Google News links point at Google, never at the article; they are not fetched as pages."""
    return (urlsplit(url).hostname or "").lower() == "news.google.com"


def readable_url(url: str) -> str:
    """`url` as a person reads it, for messages only: percent-escapes decoded, `+` in the query a
    space. A failed search then says `q="LG AI연구원" OR "엑사원"`, not `q=%22LG+AI%EC…`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=unquote(parts.path), query=unquote_plus(parts.query)))
