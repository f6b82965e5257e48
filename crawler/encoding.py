"""Turn a page's bytes into text, trusting declarations only when the bytes agree with them."""

from __future__ import annotations

import codecs
from collections.abc import Mapping

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

# Single-byte codecs decode any bytes "cleanly", so a strict decode proves nothing for them: a
# Korean page mislabelled iso-8859-1 would come out as mojibake. Valid UTF-8 beats such a label.
_SINGLE_BYTE = frozenset({"latin_1", "iso8859_1", "cp1252", "ascii", "iso8859_15"})


def _codec(name: str | None) -> str | None:
    """Normalise a charset label to a Python codec name; EUC-KR becomes CP949 (w3lib's table)."""
    if not name:
        return None
    resolved = resolve_encoding(name)
    if resolved is None:
        return None
    # w3lib maps euc_kr to cp949 already; be explicit for labels it passes through unchanged.
    if resolved in {"euc_kr", "ks_c_5601_1987", "korean"}:
        return "cp949"
    return codecs.lookup(resolved).name.replace("-", "_")


def header_value(headers: Mapping[str, str] | None, name: str) -> str | None:
    """Look up an HTTP header case-insensitively (Scrapy and plain dicts spell keys differently)."""
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        text_key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if text_key.lower() != wanted:
            continue
        # Scrapy's Headers hold a list of values per key.
        first = (value[0] if value else "") if isinstance(value, list | tuple) else value
        return first.decode("latin-1") if isinstance(first, bytes) else str(first)
    return None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decode HTML bytes, returning (text, codec used).

    Order: BOM, HTTP header charset, <meta> charset, strict UTF-8, CP949. The first candidate that
    decodes strictly wins, so a wrong declaration loses to one that fits the bytes. When none fits
    (a stray broken byte, a fragment in another encoding), bytes are replaced, using the candidate
    that needs the fewest replacements: an undeclared EUC-KR page with one split character stays
    Korean instead of becoming UTF-8 mojibake. On a tie the earlier candidate wins.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        codec = _codec(bom_encoding) or "utf_8"
        return body[len(bom) :].decode(codec, errors="replace"), codec

    declared: list[str] = []
    for label in (
        http_content_type_encoding(header_value(headers, "Content-Type")),
        html_body_declared_encoding(body),
    ):
        found = _codec(label)
        if found and found not in declared:
            declared.append(found)

    candidates = [*declared]
    for fallback in ("utf_8", "cp949"):
        if fallback not in candidates:
            candidates.append(fallback)

    has_non_ascii = not body.isascii()
    for codec in candidates:
        if codec in _SINGLE_BYTE and has_non_ascii and _decodes(body, "utf_8"):
            continue
        if _decodes(body, codec):
            return body.decode(codec), codec

    decoded = [(body.decode(codec, errors="replace"), codec) for codec in candidates]
    return min(decoded, key=lambda pair: pair[0].count("\ufffd"))  # min keeps the first of equals


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
