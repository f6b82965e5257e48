"""Which addresses a fetched page may claim as its own: its site's, or a declared syndicator's.

A page names its own address (rel=canonical, og:url) and, on a portal copy, the outlet's original
(Naver's link to the article it copied). Both become the article's identity, so a page claiming an
address on someone else's site could rewrite that site's archived article, or stand in for it
before it is fetched. A page may claim only an address on its own site: the same registrable
domain (m.yna.co.kr and www.yna.co.kr; 127.0.0.1 and localhost are two), or a host its outlet's
site profile lists beside its own. Only a profile that reads a syndication link (`original_url`,
the Naver profile) makes a page's claim on another outlet's address count.
"""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import urlsplit

import tldextract

from crawler.profiles import profile_for


@cache
def _public_suffixes() -> tldextract.TLDExtract:
    # The snapshot of the Public Suffix List bundled with tldextract: no download, no cache file,
    # so the answer is the same on every machine and never waits on the network. Private suffixes
    # count (blogspot.com, github.io): two blogs there are two sites.
    return tldextract.TLDExtract(
        cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True
    )


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:  # an unparseable address (a broken IPv6 literal) is its own text
        return url


@lru_cache(maxsize=4096)
def site_of(url: str) -> str:
    """The registrable domain of the URL's host ("yna.co.kr" for m.yna.co.kr), or the host itself
    where there is none (an IP address, localhost, a name under no public suffix)."""
    host = _host(url)
    return _public_suffixes()(host).top_domain_under_public_suffix or host


def may_claim(page_url: str, claimed_url: str) -> bool:
    """Whether the page fetched from `page_url` may name `claimed_url` as its own address."""
    if site_of(page_url) == site_of(claimed_url):
        return True
    profile = profile_for(page_url)
    return profile is not None and profile is profile_for(claimed_url)


def syndicates(page_url: str) -> bool:
    """Whether a page from `page_url` may name another outlet's article as the one it copies:
    its site profile reads that link (a known syndication rule, as Naver's copies of articles)."""
    profile = profile_for(page_url)
    return profile is not None and bool(profile.original_url)
