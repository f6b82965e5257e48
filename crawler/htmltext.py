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


# Containers a body can be; inline children and leaf blocks count as their own text.
_CONTAINERS = ("div", "td", "section", "article", "main", "p")
_INLINE = frozenset(
    {"b", "strong", "em", "i", "span", "font", "u", "sup", "sub", "mark", "small", "br"}
)
_LEAF_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "blockquote"})


def densest_block(tree: etree._Element) -> tuple[etree._Element | None, int]:
    """The element holding the most article-like text of its own, and that many characters.

    Own text is text directly inside the element, in its inline children and in child paragraphs
    without blocks of their own; text inside links never counts, so headline lists and menus
    lose to the body. Many outlets write their body as text and <br> lines straight in one <div>
    (KBS, SBS, YTN, TV조선), which this finds where trafilatura drops leading lines and tails.
    """
    best: etree._Element | None = None
    best_size = 0
    for element in tree.iter(*_CONTAINERS):
        size = _own_text(element)
        if size > best_size:
            best, best_size = element, size
    return best, best_size


def _own_text(element: etree._Element) -> int:
    size = len((element.text or "").strip())
    for child in element:
        tag = child.tag
        counts = tag in _INLINE or (tag in _LEAF_BLOCKS and _is_paragraph(child))
        if isinstance(tag, str) and counts:
            size += _unlinked_text(child)
        size += len((child.tail or "").strip())
    return size


def _is_paragraph(element: etree._Element) -> bool:
    """A block of one paragraph: no blocks or line breaks inside (a block of <br> lines is a
    body of its own, which must not make its parent look denser than itself)."""
    return not any(
        isinstance(d.tag, str) and (d.tag in _BLOCK or d.tag == "br")
        for d in element.iterdescendants()
    )


def _unlinked_text(element: etree._Element) -> int:
    if element.tag == "a":
        return 0
    size = len((element.text or "").strip())
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            size += _unlinked_text(child)
        size += len((child.tail or "").strip())
    return size


def drop_link_lines(element: etree._Element) -> None:
    """Remove links that stand alone on a line inside an article body: related-article and
    promotion links (a headline list after the text), never links inside a sentence."""
    for link in list(element.iter("a")):
        parent = link.getparent()
        if parent is None or link is element:
            continue
        previous = link.getprevious()
        before = (parent.text if previous is None else previous.tail) or ""
        alone_before = not before.strip() and (
            previous is None or not isinstance(previous.tag, str) or previous.tag == "br"
        )
        following = link.getnext()
        alone_after = not (link.tail or "").strip() and (
            following is None or not isinstance(following.tag, str) or following.tag == "br"
        )
        if alone_before and alone_after and parent.tag not in {"p", "li", "blockquote"}:
            link.drop_tree()
