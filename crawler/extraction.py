"""Extraction: page bytes → Article, a pure function that never touches the network.

Placeholder until the extraction work lands: trafilatura alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import trafilatura

from crawler.article import Article


def extract(
    body: bytes, url: str, headers: Mapping[str, str] | None = None, *, now: datetime | None = None
) -> Article | None:
    doc = trafilatura.bare_extraction(body, url=url, favor_precision=True, with_metadata=True)
    if doc is None or not doc.text:
        return None
    return Article(url=doc.url or url, title=doc.title or "", text=doc.text, outlet=doc.sitename)
