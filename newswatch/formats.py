"""Writing archive rows out: JSON, JSON lines, CSV for Excel, and an Atom feed for feed readers.

Titles and texts are untrusted page content: CSV writes them as data (quoted by the csv module, with
spreadsheet formulas defused) and Atom through ElementTree, minus the characters XML cannot carry.
"""

from __future__ import annotations

import csv
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO, Any

from archive import now_kst
from newswatch.display import json_text

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids even escaped (C0 controls but tab/newline/CR, U+FFFE/FFFF, surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP "CSV
# injection"); a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_json(rows: Iterable[dict[str, Any]], out: IO[str]) -> None:
    out.write(json_text(list(rows), indent=2) + "\n")


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for row in rows:
        out.write(json_text(row) + "\n")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return value


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: Sequence[str]) -> None:
    """CSV with a UTF-8 byte order mark first, which is how Excel knows the Korean is UTF-8."""
    out.write("\ufeff")
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value or ""))


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrib)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _atom_time(value: str | None, fallback: str) -> str:
    """An RFC 3339 time (Atom requires one); stored times already are, others fall back."""
    try:
        return datetime.fromisoformat(value or "").isoformat(timespec="seconds")
    except ValueError:
        return fallback


def write_atom(
    rows: Iterable[dict[str, Any]], out: IO[bytes], *, title: str, feed_key: str
) -> None:
    """An Atom 1.0 feed (RFC 4287) of whole articles; entry ids are the articles' canonical URLs."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    now = now_kst()
    _sub(feed, "title", title)
    # A stable id for the same archive and filters, so feed readers keep one subscription.
    _sub(feed, "id", "urn:sha1:" + hashlib.sha1(feed_key.encode()).hexdigest())  # noqa: S324 - an id, not security
    _sub(feed, "generator", "newswatch")
    updated = _sub(feed, "updated", now)
    latest = ""
    for row in rows:
        entry = _sub(feed, "entry")
        _sub(entry, "id", row["url"])
        _sub(entry, "title", row.get("title") or row["url"], type="text")
        published = _atom_time(row.get("published_at"), _atom_time(row.get("first_seen_at"), now))
        changed = _atom_time(row.get("modified_at"), published)
        latest = max(latest, changed)
        _sub(entry, "published", published)
        _sub(entry, "updated", changed)
        _sub(entry, "link", href=_xml_text(row["url"]), rel="alternate")
        author = _sub(entry, "author")
        _sub(author, "name", row.get("author") or row.get("outlet") or "unknown")
        if row.get("outlet"):
            _sub(entry, "category", term=_xml_text(row["outlet"]), label=_xml_text(row["outlet"]))
        text = row.get("text") or ""
        _sub(entry, "summary", text[:300] + ("…" if len(text) > 300 else ""), type="text")
        _sub(entry, "content", text, type="text")
    if latest:
        updated.text = latest
    ET.ElementTree(feed).write(out, encoding="utf-8", xml_declaration=True)
    out.write(b"\n")
