"""Every table a command prints, in both of its forms: one module owns table output.

On a terminal both are rich tables that never cut a cell. Anywhere else (cron mail, a pipe, a log
file, systemd's journal), where a table squeezed to 80 columns would cut names and split URLs:
- `print_table` (search, show's lists, stats, stories, alerts) writes whole tab-separated lines;
- `print_padded` (crawl, runs and sources: tables of counts, which read better padded than
  tabbed in cron mail) writes plain lines, columns padded with spaces and never cut or wrapped,
  and falls back to them on a terminal too narrow for the table, so a source name or a URL stays
  whole and greppable whatever the width the output is read at.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Literal

import click
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from crawler.terminal import TERMINAL_UNSAFE
from newswatch.display import kst_time, on_terminal, safe_text, terminal_safe

# Inside one line of a tab-separated table, a tab or a line break in a value becomes a space.
_CELL_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")


def safe(value: object) -> str:
    """Text from pages and files, fit for a terminal or a log: the one filter every command uses
    (newswatch/display.py)."""
    return terminal_safe(value)


@dataclass(frozen=True, slots=True)
class PaddedColumn:
    """A column of `print_padded`."""

    name: str
    numeric: bool = False  # right-aligned
    whole: bool = False  # a name or a URL (documents the column: no column is ever cut)


def kst(moment: str | None) -> str:
    """A stored time as every command shows it (KST, with the date; newswatch/display.py)."""
    return kst_time(moment) or "-"


def is_terminal(out: IO[str]) -> bool:
    return bool(getattr(out, "isatty", lambda: False)())


def print_padded(
    columns: Sequence[PaddedColumn],
    rows: Sequence[Sequence[object]],
    *,
    title: str = "",
    out: IO[str] | None = None,
) -> None:
    """Print rows under column headings: a rich table on a terminal, plain whole lines elsewhere."""
    out = out or sys.stdout
    cells = [[safe(cell) for cell in row] for row in rows]
    if is_terminal(out):
        _rich(columns, cells, title=title, out=out)
    else:
        out.write(plain_table(columns, cells, title=title))
        out.flush()


def plain_table(
    columns: Sequence[PaddedColumn], rows: Sequence[Sequence[str]], *, title: str = ""
) -> str:
    """The table as lines of text: each column as wide as its widest cell, two spaces apart."""
    widths = _widths(columns, rows)
    lines = [title] if title else []
    for row in [[c.name for c in columns], *rows]:
        cells = [
            _pad(cell, width, right=column.numeric)
            for cell, width, column in zip(row, widths, columns, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _rich(
    columns: Sequence[PaddedColumn], rows: Sequence[Sequence[str]], *, title: str, out: IO[str]
) -> None:
    """A rich table when it fits the terminal; when it does not, rich would squeeze columns to
    nothing or drop them, so the plain lines are printed instead (the terminal wraps them)."""
    console = Console(file=out)
    table = Table(title=title or None, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    for column in columns:
        table.add_column(
            column.name, justify="right" if column.numeric else "left", overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # never rich markup: cells come from pages
    # Each column as wide as its widest cell, one space of padding on each side.
    needed = sum(w + 2 for w in _widths(columns, rows)) + 2
    if needed <= console.width:
        console.print(table)
    else:
        out.write(plain_table(columns, rows, title=title))
        out.flush()


def _widths(columns: Sequence[PaddedColumn], rows: Sequence[Sequence[str]]) -> list[int]:
    return [max([_width(c.name), *(_width(row[i]) for row in rows)]) for i, c in enumerate(columns)]


def _width(text: str) -> int:
    """Display width: Korean and other wide characters take two columns."""
    return cell_len(text)


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


# --- tab-separated off a terminal -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A table column. `kind`: "text" may wrap (titles, names, URLs fold, never cut); "value"
    (ids, counts, times) stays on one line.

    No minimum widths: rich honours one even past the terminal's width, and crops the table.
    """

    heading: str
    kind: Literal["text", "value"] = "text"
    justify: Literal["left", "right"] = "left"


Cell = str | int | Text | None


def _cell_text(cell: Cell) -> Text:
    if isinstance(cell, Text):  # styled or highlighted already: its characters still pass
        return _filtered(cell)
    return safe_text("" if cell is None else cell)


def _filtered(text: Text) -> Text:
    """A rich Text minus unsafe characters, its styles kept (spans shift with the removals)."""
    if not TERMINAL_UNSAFE.search(text.plain):
        return text
    kept = Text(style=text.style)
    for index, char in enumerate(text.plain):
        if not TERMINAL_UNSAFE.match(char):
            kept.append(text[index : index + 1])
    return kept


def _plain(cell: object) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return "" if cell is None else str(cell)


def tsv_line(cells: Iterable[object]) -> str:
    """One whole line: tab-separated cells, terminal-safe, their own tabs and breaks as spaces."""
    return "\t".join(terminal_safe(_CELL_BREAKS.sub(" ", _plain(c))).strip() for c in cells)


def print_table(
    columns: Sequence[Column], rows: Iterable[Sequence[Cell]], *, title: str | None = None
) -> None:
    """A table on stdout: rich on a terminal (nothing cut), whole tab-separated lines elsewhere."""
    if not on_terminal():
        if title:
            click.echo(terminal_safe(title))
        click.echo(tsv_line(c.heading for c in columns))
        for row in rows:
            click.echo(tsv_line(row))
        return
    table = Table(title=title and terminal_safe(title), title_justify="left")
    for column in columns:
        wraps = column.kind == "text"
        table.add_column(
            column.heading,
            justify=column.justify,
            no_wrap=not wraps,
            overflow="fold",  # a long name or URL breaks across lines in its cell, never "…"
        )
    for row in rows:
        table.add_row(*(_cell_text(cell) for cell in row))
    Console().print(table)
