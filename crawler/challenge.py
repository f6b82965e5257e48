"""Bot challenges and walls (docs/sources.md §4.9): a fault to retry next crawl, never a page to
judge or remember. Kept apart from extraction (no trafilatura), so the crawl process can tell a
challenge in a failed response without loading the extraction engine its workers run."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import html

from crawler.encoding import decode_html, header_value
from crawler.htmltext import parse_document

# Bot challenges and walls (docs/sources.md §4.9): never an article, whatever else the page holds.
# Script and element names of challenge platforms, found in a page's source.
_CHALLENGE_MARKERS = (
    "window._cf_chl_opt",
    "cf-browser-verification",
    "challenge-platform",
    "Web firewall",
    "captcha-delivery",
)
# What a challenge says to people; an article may say it too ("공항 보안 검사"), so these count
# only on a page with almost no text of its own.
_CHALLENGE_PHRASES = ("잠시만 기다려", "보안 검사", "Checking your browser")
_CHALLENGE_TEXT = 300  # characters of visible text, at most, on a challenge page
_CHALLENGE_TITLES = (
    "just a moment",
    "attention required",
    "checking your browser",
    "잠시만 기다려",
    "보안 검사",
)
CHALLENGE_MAX = 100_000  # bytes; a challenge page is a few kB, an article page rarely this small


def bot_challenge(body: bytes, headers: Mapping[str, str] | None = None) -> bool:
    """Whether a response is a bot challenge or wall (Cloudflare "Just a moment...", a captcha),
    whatever its status: a fault to retry next crawl, never a page to judge or remember."""
    if challenge_header(headers):
        return True
    if not body.strip() or len(body) > CHALLENGE_MAX:
        return False
    text, _codec = decode_html(body, headers)
    tree = parse_document(text)
    return tree is not None and is_challenge(text, tree)


def challenge_header(headers: Mapping[str, str] | None) -> bool:
    # Cloudflare marks its challenge responses with this header (developers.cloudflare.com,
    # "cf-mitigated header").
    return (header_value(headers, "cf-mitigated") or "").strip().lower() == "challenge"


def is_challenge(text: str, tree: html.HtmlElement) -> bool:
    head_title = (tree.findtext(".//title") or "").strip().lower()
    if any(marker in head_title for marker in _CHALLENGE_TITLES):
        return True
    # Markers in a big page could be a mention in an article; challenges are small.
    if len(text) >= 60_000:
        return False
    if any(marker in text for marker in _CHALLENGE_MARKERS):
        return True
    if not any(phrase in text for phrase in _CHALLENGE_PHRASES):
        return False
    body = tree.find("body")
    visible = body.text_content() if body is not None else ""
    return len(" ".join(visible.split())) <= _CHALLENGE_TEXT
