"""Why a request failed, in the words a person reads in the crawl summary and `newswatch runs`.

Scrapy wraps Twisted's errors in its own (scrapy/utils/_download_handlers.py); the wrapped error
stays as `__cause__`, and it is what says whether a connection was reset or a TLS handshake failed.
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

_SIMPLE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, tx.DNSLookupError), "DNS lookup failed"),
    ((DownloadConnectionRefusedError, tx.ConnectionRefusedError), "connection refused"),
    ((ResponseDataLossError,), "connection closed before the whole body arrived (data loss)"),
    ((tx.NoRouteError,), "no route to host"),
)
_TIMEOUTS = (DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError)
# After TLS: a failed handshake also reports the connection it lost.
_BROKEN = (
    DownloadFailedError,
    ResponseFailed,
    ResponseNeverReceived,
    tx.ConnectionLost,
    tx.ConnectionDone,
    tx.ConnectionAborted,
)


def describe(exc: BaseException, *, timeout: float | None = None) -> str:
    """A short reason for a failed download: 'DNS lookup failed', 'connection refused', …"""
    chain = _chain(exc)
    for kinds, words in _SIMPLE:
        if any(isinstance(e, kinds) for e in chain):
            return words
    if any(isinstance(e, _TIMEOUTS) for e in chain):
        return f"timed out after {timeout:g} s" if timeout else "timed out"
    tls = next((e for e in chain if _is_tls(e)), None)
    if tls is not None:
        return f"TLS error: {_tls_words(tls)}"
    if any(isinstance(e, _BROKEN) for e in chain):  # closed mid-answer, for another reason
        return "connection reset"
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it was raised from, and the reasons a ResponseFailed carries."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        current = todo.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        if current.__cause__ is not None:
            todo.append(current.__cause__)
        for reason in getattr(current, "reasons", None) or []:  # ResponseFailed: Failures
            value = getattr(reason, "value", None)
            if isinstance(value, BaseException):
                todo.append(value)
    return seen


def _is_tls(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.startswith(("OpenSSL", "ssl")) or isinstance(exc, tx.CertificateError)


def _tls_words(exc: BaseException) -> str:
    args = getattr(exc, "args", ())
    # pyOpenSSL's errors carry [(library, function, reason), ...]: the reason says it best.
    if args and isinstance(args[0], list) and args[0] and isinstance(args[0][0], tuple):
        return str(args[0][0][-1])
    return str(exc) or type(exc).__name__
