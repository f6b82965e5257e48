"""Decoding Google News links (news.google.com/rss/articles/…) to the outlets' URLs.

Any channel may list such a link, so the crawl decodes them whatever the source's type; the
google-news source type is where they come from. Facts from docs/sources.md §1.2
(SSujitX/google-news-url-decoder, AndyTheFactory/newspaper4k#645): links from before about 2024-07
carry the outlet URL in a base64url protobuf and decode offline; current ones need two requests:
the article page, whose `c-wiz > div[jscontroller]` holds a signature and timestamp, then a POST to
the batchexecute RPC. That RPC is undocumented and has broken before, so every step here returns
None rather than raise, and the crawl keeps an undecodable item as a lead to match by title later.
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import quote, urlsplit

from lxml import html as lxml_html

_OLD_PREFIX = b"\x08\x13\x22"


def article_token(url: str) -> str | None:
    """The id in news.google.com/rss/articles/{id} or /articles/{id} or /read/{id}."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) >= 2 and parts[-2] in {"articles", "read"}:
        return parts[-1]
    return None


def decode_offline(token: str) -> str | None:
    """The outlet URL inside an old-format token, or None for current (opaque) tokens."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(_OLD_PREFIX):
        return None
    raw = raw[len(_OLD_PREFIX) :]
    if not raw:
        return None
    length, start = raw[0], 1
    if length >= 0x80:  # a two-byte varint length
        if len(raw) < 2:
            return None
        length, start = (length & 0x7F) | (raw[1] << 7), 2
    candidate = raw[start : start + length].decode("utf-8", errors="replace")
    return candidate if candidate.startswith(("http://", "https://")) else None


def decoding_page_url(endpoint: str, token: str) -> str:
    return f"{endpoint.rstrip('/')}/articles/{token}"


def decoding_params(page: bytes) -> tuple[str, str] | None:
    """(signature, timestamp) from a Google News article page."""
    try:
        tree = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for element in tree.cssselect("c-wiz > div[jscontroller]"):
        signature, timestamp = element.get("data-n-a-sg"), element.get("data-n-a-ts")
        if signature and timestamp and timestamp.isdigit():
            return signature, timestamp
    return None


def batchexecute_url(endpoint: str) -> str:
    return f"{endpoint.rstrip('/')}/_/DotsSplashUi/data/batchexecute"


def batchexecute_body(token: str, signature: str, timestamp: str) -> str:
    """The form body of the garturlreq RPC (its shape as the public decoder sends it)."""
    request = (
        '["garturlreq",[["X","X",["X","X"],null,null,1,1,"US:en",null,1,null,null,null,null,'
        'null,0,1],"X","X",1,[1,1,1],1,1,null,0,0,null,0],'
        f"{json.dumps(token)},{timestamp},{json.dumps(signature)}]"
    )
    return "f.req=" + quote(json.dumps([[["Fbv4je", request]]]))


def parse_batchexecute(body: bytes) -> str | None:
    """The decoded URL from the RPC's answer: JSON after the first blank line."""
    try:
        text = body.decode("utf-8")
        rows = json.loads(text.split("\n\n", 1)[1])[:-2]
        url = json.loads(rows[0][2])[1]
    except (UnicodeDecodeError, IndexError, ValueError, TypeError, KeyError):
        return None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
