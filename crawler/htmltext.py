"""Read an lxml tree as text: paragraph breaks where the browser would break lines, nothing else."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree, html

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "button",
        "select",
        "svg",
        "head",
        "textarea",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "section",
        "article",
        "blockquote",
        "figure",
        "dl",
        "dt",
        "dd",
        "header",
        "footer",
        "pre",
        "hr",
        "main",
        "center",
        "form",
        "nav",
        "td",
        "th",
        "caption",
        "address",
    }
)


def parse_document(text: str) -> html.HtmlElement | None:
    """Parse decoded HTML; lxml refuses str input that still carries an XML encoding declaration."""
    if text.lstrip().startswith("<?xml"):
        text = text[text.find("?>") + 2 :]
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def parse_fragment(markup: str) -> html.HtmlElement | None:
    """Parse an HTML fragment (an embedded article body) into one wrapping element."""
    if not markup.strip():
        return None
    try:
        return html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def element_lines(elements: Iterable[etree._Element]) -> list[str]:
    """The text of elements as lines, one per paragraph or <br>; source newlines become spaces."""
    parts: list[str] = []
    for element in elements:
        parts.append("\n")
        _walk(element, parts, with_tail=False)
    return [line.strip() for line in "".join(parts).split("\n") if line.strip()]


def _walk(element: etree._Element, parts: list[str], *, with_tail: bool) -> None:
    tag = element.tag
    if isinstance(tag, str) and tag not in _SKIP:
        block = tag in _BLOCK
        if tag == "br" or block:
            parts.append("\n")
        if element.text:
            parts.append(element.text.replace("\n", " "))
        for child in element:
            _walk(child, parts, with_tail=True)
        if block:
            parts.append("\n")
    if with_tail and element.tail:
        parts.append(element.tail.replace("\n", " "))
