"""Structured data inside a page: meta tags, JSON-LD articles, embedded app state (Next.js, Arc)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import html

_ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BlogPosting",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
    }
)
# A Next.js app-router page streams its data as JSON string literals passed to this call.
_NEXT_F_PUSH = re.compile(r'self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)', re.DOTALL)
_CONTENT_HTML = re.compile(r'"(?:contentHtml|articleBody|content)":("(?:[^"\\]|\\.)*")')
# A flight-data text chunk: "24:T<hex length>," followed by that many UTF-8 bytes.
_TEXT_CHUNK = re.compile(r"(?:^|\n)([0-9a-f]+):T([0-9a-f]+),", re.MULTILINE)
_BODY_KEYS = frozenset({"contentHtml", "articleBody", "content", "body", "html"})
# Arc XP (Fusion) pages assign the story to this global; its text is in content_elements
# (Arc's ANS schema: elements of type "text" carry one paragraph of HTML in "content").
_FUSION_GLOBAL = "Fusion.globalContent="
_PARAGRAPH_TYPES = frozenset({"text", "header"})


@dataclass(slots=True)
class PageData:
    """Metadata read from a page's head and scripts before any element is removed."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    article: dict[str, Any] = field(default_factory=dict)
    canonical: str | None = None
    embedded_body: str | None = None  # article HTML found in app state, read only when needed

    def first(self, *names: str) -> str | None:
        """The first non-empty content among meta tags named `names` (property or name)."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                if value.strip():
                    return value.strip()
        return None


def read_page_data(tree: html.HtmlElement) -> PageData:
    """Collect meta tags, the canonical link and the JSON-LD article in one pass over the head."""
    data = PageData()
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None:
            data.meta.setdefault(key.strip().lower(), []).append(content)
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            data.canonical = link.get("href", "").strip()
            break
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            article = _find_article(_loads(script.text))
            if article:
                data.article = article
                break
    return data


def _loads(text: str) -> Any:
    try:
        return json.loads(text, strict=False)  # outlets leave raw newlines inside strings
    except ValueError:
        return None


def _find_article(node: Any) -> dict[str, Any] | None:
    if isinstance(node, list):
        for item in node:
            if found := _find_article(item):
                return found
        return None
    if not isinstance(node, dict):
        return None
    kind = node.get("@type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if kinds & _ARTICLE_TYPES:
        return node
    return _find_article(node.get("@graph"))


def json_ld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value: a string, an object or a list of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value for name in json_ld_names(item)]
    return []


def embedded_article_html(page_html: str) -> str | None:
    """Article HTML from app state in scripts: Next.js (`self.__next_f.push` payloads or
    `__NEXT_DATA__`) or Arc/Fusion (`Fusion.globalContent`)."""
    if "__next_f" in page_html:
        found = _from_flight(page_html)
        if found:
            return found
    if _FUSION_GLOBAL in page_html:
        found = _from_fusion(page_html)
        if found:
            return found
    marker = page_html.find('id="__NEXT_DATA__"')
    if marker >= 0:
        start = page_html.find(">", marker) + 1
        end = page_html.find("</script>", start)
        state = _loads(page_html[start:end])
        candidates: list[str] = []
        _collect_bodies(state, candidates)
        if candidates:
            return max(candidates, key=len)
    return None


def _from_flight(page_html: str) -> str | None:
    chunks = []
    for literal in _NEXT_F_PUSH.findall(page_html):
        decoded = _loads(literal)
        if isinstance(decoded, str):
            chunks.append(decoded)
    flight = "".join(chunks)
    best: str | None = None
    for literal in _CONTENT_HTML.findall(flight):
        value = _loads(literal)
        if not isinstance(value, str):
            continue
        if value.startswith("$") and value[1:].isalnum():
            value = _text_chunk(flight, value[1:]) or ""
        if len(value) > 200 and (best is None or len(value) > len(best)):
            best = value
    return best


def _from_fusion(page_html: str) -> str | None:
    start = page_html.find(_FUSION_GLOBAL) + len(_FUSION_GLOBAL)
    try:
        state, _end = json.JSONDecoder(strict=False).raw_decode(page_html, start)
    except ValueError:
        return None
    elements = state.get("content_elements") if isinstance(state, dict) else None
    if not isinstance(elements, list):
        return None
    paragraphs = [
        f"<p>{element['content']}</p>"
        for element in elements
        if isinstance(element, dict)
        and element.get("type") in _PARAGRAPH_TYPES
        and isinstance(element.get("content"), str)
        and element["content"].strip()
    ]
    markup = "".join(paragraphs)
    return markup if len(markup) > 200 else None


def _text_chunk(flight: str, ref: str) -> str | None:
    for match in _TEXT_CHUNK.finditer(flight):
        if match.group(1) == ref:
            size = int(match.group(2), 16)
            raw = flight[match.end() :].encode("utf-8")[:size]
            return raw.decode("utf-8", errors="ignore")
    return None


def _collect_bodies(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _BODY_KEYS and isinstance(value, str) and len(value) > 200:
                found.append(value)
            else:
                _collect_bodies(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect_bodies(item, found)
