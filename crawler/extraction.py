"""Extraction: one fetched page's bytes to a clean Article, or None when the page is no article."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from html import unescape
from itertools import islice
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import html

from crawler.article import Article, Reading
from crawler.challenge import CHALLENGE_MAX, challenge_header, is_challenge
from crawler.dates import parse_date
from crawler.encoding import decode_html
from crawler.htmltext import (
    densest_block,
    drop_link_lines,
    element_lines,
    parse_document,
    parse_fragment,
)
from crawler.korean import (
    byline_name,
    clean_lines,
    normalize_line,
    split_names,
    strip_title_suffix,
)
from crawler.profiles import COMMON_DROP, SiteProfile, compiled, is_article_url, profile_for
from crawler.structured import PageData, embedded_article_html, json_ld_names, read_page_data

# Visible "입력 2021-05-05 11:00" style lines, for pages without date metadata.
_VISIBLE_DATE = re.compile(
    r"(?:기사입력|최종수정|입력|송고|등록|승인)\s*:?\s*\[?\s*"
    r"(\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?\s*(?:오전|오후)?\s*\d{1,2}:\d{2}(?::\d{2})?"
    r"|\d{1,3}\s*(?:분|시간|일)\s*전)"
)
_MIN_TEXT = 120  # characters; shorter "articles" are teasers, walls or empty templates
# Own text a block needs to be taken as the body without trafilatura: three or four sentences.
_DENSE_MIN = 300
_MAX_ELEMENTS = 50_000
# C0 controls (an ANSI escape's ESC, a bell) and bidi embeddings/overrides/isolates (they reorder
# what a reader sees: "U+202E" spoofing) are never article text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")

logger = logging.getLogger(__name__)


def read_page(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> Reading:
    """`bot_challenge` and `extract` in one parse of the page (the crawl's workers add the rest of
    a page's CPU work: crawler.reading.read_for_crawl)."""
    if challenge_header(headers):
        return Reading(challenge=True)
    page = _read_page(body, headers, url)
    if page is None:
        return Reading()
    text, tree = page
    if is_challenge(text, tree):
        return Reading(challenge=len(body) <= CHALLENGE_MAX)
    return Reading(_extract(text, tree, url, now))


def extract(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> Article | None:
    """Extract the article in an HTML page, or None for home, list, search and challenge pages.

    Never touches the network. `headers` are the HTTP response headers (for the charset); `now` is
    the crawl time that relative dates ("3시간 전") count back from.
    """
    return read_page(body, url, headers, now=now).article


def _extract(text: str, tree: html.HtmlElement, url: str, now: datetime | None) -> Article | None:
    profile = profile_for(url)
    data = read_page_data(tree)
    page_url = _own_url(data, url)
    if profile and not is_article_url(profile, url):
        if page_url != url and is_article_url(profile, page_url):
            # A list address serving a page that names an article address as its own: the
            # article is read at that address, not here.
            return None
        # A page the profile was not written for (another URL scheme, an old layout) may still
        # be an article: the general path reads it, and its own gate turns list pages away.
        logger.debug("%s: not a %s article address; general path", url, profile.name)
        profile = None

    outlet = _outlet(tree, data, profile, url)
    title = _title(tree, data, profile, outlet)
    published = _published(tree, data, profile, now)
    modified = _modified(tree, data, profile, now)
    authors = _authors(tree, data, profile, outlet)
    original_url = _first_value(tree, profile.original_url) if profile else None

    path = "profile"
    lines = _profile_body(tree, profile) if profile else None
    if not lines:
        path, lines = "script payload", _embedded_body(text, profile)
    if not lines and isinstance(data.article.get("articleBody"), str):
        path = "JSON-LD articleBody"
        lines = [line for line in data.article["articleBody"].splitlines() if line.strip()]
    page_lines: list[str] | None = None  # the page's visible lines, read only when needed
    if not lines:
        if published is None:
            # A visible "입력 2021-05-05 11:00" dateline is what marks an article on pages
            # without metadata; read it before trafilatura, which may drop it.
            page_lines = _head_lines(tree)
            published = _visible_date(page_lines, _VISIBLE_DATE, now)
        if not _looks_like_article(data, published, url):
            logger.debug("%s: no article metadata or date; not an article", url)
            return None
        path, lines = _general_body(tree, url)
    logger.debug("%s: body read by the %s path", url, path)
    if published is None:
        published = _visible_date(lines, _VISIBLE_DATE, now) or _visible_date(
            page_lines if page_lines is not None else _head_lines(tree), _VISIBLE_DATE, now
        )

    cleaned = clean_lines(lines, title=title)
    article_text = "\n".join(cleaned.paragraphs)
    if len(article_text) < _MIN_TEXT or not title:
        return None
    if not authors:
        authors = _unique(cleaned.authors)
    if not authors and not profile:
        # trafilatura's precise mode drops byline lines; find one next to the article's text.
        authors = _byline_near(
            page_lines if page_lines is not None else _head_lines(tree), cleaned.paragraphs
        )
    return Article(
        url=page_url,
        title=title,
        text=article_text,
        published_at=published,
        modified_at=modified,
        author=", ".join(authors) or None,
        outlet=outlet,
        original_url=urljoin(url, original_url) if original_url else None,
    )


def _general_body(tree: html.HtmlElement, url: str) -> tuple[str, list[str]]:
    """The body of a page no profile reads: the densest text block when it is long enough
    (bodies written as <br> lines, where trafilatura drops leading lines and tails), else
    trafilatura."""
    block, size = densest_block(tree)
    if block is not None and size >= _DENSE_MIN:
        _drop(block, None)
        drop_link_lines(block)
        lines = element_lines([block])
        if sum(len(line) for line in lines) >= _DENSE_MIN:
            return "densest block", lines
    extracted = trafilatura.extract(
        tree,
        url=url,
        favor_precision=True,  # the default mode leaks 주요뉴스 and copyright (docs/sources.md §6)
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,  # its dedup cache is process-global, non-deterministic (#778)
        with_metadata=False,
        output_format="txt",
    )
    return "trafilatura", extracted.splitlines() if extracted else []


def _read_page(
    body: bytes, headers: Mapping[str, str] | None, url: str
) -> tuple[str, html.HtmlElement] | None:
    """The page as text and tree, or None when it is empty or too big to read."""
    if not body or not body.strip():
        return None
    text, _codec = decode_html(body, headers)
    # lxml refuses C0 controls inside trafilatura, which then discarded the whole page.
    text = _CONTROL.sub("", text)
    tree = parse_document(text)
    if tree is None:
        return None
    if _too_many_elements(tree):
        # Readability and trafilatura take time per element (bench/RESULTS.md, Extraction): 10 MB
        # of <a> would hold a worker for many seconds. Real article pages have a few thousand (the
        # gold set at most 1,663).
        logger.warning("%s: more than %d HTML elements, not read as an article", url, _MAX_ELEMENTS)
        return None
    return text, tree


def _too_many_elements(tree: html.HtmlElement) -> bool:
    return sum(1 for _ in islice(tree.iter(), _MAX_ELEMENTS + 1)) > _MAX_ELEMENTS


def _looks_like_article(data: PageData, published: str | None, url: str) -> bool:
    """Without a profile, a page must declare itself an article or carry a date to be one."""
    if urlsplit(url).path in {"", "/"} and not data.article:
        return False
    og_type = (data.first("og:type") or "").lower()
    return bool(data.article) or og_type == "article" or published is not None


def _own_url(data: PageData, url: str) -> str:
    for candidate in (data.canonical, data.first("og:url")):
        if (
            candidate
            and urlsplit(candidate).scheme in {"http", "https"}
            and urlsplit(candidate).netloc
        ):
            return candidate
    return url


def _values(tree: html.HtmlElement, selectors: Iterable[str]) -> Iterable[str]:
    for selector in selectors:
        css, attr = compiled(selector)
        for element in css(tree):
            value = element.get(attr) if attr else element.text_content()
            if value and value.strip():
                yield normalize_line(value)


def _first_value(tree: html.HtmlElement, selectors: Iterable[str]) -> str | None:
    return next(iter(_values(tree, selectors)), None)


def _outlet(tree: html.HtmlElement, data: PageData, profile: SiteProfile | None, url: str) -> str:
    if profile and profile.outlet:
        # Naver's og:article:author reads "연합뉴스 | 네이버"; the outlet is the first part.
        value = _first_value(tree, profile.outlet)
        if value:
            return value.split("|")[0].strip()
    if profile:
        return profile.name
    return data.first("og:site_name") or (urlsplit(url).hostname or url)


def _title(
    tree: html.HtmlElement, data: PageData, profile: SiteProfile | None, outlet: str
) -> str | None:
    names = tuple(
        {outlet, data.first("og:site_name") or outlet, *(profile.hosts if profile else ())}
    )
    headline = data.article.get("headline")
    candidates: list[str | None] = [headline if isinstance(headline, str) else None]
    if profile:
        candidates.append(_first_value(tree, profile.title))
    candidates += [data.first("headline", "title"), data.first("og:title", "twitter:title")]
    candidates.append(tree.findtext(".//title"))
    for candidate in candidates:
        if candidate and candidate.strip():
            # Some outlets escape their meta titles twice ("&quot;" left after parsing).
            title = strip_title_suffix(
                unescape(candidate) if "&" in candidate else candidate, names
            )
            if title:
                return title
    return None


def _published(
    tree: html.HtmlElement, data: PageData, profile: SiteProfile | None, now: datetime | None
) -> str | None:
    meta = data.first(
        "article:published_time",
        "og:article:published_time",
        "pubdate",
        "publish-date",
        "article:published",
        "date",
    )
    for value in (meta, data.article.get("datePublished")):
        if isinstance(value, str) and (parsed := parse_date(value, now=now)):
            return parsed
    selectors = (
        *(profile.published if profile else ()),
        "[data-date-time]@data-date-time",
        "[data-deploy-dt]@data-deploy-dt",
        "[data-published-time]@data-published-time",
    )
    for value in _values(tree, selectors):
        if parsed := parse_date(value, now=now):
            return parsed
    return None


def _modified(
    tree: html.HtmlElement, data: PageData, profile: SiteProfile | None, now: datetime | None
) -> str | None:
    meta = data.first("article:modified_time", "og:article:modified_time", "og:updated_time")
    for value in (meta, data.article.get("dateModified")):
        if isinstance(value, str) and (parsed := parse_date(value, now=now)):
            return parsed
    selectors = (
        *(profile.modified if profile else ()),
        "[data-modify-date-time]@data-modify-date-time",
    )
    for value in _values(tree, selectors):
        if parsed := parse_date(value, now=now):
            return parsed
    return None


def _authors(
    tree: html.HtmlElement, data: PageData, profile: SiteProfile | None, outlet: str
) -> list[str]:
    not_people = {outlet, data.first("og:site_name") or outlet}
    sources: list[list[str]] = []
    if profile:
        sources.append(list(_values(tree, profile.author)))
    sources.append(json_ld_names(data.article.get("author")))
    sources.append([v for v in data.meta.get("author", []) if v.strip()])
    sources.append([v for v in data.meta.get("article:author", []) if "://" not in v])
    for values in sources:
        names = [name for value in values for name in split_names(value) if name not in not_people]
        if names:
            return _unique(names)
    return []


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _profile_body(tree: html.HtmlElement, profile: SiteProfile) -> list[str] | None:
    for selector in profile.body:
        css, _ = compiled(selector)
        elements = css(tree)
        if not elements:
            continue
        for element in elements:
            _drop(element, profile)
            drop_link_lines(element)
        lines = element_lines(elements)
        if sum(len(line) for line in lines) >= _MIN_TEXT:
            return lines
    return None


def _drop(element: html.HtmlElement, profile: SiteProfile | None) -> None:
    for selector in (*COMMON_DROP, *(profile.drop if profile else ())):
        css, _ = compiled(selector)
        for found in css(element):
            if found is not element and found.getparent() is not None:
                found.drop_tree()  # keeps the tail text, which belongs to the parent


def _embedded_body(page_html: str, profile: SiteProfile | None) -> list[str] | None:
    markup = embedded_article_html(page_html)
    if not markup:
        return None
    fragment = parse_fragment(markup)
    if fragment is None:
        return None
    if profile:
        for selector in profile.body:
            css, _ = compiled(selector)
            elements = css(fragment)
            if elements:
                for element in elements:
                    _drop(element, profile)
                return element_lines(elements)
    _drop(fragment, profile)
    return element_lines([fragment])


def _visible_date(
    lines: Iterable[str], pattern: re.Pattern[str], now: datetime | None
) -> str | None:
    for line in lines:
        if match := pattern.search(line):
            return parse_date(match.group(1), now=now)
    return None


def _byline_near(page_lines: list[str], paragraphs: list[str]) -> list[str]:
    """A whole-line byline within a few lines after the last paragraph or before the first."""
    if not paragraphs:
        return []
    ends = [i for i, line in enumerate(page_lines) if line == paragraphs[-1]]
    starts = [i for i, line in enumerate(page_lines) if line == paragraphs[0]]
    nearby = []
    if ends:
        nearby += page_lines[ends[-1] + 1 : ends[-1] + 4]
    if starts:
        nearby += page_lines[max(0, starts[0] - 4) : starts[0]]
    for line in nearby:
        if name := byline_name(line):
            return split_names(name)
    return []


def _head_lines(tree: html.HtmlElement) -> list[str]:
    """The page's visible text, first part only: datelines sit near the headline."""
    body = tree.find("body")
    if body is None:
        return []
    return element_lines([body])[:400]
