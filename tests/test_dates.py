"""Korean date forms to ISO 8601 with +09:00."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.dates import parse_date, strip_label

NOW = datetime(2026, 1, 6, 18, 0, tzinfo=UTC).replace(tzinfo=None)  # naive: read as Seoul time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("입력 2021-05-05 11:00", "2021-05-05T11:00:00+09:00"),
        ("기사입력 :[ 2018-08-25 15:24 ]", "2018-08-25T15:24:00+09:00"),
        ("입력 : 2025-06-04 02:37:08", "2025-06-04T02:37:08+09:00"),
        ("최종수정 2025-06-04 03:00", "2025-06-04T03:00:00+09:00"),
        ("송고2026-01-06 16:46", "2026-01-06T16:46:00+09:00"),
        ("2022.06.19. 오후 3:12", "2022-06-19T15:12:00+09:00"),
        ("2022.06.19. 오전 12:05", "2022-06-19T00:05:00+09:00"),
        ("2024.09.01. 오후 11:55", "2024-09-01T23:55:00+09:00"),
        ("2026. 1. 6. 16:19", "2026-01-06T16:19:00+09:00"),
        ("2026.01.29 18:40", "2026-01-29T18:40:00+09:00"),
        ("2025년 12월 26일 15시 12분", "2025-12-26T15:12:00+09:00"),
        ("2024년 3월 5일 오전 9:07", "2024-03-05T09:07:00+09:00"),
        ("2024-09-01 23:55:07", "2024-09-01T23:55:07+09:00"),
        ("2025-06-04T02:37:08+09:00", "2025-06-04T02:37:08+09:00"),
        ("2025-05-15T20:00:52.000+0900", "2025-05-15T20:00:52+09:00"),
        ("2026-07-15T10:00:00Z", "2026-07-15T19:00:00+09:00"),
        ("Mon, 26 Sep 2016 07:50:00 +0900", "2016-09-26T07:50:00+09:00"),
        ("Mon, 26 Sep 2016 07:50:00 GMT", "2016-09-26T16:50:00+09:00"),
        ("3시간 전", "2026-01-06T15:00:00+09:00"),
        ("5분 전", "2026-01-06T17:55:00+09:00"),
        ("1일 전", "2026-01-05T18:00:00+09:00"),
        ("어제", "2026-01-05T18:00:00+09:00"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["", None, "A12면", "기자", "2026-13-45 10:00"])
def test_not_a_date(text: str | None) -> None:
    assert parse_date(text, now=NOW) is None


def test_aware_now_is_converted_to_seoul() -> None:
    now = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)  # 18:00 in Seoul
    assert parse_date("2시간 전", now=now) == "2026-01-06T16:00:00+09:00"


@pytest.mark.parametrize(
    "label", ["입력", "기사입력", "수정", "최종수정", "송고", "등록", "승인", "업데이트"]
)
def test_labels_are_stripped(label: str) -> None:
    assert strip_label(f"{label} : 2021-05-05 11:00") == "2021-05-05 11:00"
    assert strip_label(f"{label}2021-05-05 11:00") == "2021-05-05 11:00"
