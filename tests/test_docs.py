"""The README and the manual (docs/, bench/RESULTS.md) document every command, configuration key
and setting of our own, and every command line, option, TOML example and link in them is real."""

from __future__ import annotations

import importlib
import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

import settings
from newswatch.cli import cli
from newswatch.config import KEYS, ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
RESULTS_PATH = ROOT / "bench" / "RESULTS.md"
# Every page the docs tests read: the README, the manual, the benchmark results.
PAGES = [README_PATH, *sorted((ROOT / "docs").glob("*.md")), RESULTS_PATH]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


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


def test_ci_runs_the_readmes_two_setup_commands() -> None:
    # .ci/run installs and tests the project exactly as the README tells a newcomer to.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert 'python -m pip install -e ".[test]"' in ci
    assert "pytest" in ci


def test_the_readme_is_a_door_not_the_manual() -> None:
    assert len(README.splitlines()) <= 300


# --- the text of the pages: code blocks, inline code, links, headings -------------------------

FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def code_blocks(text: str) -> Iterator[tuple[str, str]]:
    """(language, body) of every fenced block."""
    for match in FENCE.finditer(text):
        yield match.group(1), match.group(2)


def prose(text: str) -> str:
    """The text outside fenced blocks and inline code: where links and headings live."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def inline_code(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to -."""
    text = re.sub(r"`|\*\*", "", heading.strip()).lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"^#{1,6} (.+)$", line):
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_code_block_is_closed(page: Path) -> None:
    fences = [
        line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("```")
    ]
    assert len(fences) % 2 == 0
    assert all(fence == "```" for fence in fences[1::2]), "a block opens where one should close"


def test_slug_follows_github() -> None:
    assert slug("Measuring quality: `newswatch eval DIR [--json]`") == (
        "measuring-quality-newswatch-eval-dir---json"
    )
    assert slug("§2 Outlets") == "2-outlets"
    assert slug("Throughput (`bench_throughput.py`)") == "throughput-bench_throughputpy"


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_relative_link_resolves(page: Path) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", prose(page.read_text(encoding="utf-8")))
    for link in links:
        if re.match(r"^[a-z]+:", link):
            continue  # http(s), mailto: outside the checkout
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{_name(page)}: {link} names no file"
        if anchor:
            assert path.suffix == ".md", f"{_name(page)}: {link}"
            assert anchor in anchors(path), f"{_name(page)}: {link} names no heading"


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.md")), ids=_name)
def test_every_manual_page_is_in_its_index(page: Path) -> None:
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    if page.name != "README.md":
        assert f"]({page.name})" in index


REPO_PATH = re.compile(
    r"^(?:crawler|pipelines|archive|alerts|newswatch|tests|bench|deploy|docs)/[\w./-]+"
    r"\.(?:py|md|toml|service)$"
)


# bench/RESULTS.md is a log: it names files as they were when each figure was taken.
MANUAL = [page for page in PAGES if page != RESULTS_PATH]


@pytest.mark.parametrize("page", MANUAL, ids=_name)
def test_every_file_the_pages_name_exists(page: Path) -> None:
    for code in inline_code(page.read_text(encoding="utf-8")):
        name = code.split()[0] if code.split() else code
        if REPO_PATH.match(name):
            assert (ROOT / name).exists(), f"{_name(page)}: `{code}` names no file"


PYTHON_NAME = re.compile(r"^((?:crawler|pipelines|archive|alerts)(?:\.[A-Za-z_]+)+)(?:\(|$)")


@pytest.mark.parametrize("page", MANUAL, ids=_name)
def test_every_python_name_the_pages_give_exists(page: Path) -> None:
    for code in inline_code(page.read_text(encoding="utf-8")):
        if match := PYTHON_NAME.match(code):
            dotted = match.group(1).split(".")
            # The longest importable module prefix, then attributes.
            for cut in range(len(dotted), 0, -1):
                try:
                    found: object = importlib.import_module(".".join(dotted[:cut]))
                except ImportError:
                    continue
                for attribute in dotted[cut:]:
                    assert hasattr(found, attribute), f"{_name(page)}: `{code}`"
                    found = getattr(found, attribute)
                break
            else:
                pytest.fail(f"{_name(page)}: `{code}` names no module")


# --- command lines -------------------------------------------------------------------------------


def command_lines(text: str) -> Iterator[str]:
    """Every `newswatch …` a page shows: shell lines in code blocks, and inline code."""
    for language, body in code_blocks(text):
        if language in ("toml", "json", "cron", "csv"):
            continue
        for line in body.splitlines():
            if match := re.match(r"^(?:\$ )?(?:\S*/bin/)?(newswatch\s.*)$", line.strip()):
                yield match.group(1)
    for code in inline_code(text):
        if code.startswith("newswatch "):
            yield code


def _options(command: click.Command) -> dict[str, click.Option]:
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }


def _tokens(line: str) -> list[str]:
    line = re.split(r"\s(?:\||>>?|#|&&|2>)\s?", line)[0]  # up to a pipe, redirect or comment
    try:
        words = shlex.split(line)
    except ValueError:  # an unclosed quote in a usage line
        words = line.split()
    return [w.strip("[]").replace("\\|", "|") for w in words[1:]]


def check_command_line(line: str) -> None:
    """The subcommands a line names exist, and so does every option it gives them."""
    command: click.Command = cli
    tokens = _tokens(line)
    while tokens:
        token = tokens.pop(0)
        if token.startswith("-") and not token.startswith("--") and len(token) > 1:
            short = f"-{token[1]}"  # -v, -vv
            assert short in _options(command) or short == "-h", f"{line!r}: {token}"
        elif token.startswith("--"):
            name = token.split("=")[0]
            options = _options(command)
            assert name in options or name == "--help", f"{line!r}: {command.name} has no {name}"
            takes_value = not options[name].is_flag if name in options else False
            if isinstance(command, click.Group) and takes_value and "=" not in token and tokens:
                tokens.pop(0)  # the group option's value, before the subcommand
        elif isinstance(command, click.Group) and re.fullmatch(r"[a-z]+", token):
            assert token in command.commands, f"{line!r}: no command {token}"
            command = command.commands[token]


ALL_COMMAND_LINES = [
    (page, line) for page in PAGES for line in command_lines(page.read_text(encoding="utf-8"))
]


def test_the_pages_show_command_lines() -> None:
    assert len(ALL_COMMAND_LINES) > 50


@pytest.mark.parametrize(
    ("page", "line"),
    ALL_COMMAND_LINES,
    ids=[f"{_name(p)}:{n}" for n, (p, _) in enumerate(ALL_COMMAND_LINES)],
)
def test_every_command_line_in_the_pages_is_real(page: Path, line: str) -> None:
    check_command_line(line)


def test_a_wrong_command_line_is_caught() -> None:
    with pytest.raises(AssertionError):
        check_command_line("newswatch serch 엑사원")
    with pytest.raises(AssertionError):
        check_command_line("newswatch search 엑사원 --sinse 7d")
    check_command_line("newswatch --config newswatch.toml search 엑사원 --since 7d")
    check_command_line("newswatch crawl -vv --source yna")


# --- configuration examples ----------------------------------------------------------------------

TOML_BLOCKS = [
    (page, body)
    for page in PAGES
    for language, body in code_blocks(page.read_text(encoding="utf-8"))
    if language == "toml"
]


def test_the_pages_show_toml_examples() -> None:
    assert len(TOML_BLOCKS) >= 5


@pytest.mark.parametrize(
    ("page", "body"), TOML_BLOCKS, ids=[f"{_name(p)}:{n}" for n, (p, _) in enumerate(TOML_BLOCKS)]
)
def test_every_toml_example_parses_and_uses_known_keys(page: Path, body: str) -> None:
    data = tomllib.loads(body)
    for table, value in data.items():
        assert table in KEYS, f"{_name(page)}: unknown table [{table}]"
        for entry in value if isinstance(value, list) else [value]:
            assert set(entry) <= KEYS[table], f"{_name(page)}: [{table}] {set(entry) - KEYS[table]}"


def _readme_configuration() -> str:
    section = README[README.index("\n## Configuration") :]
    return next(body for language, body in code_blocks(section) if language == "toml")


def test_the_readmes_configuration_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "newswatch.toml"
    path.write_text(_readme_configuration(), encoding="utf-8")
    config = load_config(path)
    assert [source.name for source in config.sources] == ["yna"]


def test_the_readmes_configuration_error_is_the_real_one(tmp_path: Path) -> None:
    path = tmp_path / "newswatch.toml"
    path.write_text(_readme_configuration().replace('"rss"', '"telegraph"', 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    shown = re.search(r"^Error: (newswatch\.toml: .*)$", README, re.MULTILINE)
    assert shown is not None
    assert str(error.value) == shown.group(1).replace("newswatch.toml", str(path), 1)
    assert shown.group(0) in CONFIGURATION


@pytest.mark.parametrize("example", sorted((ROOT / "docs" / "examples").glob("*.toml")), ids=_name)
def test_every_example_file_loads(example: Path) -> None:
    assert load_config(example).watches


# --- benchmark results ---------------------------------------------------------------------------


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_benchmark_result_names_its_commit_and_machine() -> None:
    sections = _sections(RESULTS_PATH.read_text(encoding="utf-8"))
    assert len(sections) >= 6
    for title, body in sections.items():
        assert re.search(r"\bcommit [0-9a-f]{7}\b", body), title
        assert "Machine:" in body or "machine is not" in body, title
        assert "\n| " in body, f"{title}: no table"


def test_every_benchmark_script_the_results_name_exists() -> None:
    text = RESULTS_PATH.read_text(encoding="utf-8")
    scripts = set(re.findall(r"\bbench/(\w+\.py)\b", text))
    assert {"bench_throughput.py", "bench_dedup.py", "bench_query.py"} <= scripts
    for script in scripts:
        assert (ROOT / "bench" / script).exists(), script


def test_the_readme_keeps_no_benchmark_log() -> None:
    assert "pages/s" not in README
    assert "](bench/RESULTS.md)" in README
