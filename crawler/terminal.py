"""Untrusted text made safe to print: control and bidi characters out, for terminals and logs.

It lives at the bottom layer because the scheduler's log lines need it as much as the CLI's tables
(newswatch.display re-exports it for the commands).
"""

from __future__ import annotations

import logging
import re

# Terminal control characters (C0 but newline, DEL, the C1 set with its one-byte CSI U+009B) and
# bidi marks, overrides and isolates would recolour, move or reorder the terminal's output (or a log
# viewer's); they are shown as nothing.
TERMINAL_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(value: object) -> str:
    """Untrusted text as it may be printed: without control and bidi characters (newlines kept)."""
    return TERMINAL_UNSAFE.sub("", "" if value is None else str(value))


class TerminalSafeFormatter(logging.Formatter):
    """A log formatter for handlers that reach a terminal or a journal: log lines quote titles,
    URLs and servers' answers, so each whole line passes `terminal_safe`."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))
