"""Alert channels: apprise URLs made safe to show, and the per-message URL that carries a key."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit, urlunsplit

import apprise

from alerts.config import AlertChannel

MASK = "****"

# Apprise schemes that pass `+Header=value` to the receiver as an HTTP header and `:key=value`
# into the JSON body (apprise docs, "Notify_Custom_JSON"): a receiver can dedupe by the key.
IDEMPOTENT_SCHEMES = frozenset({"json", "jsons"})
# E-mail takes `+Header=value` too, but apprise sets its own random Message-ID after our headers,
# so the key goes in X-Newswatch-Key: a filter can use it, the server does not dedupe by it.
EMAIL_SCHEMES = frozenset({"mailto", "mailtos"})
KEY_HEADER = "Idempotency-Key"


def mask(text: str, channel: AlertChannel) -> str:
    """`text` with every secret of the channel (expanded ${VAR}s, the URL's password) masked."""
    for secret in sorted(_secrets(channel), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _secrets(channel: AlertChannel) -> set[str]:
    found = {s for s in channel.secrets if len(s) >= 3}
    try:
        password = urlsplit(channel.url).password
    except ValueError:
        password = None
    if password and len(password) >= 3:
        found.add(password)
    plugin = _instantiate(channel.url)
    if plugin is not None and isinstance(getattr(plugin, "password", None), str):
        found.add(plugin.password)
    return {s for s in found if len(s) >= 3}


def label(channel: AlertChannel) -> str:
    """The channel as people may see it: apprise's privacy form (tokens shortened), masked."""
    plugin = _instantiate(channel.url)
    shown = plugin.url(privacy=True) if plugin is not None else _strip_password(channel.url)
    return mask(shown.split("?", 1)[0], channel)


def unsupported_reason(channel: AlertChannel) -> str | None:
    """Why apprise cannot use this URL (one phrase, secrets masked), or None when it can."""
    if _instantiate(channel.url) is None:
        scheme = channel.template.split("://", 1)[0] if "://" in channel.template else "?"
        return (
            f"is not an apprise URL newswatch can use (scheme {scheme!r}; see apprise's list of"
            " services)"
        )
    return None


def _instantiate(url: str) -> Any:
    # Apprise logs a rejected URL in full; keep that out of every log.
    with apprise_log():
        return apprise.Apprise.instantiate(url)


@contextmanager
def apprise_log(level: int = logging.WARNING) -> Iterator[io.StringIO]:
    """Capture apprise's log lines instead of letting them reach our logs unmasked."""
    logger = logging.getLogger("apprise")
    propagate = logger.propagate
    logger.propagate = False
    try:
        with apprise.LogCapture(level=level, fmt="%(message)s") as output:
            yield output
    finally:
        logger.propagate = propagate


def _strip_password(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    if parts.password:
        netloc = f"{parts.username}:{MASK}@{parts.hostname}" + (
            f":{parts.port}" if parts.port else ""
        )
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def delivery_url(channel: AlertChannel, key: str) -> str:
    """The channel's URL carrying `key` as a header (and in the JSON body) where apprise can."""
    parts = urlsplit(channel.url)
    scheme = parts.scheme.lower()
    if scheme in IDEMPOTENT_SCHEMES:
        extra = [(f"+{KEY_HEADER}", key), (":idempotency_key", key)]
    elif scheme in EMAIL_SCHEMES:
        extra = [("+X-Newswatch-Key", key)]
    else:
        return channel.url
    return _with_query(parts, extra)


def _with_query(parts: SplitResult, extra: list[tuple[str, str]]) -> str:
    query = [*parse_qsl(parts.query, keep_blank_values=True), *extra]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote, safe="@")))


def body_format(channel: AlertChannel) -> str:
    """The format the service prefers (html, markdown or text), so apprise converts nothing."""
    plugin = _instantiate(channel.url)
    formats = getattr(plugin, "notify_format", apprise.NotifyFormat.TEXT)
    first = formats[0] if isinstance(formats, tuple | list) else formats
    return str(getattr(first, "value", first))
