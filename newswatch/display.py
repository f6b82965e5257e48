"""How archived values reach people: text safe for a terminal, times in KST, whole-line tables.

Everything a command prints from the archive (titles, outlets, URLs, errors a server sent) is
untrusted, so it goes through `terminal_safe` once, here. Tables are rich tables on a terminal and
tab-separated lines anywhere else (cron mail, a pipe, a log file, systemd's journal), where a
table squeezed to 80 columns would cut names and split URLs.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from crawler.clock import KST
from crawler.terminal import TERMINAL_UNSAFE as _TERMINAL_UNSAFE
from crawler.terminal import TerminalSafeFormatter, terminal_safe

__all__ = ["TerminalSafeFormatter", "terminal_safe"]  # re-exported: the commands print through here

# Inside one line of a tab-separated table, a tab or a line break in a value becomes a space.
_CELL_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")


def safe_text(value: object, style: str = "") -> Text:
    """Untrusted text for rich: a Text (never parsed as markup) that is `terminal_safe`."""
    return Text(terminal_safe(value), style=style)


def json_text(data: object, *, indent: int | None = None) -> str:
    """JSON of untrusted text that is safe on a terminal too: the characters `terminal_safe`
    drops are written as \\u escapes (json leaves DEL, C1 and bidi raw), so the data is exact."""
    dumped = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    return _TERMINAL_UNSAFE.sub(lambda found: f"\\u{ord(found[0]):04x}", dumped)


def kst_time(value: str | None) -> str:
    """A stored time as every command shows it: `2025-07-15 10:40`, in KST ("" for none).

    Stored times carry their offset (+09:00); one without is KST already. A bare date stays a date
    (the page gave no time), and text that is no time at all is shown as it is.
    """
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return terminal_safe(value)
    if len(value) <= 10:
        return moment.date().isoformat()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M")


def on_terminal() -> bool:
    return sys.stdout.isatty()


def console() -> Console:
    """A console for prose (show): on a terminal it wraps to the width, elsewhere never."""
    return Console(soft_wrap=not on_terminal())


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
    if not _TERMINAL_UNSAFE.search(text.plain):
        return text
    kept = Text(style=text.style)
    for index, char in enumerate(text.plain):
        if not _TERMINAL_UNSAFE.match(char):
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
