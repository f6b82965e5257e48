"""Reading RSS 2.0, RSS 1.0 and Atom feeds into leads, through feedparser (it tolerates the
malformed feeds Korean outlets serve and never resolves external entities).

Shared by the source types that read feeds (rss, google-news); they never import each other."""

from __future__ import annotations

import calendar
import logging
import re
import time
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from crawler.clock import KST
from crawler.sources.base import Lead

logger = logging.getLogger(__name__)


# Names Korean feeds give the KS X 1001 family. CP949 is its superset: decoding as EUC-KR proper
# would lose syllables such as 똠 and 햏, and feedparser falls back to windows-1252 on them.
_KOREAN_CHARSETS = re.compile(
    rb"^(euc[-_]?kr|ks_c_5601(-1987)?|ksc5601|ks_x_1001|cp949|x-windows-949|uhc|ms949)$",
    re.IGNORECASE,
)
_CHARSET = re.compile(r"charset=\s*[\"']?([\w.:-]+)[\"']?", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([\w.:-]+)(["'])""")
# The start of an RSS <item> or Atom <entry>, namespaced or not (<items> of RSS 1.0 is not one).
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\b")


@dataclass(slots=True)
class FeedPage:
    leads: list[Lead] = field(default_factory=list)
    error: str = ""  # why the body is not a readable feed; "" when it is one
    malformed: str = ""  # the XML error that ended strict parsing (items after it may be lost)
    ignored: int = 0  # items with no link, or none that is http(s) (javascript:, mailto: …)
    beyond: int = 0  # items past max_items, not read


def parse_feed(body: bytes, url: str, content_type: str = "") -> list[Lead]:
    """Every item of the feed with an http(s) link, in feed order, relative links made absolute."""
    page = read_feed(body, url, content_type)
    if page.error:
        logger.warning("%s: %s", url, page.error)
    return page.leads


def read_feed(
    body: bytes, url: str, content_type: str = "", *, max_items: int | None = None
) -> FeedPage:
    """The feed's first `max_items` items as leads, with what was ignored or left unread.

    feedparser is slow per item (bench/RESULTS.md, Throughput), so a feed of 100,000 items would
    hold the crawl for seconds: the body is cut before the item past the limit, and feedparser
    (which tolerates the unclosed end) reads only the rest.
    """
    page = FeedPage()
    if max_items is not None:
        starts = [m.start() for m in _ITEM_START.finditer(body)]
        if len(starts) > max_items:
            page.beyond = len(starts) - max_items
            body = body[: starts[max_items]]
    body, content_type = _korean_to_utf8(body, content_type)
    headers = {"content-location": url} | ({"content-type": content_type} if content_type else {})
    parsed = feedparser.parse(body, response_headers=headers)
    fault = parsed.get("bozo_exception")
    # A feed is a document feedparser recognised as RSS or Atom (it names the version), however
    # many items it holds: a quiet source's feed with none is read as zero items, not a failure.
    if not parsed.get("version"):
        if isinstance(fault, xml.sax.SAXParseException):
            page.error = f"not a readable feed ({fault})"
        else:  # well-formed, or HTML; feedparser's own note then is about charsets
            served = content_type.split(";")[0].strip() or "no content type"
            page.error = f"not a readable feed ({served}, not RSS, RSS 1.0 or Atom)"
        return page
    # A charset mismatch is also "bozo" and harmless; an XML error is not. Cutting at max_items
    # leaves the document unclosed on purpose: that is no fault of the feed's.
    if isinstance(fault, xml.sax.SAXParseException) and not page.beyond:
        page.malformed = str(fault)
    for entry in parsed.entries:
        link = _entry_link(entry, url)
        if link is None:
            page.ignored += 1
            continue
        source = entry.get("source") or {}
        page.leads.append(
            Lead(
                url=link,
                title=" ".join(str(entry.get("title", "")).split()) or None,
                published_at=_entry_time(entry),
                outlet=" ".join(str(source.get("title", "")).split()) or None,
            )
        )
    return page


def _korean_to_utf8(body: bytes, content_type: str) -> tuple[bytes, str]:
    """Re-encode a feed declared in a Korean legacy charset as UTF-8, decoding it as CP949; the
    content type then says utf-8 too, so feedparser does not decode the new bytes as EUC-KR."""
    declared = _XML_DECLARATION.match(body)
    header = _CHARSET.search(content_type)
    charset = declared.group(2) if declared else (header.group(1).encode() if header else b"")
    if not _KOREAN_CHARSETS.match(charset):
        return body, content_type
    utf8 = body.decode("cp949", errors="replace").encode("utf-8")
    if declared:
        utf8 = _XML_DECLARATION.sub(rb"\g<1>utf-8\g<3>", utf8, count=1)
    return utf8, _CHARSET.sub("charset=utf-8", content_type)


def _entry_link(entry: feedparser.FeedParserDict, feed_url: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [
        link.get("href") for link in entry.get("links", []) if link.get("rel") == "alternate"
    ]
    if entry.get("guidislink"):
        candidates.append(entry.get("id"))
    for candidate in candidates:
        if not candidate:
            continue
        absolute = urljoin(feed_url, str(candidate).strip())
        if absolute.startswith(("http://", "https://")):
            return absolute
    return None


def _entry_time(entry: feedparser.FeedParserDict) -> str | None:
    struct: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if not struct:
        return None
    moment = datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    return moment.astimezone(KST).isoformat(timespec="seconds")
