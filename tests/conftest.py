"""Shared fixtures: where the recorded pages live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PAGES_DIR = Path(__file__).parent / "pages"
GOLDSET_DIR = Path(os.environ.get("NEWSWATCH_GOLDSET", "/work/shared/goldset"))


@pytest.fixture(scope="session")
def goldset_dir() -> Path:
    if not GOLDSET_DIR.is_dir():
        pytest.skip(f"gold set not found at {GOLDSET_DIR}; set NEWSWATCH_GOLDSET")
    return GOLDSET_DIR
