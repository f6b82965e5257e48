"""Tables for the terminal and for everywhere else (cron mail, pipes, log files, systemd).

`crawl`, `runs` and `sources` print with these: padded columns read better than tabs in cron mail
for tables of counts; the other commands use newswatch/display.py's tab-separated lines.
On a terminal: a rich table when it fits the terminal's width. Anywhere else, and on a terminal
too narrow for the table: plain lines, columns padded with spaces and never cut or wrapped, so a
source name or a URL stays whole and greppable whatever the width the output is read at.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from newswatch.display import kst_time, terminal_safe


def safe(value: object) -> str:
    """Text from pages and files, fit for a terminal or a log: the one filter every command uses
    (newswatch/display.py)."""
    return terminal_safe(value)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    numeric: bool = False  # right-aligned
    whole: bool = False  # a name or a URL (documents the column: no column is ever cut)


def kst(moment: str | None) -> str:
    """A stored time as every command shows it (KST, with the date; newswatch/display.py)."""
    return kst_time(moment) or "-"


def is_terminal(out: IO[str]) -> bool:
    return bool(getattr(out, "isatty", lambda: False)())


def print_table(
    columns: Sequence[Column],
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
    columns: Sequence[Column], rows: Sequence[Sequence[str]], *, title: str = ""
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
    columns: Sequence[Column], rows: Sequence[Sequence[str]], *, title: str, out: IO[str]
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


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    return [max([_width(c.name), *(_width(row[i]) for row in rows)]) for i, c in enumerate(columns)]


def _width(text: str) -> int:
    """Display width: Korean and other wide characters take two columns."""
    return cell_len(text)


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap
