"""Parse the date forms Korean news pages use into ISO 8601 strings with the +09:00 offset."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import dateparser

from crawler.clock import KST

# dateparser returns None when any of these labels precede the date (docs/sources.md §5): strip
# them.
_LABEL = re.compile(
    r"^\s*(?:기사입력|최종수정|최종\s*업데이트|입력|수정|송고|업데이트|등록|승인)\s*:?\s*"
)
_NUMERIC = re.compile(
    r"(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\.?"
    r"(?:[\sT]*(오전|오후|AM|PM|am|pm)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_KOREAN = re.compile(
    r"(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일\s*(?:(오전|오후)?\s*(\d{1,2})(?:시|:)\s*(?:(\d{1,2})분?)?)?"
)
_RELATIVE = re.compile(r"^(\d+)\s*(초|분|시간|일|주)\s*전$")
_RELATIVE_UNITS = {"초": "seconds", "분": "minutes", "시간": "hours", "일": "days", "주": "weeks"}
_RFC822 = re.compile(r"^[A-Z][a-z]{2},\s+\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}")
_ISO_TZ_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def to_iso(moment: datetime) -> str:
    """Format a datetime as ISO 8601 in Seoul time; naive values are read as Seoul time."""
    moment = moment.replace(tzinfo=KST) if moment.tzinfo is None else moment.astimezone(KST)
    return moment.replace(microsecond=0).isoformat()


def strip_label(text: str) -> str:
    """Remove a leading 입력/수정/송고… label and its optional colon."""
    return _LABEL.sub("", text.strip(), count=1)


def _hour(hour: int, meridiem: str | None) -> int:
    if meridiem in {"오후", "PM", "pm"} and hour < 12:
        return hour + 12
    if meridiem in {"오전", "AM", "am"} and hour == 12:
        return 0
    return hour


def _from_parts(parts: tuple[str | None, ...]) -> datetime | None:
    year, month, day, meridiem, hour, minute, second = parts
    try:
        return datetime(
            int(year or 0),
            int(month or 0),
            int(day or 0),
            _hour(int(hour), meridiem) if hour else 0,
            int(minute) if minute else 0,
            int(second) if second else 0,
            tzinfo=KST,
        )
    except ValueError:
        return None


# One return per recognised form reads more plainly than a dispatch table.
def parse_date(text: str | None, *, now: datetime | None = None) -> str | None:  # noqa: PLR0911
    """Parse one date string (metadata or visible text) to ISO 8601 with +09:00, or None.

    `now` anchors relative forms such as "3시간 전"; naive `now` is read as Seoul time.
    """
    if not text:
        return None
    value = strip_label(" ".join(text.split()))
    if not value or len(value) > 80:
        return None
    iso = _parse_iso(value)
    if iso:
        return iso
    if _RFC822.match(value):
        try:
            return to_iso(parsedate_to_datetime(value))
        except (TypeError, ValueError):
            return None
    if match := _NUMERIC.search(value):
        moment = _from_parts(match.groups())
        return to_iso(moment) if moment else None
    if match := _KOREAN.search(value):
        year, month, day, meridiem, hour, minute = match.groups()
        moment = _from_parts((year, month, day, meridiem, hour, minute, None))
        return to_iso(moment) if moment else None
    base = _aware(now)
    if match := _RELATIVE.match(value):
        amount, unit = int(match.group(1)), _RELATIVE_UNITS[match.group(2)]
        return to_iso(base - timedelta(**{unit: amount}))
    return _parse_with_dateparser(value, base)


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC).astimezone(KST)
    return now.replace(tzinfo=KST) if now.tzinfo is None else now.astimezone(KST)


def _parse_iso(value: str) -> str | None:
    if not value[:4].isdigit() or len(value) < 10 or value[4] != "-":
        return None
    candidate = value.replace("Z", "+00:00")
    candidate = _ISO_TZ_NO_COLON.sub(r"\1:\2", candidate)
    try:
        return to_iso(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _parse_with_dateparser(value: str, base: datetime) -> str | None:
    settings = {
        "TIMEZONE": "Asia/Seoul",
        "RETURN_AS_TIMEZONE_AWARE": True,
        # dateparser reads a naive RELATIVE_BASE in TIMEZONE, so hand it Seoul wall time.
        "RELATIVE_BASE": base.replace(tzinfo=None),
    }
    parsed = dateparser.parse(value, languages=["ko", "en"], settings=settings)
    return to_iso(parsed) if parsed else None
