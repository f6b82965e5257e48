"""README.md documents every command; docs/configuration.md every configuration key and every
setting of our own."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

import settings
from newswatch.cli import cli
from newswatch.config import KEYS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
CONFIGURATION = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(
    encoding="utf-8"
)


def _commands(group: click.Group, prefix: str = "newswatch") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in README


@pytest.mark.parametrize(
    ("table", "key"), [(t, k) for t, keys in KEYS.items() for k in sorted(keys)]
)
def test_every_config_key_is_documented(table: str, key: str) -> None:
    heading = f"[[{table}]]" if table in ("sources", "alerts", "watches") else f"[{table}]"
    assert f"`{heading} {key}`" in CONFIGURATION


OUR_SETTINGS = [
    name
    for name in dir(settings)
    if re.match(r"^(ARCHIVE|WATCH|NEWSWATCH|POLITENESS|DEDUP)_", name)
]


@pytest.mark.parametrize("name", OUR_SETTINGS)
def test_every_setting_of_ours_is_documented(name: str) -> None:
    assert f"`{name}`" in CONFIGURATION


def test_the_readme_shows_the_two_setup_commands_and_the_main_job() -> None:
    assert 'python -m pip install -e ".[test]"\npytest' in README
    assert "newswatch crawl" in README
