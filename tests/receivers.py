"""Real alert receivers on 127.0.0.1: a webhook that records POSTs, and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def wait_for(condition: Callable[[], bool], *, timeout: float = 10.0) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds (never sleep blindly)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.02)


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int  # what the receiver answered


@dataclass
class WebhookReceiver:
    """Answers POSTs with scripted status codes (then 200) and dedupes by Idempotency-Key."""

    statuses: list[int] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with receiver._lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.posts.append(
                        Post(
                            self.path, dict(self.headers.items()), json.loads(raw or b"{}"), status
                        )
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook", scheme: str = "json") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def accepted(self) -> list[Post]:
        """Messages taken (2xx), each idempotency key once: what a deduping receiver keeps."""
        with self._lock:
            seen: set[str] = set()
            kept = []
            for post in self.posts:
                key = post.headers.get("Idempotency-Key", "")
                if 200 <= post.status < 300 and (not key or key not in seen):
                    seen.add(key)
                    kept.append(post)
            return kept


def _free_port() -> int:
    # aiosmtpd's Controller connects to its port to check it is up, so it needs a real number.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


class SmtpReceiver:
    """A real SMTP server on 127.0.0.1 that requires a login (over plain text: test only)."""

    def __init__(self, user: str, password: str) -> None:
        self.mailbox = _Mailbox()

        def authenticate(
            server: object, session: object, envelope: object, mechanism: str, data: object
        ) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                user.encode(),
                password.encode(),
            )
            return AuthResult(success=ok)

        self.controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=_free_port(),
            authenticator=authenticate,
            auth_require_tls=False,
        )

    def start(self) -> SmtpReceiver:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages
