"""How archived values reach people: text safe for a terminal, JSON, times in KST.

Everything a command prints from the archive (titles, outlets, URLs, errors a server sent) is
untrusted, so it goes through `terminal_safe` once, here (crawler/terminal.py holds the filter).
Tables are newswatch/tables.py's.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from rich.console import Console
from rich.text import Text

from crawler.clock import KST
from crawler.terminal import TERMINAL_UNSAFE as _TERMINAL_UNSAFE
from crawler.terminal import TerminalSafeFormatter, terminal_safe

__all__ = ["TerminalSafeFormatter", "terminal_safe"]  # re-exported: the commands print through here


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
