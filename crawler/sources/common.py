"""Requests for a source's own channel (a feed, a sitemap, a search feed), read conditionally.

Shared by the source types whose channel is one URL read every crawl; they never import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.sources.base import Crawl, Source


def channel_request(
    url: str,
    source: Source,
    crawl: Crawl,
    callback: Callable[..., Any],
    state: Mapping[str, Any],
    *,
    top: bool,
) -> scrapy.Request:
    """A GET of the channel at `url`, conditional on the validators in `state`; the callback
    gets `top` (the configured URL, not a child sitemap) as a keyword."""
    headers = {}
    # Conditional request: an unchanged feed costs one small 304 response.
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return scrapy.Request(
        url,
        callback=callback,
        errback=crawl.source_failed,
        headers=headers,
        cb_kwargs={"top": top},
        meta={"source": source.name, "handle_httpstatus_list": [304]},
        dont_filter=True,  # read every crawl, even if an article shares its URL
    )


def changed(response: Response, source: Source, crawl: Crawl, *, top: bool) -> bool:
    """Whether the channel has something to read: False (counted) for a 304. The validators of
    the configured URL are remembered for the next crawl's conditional request."""
    if response.status == 304:
        crawl.count(source.name, "not_modified")
        return False
    if top:  # validators belong to the configured URL, not to child sitemaps
        _remember_validators(response, source, crawl)
    return True


def response_headers(response: Response) -> dict[str, str]:
    """The response's headers as one lower-case name to one value, as extraction takes them."""
    return {
        k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
        for k, v in response.headers.items()
    }


def content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _remember_validators(response: Response, source: Source, crawl: Crawl) -> None:
    if response.request is None or response.request.url != response.url:
        return  # validators of a redirect target do not belong to the configured URL
    etag = response.headers.get("ETag")
    modified = response.headers.get("Last-Modified")
    crawl.remember(
        source.name,
        etag=etag.decode("latin-1") if etag else None,
        last_modified=modified.decode("latin-1") if modified else None,
    )
