"""Shared fixtures: a local news site, config files that point at it, a crawl runner, saved pages."""

from __future__ import annotations

import os
import subprocess
import sys
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
    sources: list[tuple[str, str, str]],
    allow_private: bool = True,
    terms: tuple[str, ...] = ("LG AI연구원", "LG AI Research", "엑사원", "EXAONE"),
    delay: float = 0,
) -> Path:
    lines = [
        "[archive]",
        f'path = "{archive}"',
        "",
        "[watch]",
        'name = "LG AI Research"',
        "terms = [" + ", ".join(f'"{t}"' for t in terms) + "]",
        "",
        "[crawl]",
        f"delay = {delay}",
        f"allow_private = {str(allow_private).lower()}",
        "",
    ]
    for name, kind, url in sources:
        lines += ["[[sources]]", f'name = "{name}"', f'type = "{kind}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSWATCH_CONFIG"}
    return env | {"COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}


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
        env=_child_env() | (env or {}),
    )
    return Run(done.returncode, done.stdout, done.stderr)
