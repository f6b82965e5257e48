"""Render a saved page in headless Chromium (Debian's package; .ci/run installs it) and read back
the <body> tag the page's own script annotated with what it drew."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    return found


def rendered_body_tag(page: Path, profile: Path) -> str:
    """The <body ...> start tag of `page` after Chromium ran its script (its data-* attributes)."""
    dom = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    return body[0]
