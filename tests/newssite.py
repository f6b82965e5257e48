"""A real news site on 127.0.0.1 for tests: routes of bytes, and a log of every request served."""

from __future__ import annotations

import threading
import time
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


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    headers: dict[str, str]


class NewsSite:
    """Serves registered routes; `{base}` in a body becomes the site's own base URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site._serve(self, send_body=True)

            def do_HEAD(self) -> None:
                site._serve(self, send_body=False)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
                pass  # the hit log is the record; keep test output quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> NewsSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        data = data.replace(b"{base}", self.base_url.encode("ascii"))
        self.routes[path] = Route(
            data, status, {"Content-Type": content_type} | (headers or {}), delay
        )

    def add_page(
        self,
        path: str,
        filename: str,
        *,
        content_type: str = "text/html; charset=utf-8",
        delay: float = 0.0,
    ) -> None:
        self.add(path, (SITE_DIR / filename).read_bytes(), content_type=content_type, delay=delay)

    def url(self, path: str) -> str:
        return self.base_url + path

    def requested(self, path: str) -> int:
        """How many GET requests reached `path` (query string included when given)."""
        with self._lock:
            return sum(
                1
                for h in self.hits
                if h.method == "GET"
                and (h.path == path or ("?" not in path and urlsplit(h.path).path == path))
            )

    def article_requests(self) -> list[str]:
        """Paths requested other than robots.txt and feeds (anything ending .xml)."""
        with self._lock:
            return [
                h.path
                for h in self.hits
                if h.path != "/robots.txt" and not urlsplit(h.path).path.endswith(".xml")
            ]

    def _serve(self, handler: BaseHTTPRequestHandler, *, send_body: bool) -> None:
        with self._lock:
            self.hits.append(Hit(handler.command, handler.path, dict(handler.headers.items())))
        route = self.routes.get(handler.path) or self.routes.get(urlsplit(handler.path).path)
        if route is None:
            route = Route(b"not found", 404, {"Content-Type": "text/plain"})
        if route.delay:
            time.sleep(route.delay)  # the server being slow, not a test waiting
        try:
            handler.send_response(route.status)
            for name, value in route.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(route.body)))
            handler.end_headers()
            if send_body:
                handler.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a killed crawl); nothing to serve
