"""Shared fixtures: a local news site, config files that point at it, a crawl runner, saved pages."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.newssite import NewsSite

CRAWL_TIMEOUT = 120  # seconds; a local crawl takes a few

PAGES_DIR = Path(__file__).parent / "pages"
# The gold set lives beside the checkout (../shared/goldset), as on CI; never copied into the repo.
GOLDSET_DIR = Path(
    os.environ.get("NEWSWATCH_GOLDSET", Path(__file__).resolve().parents[2] / "shared" / "goldset")
)


@pytest.fixture(scope="session")
def goldset_dir() -> Path:
    if not GOLDSET_DIR.is_dir():
        pytest.skip(f"gold set not found at {GOLDSET_DIR}; set NEWSWATCH_GOLDSET")
    return GOLDSET_DIR


@pytest.fixture
def site() -> Iterator[NewsSite]:
    server = NewsSite().start()
    yield server
    server.stop()


def write_config(
    path: Path,
    *,
    archive: Path,
    sources: list[tuple[str, str, str] | dict[str, object]],
    allow_private: bool = True,
    terms: tuple[str, ...] = ("LG AI연구원", "LG AI Research", "엑사원", "EXAONE"),
    delay: float = 0,
    extra: str = "",
) -> Path:
    """A config file: sources as (name, type, url) or as a table of keys; `extra` is appended."""
    lines = [
        "[archive]",
        f"path = {_toml(str(archive))}",
        "",
        "[watch]",
        'name = "LG AI Research"',
        f"terms = {_toml(list(terms))}",
        "",
        "[crawl]",
        f"delay = {delay}",
        f"allow_private = {_toml(allow_private)}",
        "",
    ]
    for source in sources:
        table = (
            dict(zip(("name", "type", "url"), source, strict=True))
            if isinstance(source, tuple)
            else source
        )
        lines += ["[[sources]]", *(f"{k} = {_toml(v)}" for k, v in table.items()), ""]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # No proxy or credentials leak in from the machine: a test passes what it means to use.
    drop = {"NEWSWATCH_CONFIG", "NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET"}
    env = {
        k: v for k, v in os.environ.items() if k not in drop and not k.lower().endswith("_proxy")
    }
    return env | {"COLUMNS": "200", "PYTHONIOENCODING": "utf-8"} | (extra or {})


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def newswatch(
    *args: str,
    cwd: Path | None = None,
    timeout: float = CRAWL_TIMEOUT,
    env: dict[str, str] | None = None,
) -> Run:
    """Run the real `newswatch` command in a child process (one reactor per crawl, as in use)."""
    done = subprocess.run(
        [sys.executable, "-m", "newswatch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
        env=_child_env(env),
    )
    return Run(done.returncode, done.stdout, done.stderr)


@contextlib.contextmanager
def datasette(config: Path, log: Path) -> Iterator[str]:
    """`newswatch serve` on a free 127.0.0.1 port; yields its base URL once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newswatch",
                "--config",
                str(config),
                "serve",
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=output,
            env=_child_env(),
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                assert server.poll() is None, log.read_text()
                try:
                    with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                        break
                except OSError:
                    assert time.monotonic() < deadline, "datasette did not answer within 30 s"
                    time.sleep(0.1)  # polling a condition with a deadline, not waiting blindly
            yield base
        finally:
            server.terminate()
            server.wait(timeout=15)
