"""A real news site on 127.0.0.1 for tests: routes of bytes, and a log of every request served.

It also answers as an HTTP proxy: a crawl started with `http_proxy` set to `site.base_url` can use
real outlet addresses (http://www.yna.co.kr/…, http://n.news.naver.com/…) while every connection
goes to 127.0.0.1. Routes are keyed by path ("/feed.xml", for direct requests) or by full URL
("http://m.yna.co.kr/view/…", for proxied ones); a full URL with its query string wins.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SITE_DIR = Path(__file__).parent / "site"


@dataclass(frozen=True)
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the response starts: a slow server
    # Faults. `length`: the Content-Length to declare (None: the true size; -1: none, the body
    # ends when the connection closes); `repeat`: send the body this many times (a huge body
    # streamed without holding it); `fault`: "hang" (accept, never answer) or "reset" (a TCP
    # reset halfway through the body).
    length: int | None = None
    repeat: int = 1
    fault: str = ""


@dataclass(frozen=True)
class Hit:
    method: str
    url: str  # full URL for proxied requests, path for direct ones
    headers: dict[str, str]
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)  # when the request arrived

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


Handler = Callable[[Hit], Route]


class NewsSite:
    """Serves registered routes; `{base}` in a body becomes the site's own base URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.hits: list[Hit] = []
        self.sent: dict[str, int] = {}  # body bytes written, by request URL (path or full URL)
        self._stopping = threading.Event()  # releases routes that never answer
        self._lock = threading.Lock()
        site = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site._serve(self)

            def do_HEAD(self) -> None:
                site._serve(self, send_body=False)

            def do_POST(self) -> None:
                site._serve(self)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
                pass  # the hit log is the record; keep test output quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> NewsSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def add(
        self,
        where: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        length: int | None = None,
        repeat: int = 1,
        fault: str = "",
    ) -> None:
        """Serve `body` at a path or a full URL. An ETag header makes the route answer
        If-None-Match with 304, as real feeds do; `delay` makes it slow to start answering;
        `length`, `repeat` and `fault` make it misbehave (see Route)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        data = data.replace(b"{base}", self.base_url.encode("ascii"))
        self.routes[where] = Route(
            data,
            status,
            {"Content-Type": content_type} | (headers or {}),
            delay,
            length,
            repeat,
            fault,
        )

    def add_page(
        self,
        where: str,
        filename: str,
        *,
        content_type: str = "text/html; charset=utf-8",
        delay: float = 0.0,
    ) -> None:
        self.add(where, (SITE_DIR / filename).read_bytes(), content_type=content_type, delay=delay)

    def add_handler(self, where: str, handler: Handler) -> None:
        """Answer `where` with whatever `handler` returns for each request."""
        self.routes[where] = handler

    def url(self, path: str) -> str:
        return self.base_url + path

    def requested(self, where: str) -> int:
        """How many GET requests reached `where` (a path or full URL; its query string counts
        only when given)."""
        return len(self.requests_to(where))

    def requests_to(self, where: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.method == "GET" and _matches(h.url, where)]

    def article_requests(self) -> list[str]:
        """URLs requested other than robots.txt and feeds (anything ending .xml)."""
        with self._lock:
            return [
                h.url
                for h in self.hits
                if not urlsplit(h.url).path.endswith(("/robots.txt", ".xml"))
            ]

    def _serve(self, handler: BaseHTTPRequestHandler, *, send_body: bool = True) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        hit = Hit(
            handler.command,
            handler.path,
            dict(handler.headers.items()),
            handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.hits.append(hit)
        route = self._route(hit)
        etag = route.headers.get("ETag")
        if etag and hit.headers.get("If-None-Match") == etag:
            route = Route(b"", 304, {"ETag": etag})
        if route.delay:
            time.sleep(route.delay)  # the server being slow, not a test waiting
        if route.fault == "hang":
            handler.close_connection = True
            self._stopping.wait()  # accepted, never answered, until the site stops
            return
        size = len(route.body) * route.repeat
        declared = size if route.length is None else route.length
        try:
            handler.send_response(route.status)
            for name, value in route.headers.items():
                handler.send_header(name, value)
            if declared >= 0:
                handler.send_header("Content-Length", str(declared))
            else:
                handler.send_header("Connection", "close")
            handler.end_headers()
            if send_body:
                self._write_body(handler, hit, route)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a killed crawl, a refused body); nothing to serve
        if route.fault == "reset":
            # SO_LINGER 0: close() sends a TCP reset instead of an orderly end.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.close_connection = True
            # Closed before the server's own shutdown(SHUT_WR), which would send a clean FIN.
            handler.connection.close()
        if declared != size:  # a body shorter (or longer) than declared ends the connection
            handler.close_connection = True

    def _write_body(self, handler: BaseHTTPRequestHandler, hit: Hit, route: Route) -> None:
        body = route.body[: len(route.body) // 2] if route.fault == "reset" else route.body
        for _ in range(route.repeat):
            handler.wfile.write(body)
            with self._lock:
                self.sent[hit.url] = self.sent.get(hit.url, 0) + len(body)
            if self._stopping.is_set():
                return
        handler.wfile.flush()

    def _route(self, hit: Hit) -> Route:
        parts = urlsplit(hit.url)
        candidates = [hit.url]
        if parts.netloc:  # proxied: the full URL, then without its query
            candidates.append(f"{parts.scheme}://{parts.netloc}{parts.path}")
        candidates += [hit.path, parts.path]
        for key in candidates:
            found = self.routes.get(key)
            if found is not None:
                return found(hit) if callable(found) else found
        return Route(b"not found", 404, {"Content-Type": "text/plain"})


def _matches(url: str, where: str) -> bool:
    if url == where:
        return True
    parts = urlsplit(url)
    if "://" in where:
        return "?" not in where and f"{parts.scheme}://{parts.netloc}{parts.path}" == where
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path == where or ("?" not in where and parts.path == where)
