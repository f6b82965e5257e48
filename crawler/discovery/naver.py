"""The Naver Search Open API for news → leads (docs/sources.md §1.1).

Items carry `link` (the n.news.naver.com copy when Naver hosts one, else the outlet URL) and
`originallink` (the outlet URL). We fetch the Naver copy when there is one: one uniform template for
every outlet. Titles carry <b> tags and HTML entities; dates are RFC 822 with +0900.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit

from crawler.clock import KST
from crawler.discovery.lead import Lead

logger = logging.getLogger(__name__)

DISPLAY = 100  # the API's largest page
MAX_START = 1000  # only the first 1,000 hits are reachable (start + display - 1 <= 1000)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class NaverPage:
    leads: list[Lead]
    total: int


def search_url(endpoint: str, query: str, start: int = 1) -> str:
    # sort=date always: one third-party doc claims it is the default, the official one says sim.
    params = {"query": query, "display": DISPLAY, "start": start, "sort": "date"}
    return f"{endpoint}?{urlencode(params)}"


def next_start(start: int) -> int | None:
    following = start + DISPLAY
    return following if following + DISPLAY - 1 <= MAX_START else None


def parse_response(body: bytes, url: str) -> NaverPage | None:
    """The page's items as leads, newest first; None when the answer is not the API's JSON."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        logger.warning("%s: the Naver API answered something that is not JSON", url)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        logger.warning("%s: the Naver API answer has no items list: %.200s", url, data)
        return None
    leads = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = str(item.get("link") or "").strip()
        original = str(item.get("originallink") or "").strip()
        urls = list(
            dict.fromkeys(u for u in (link, original) if u.startswith(("http://", "https://")))
        )
        if not urls:
            continue
        # Prefer the Naver copy: uniform markup, and its "기사원문" link leads back to the outlet.
        urls.sort(key=lambda u: not is_naver_copy(u))
        leads.append(
            Lead(
                url=urls[0],
                title=_clean(str(item.get("title") or "")) or None,
                published_at=_rfc822(item.get("pubDate")),
                alternates=tuple(dict.fromkeys(urls[1:])),
            )
        )
    total = data.get("total")
    return NaverPage(leads=leads, total=total if isinstance(total, int) else len(leads))


# Naver's own article templates: news (n.news, news, m.news), sports (sports.news, m.sports,
# sports) and entertainment (m.entertain, entertain).
_COPY_DOMAINS = ("news.naver.com", "sports.naver.com", "entertain.naver.com")


def is_naver_copy(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in _COPY_DOMAINS)


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _rfc822(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(KST).isoformat(timespec="seconds")
