"""Scoring: bigram tokens, the report table and its JSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.evaluation import evaluate_dir, format_report, overlap, tokens


def test_tokens_ignore_whitespace() -> None:
    assert tokens("엑사원 공개") == tokens("엑사원공개") == tokens("엑사원\n\n공개")
    assert sum(tokens("엑사원공개").values()) == 4


def test_overlap() -> None:
    assert overlap("엑사원 공개", "엑사원공개") == (1.0, 1.0, 1.0)
    precision, recall, f1 = overlap("엑사원", "엑사원공개")
    assert precision == 1.0
    assert recall == 0.5
    assert abs(f1 - 2 / 3) < 1e-9
    assert overlap("", "엑사원") == (0.0, 0.0, 0.0)


def test_report_over_a_directory(tmp_path: Path) -> None:
    paragraph = (
        "LG AI연구원이 엑사원을 공개했다. 이 문장은 충분히 길게 이어지는 본문 문단이다. " * 3
    )
    html = (
        "<html><head><meta charset='utf-8'><title>엑사원 공개 - 예시</title>"
        "<meta property='og:site_name' content='예시'>"
        "<meta property='article:published_time' content='2026-07-15T09:00:00+09:00'>"
        f"</head><body><article><h1>엑사원 공개</h1><p>{paragraph}</p>"
        "<p>무단 전재 및 재배포 금지</p></article></body></html>"
    )
    (tmp_path / "good.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "good.json").write_text(
        json.dumps(
            {
                "url": "https://example.kr/a/1",
                "title": "엑사원 공개",
                "published": "2026-07-15 09:00",
                "text": paragraph + "\n저작권자 ⓒ 예시 무단전재 및 재배포금지",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    (tmp_path / "bad.html.gz").write_bytes(
        gzip.compress(b"<html><body>Just a moment</body></html>")
    )
    (tmp_path / "bad.json").write_text(json.dumps({"url": "https://example.kr/", "text": "x"}))

    report = evaluate_dir(tmp_path)
    assert [p.name for p in report.pages] == ["bad", "good"]
    assert report.failures == ["bad"]
    good = report.pages[1]
    assert good.f1 == 1.0
    assert good.title_ok is True
    assert good.date_ok is True
    assert good.notes == ["1 boilerplate line(s) left out of the reference"]
    table = format_report(report)
    assert "bad" in table
    assert "NOT EXTRACTED" in table
    assert "failures 1" in table
    data = json.loads(report.to_json())
    assert data["failures"] == ["bad"]
    assert data["titles"] == {"right": 1, "checked": 1}
