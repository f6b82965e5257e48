"""Scoring: bigram tokens, the report table and its JSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawler.evaluation import (
    CURATED,
    SILVER,
    evaluate_dir,
    format_report,
    overlap,
    tokens,
    trafilatura_extractor,
)
from tests.conftest import newswatch


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


_PARAGRAPH = "LG AI연구원이 엑사원을 공개했다. 이 문장은 충분히 길게 이어지는 본문 문단이다. " * 3


def _page(directory: Path, name: str, body: str, reference: dict[str, object]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    html = (
        "<html><head><meta charset='utf-8'><title>엑사원 공개 - 예시</title>"
        "<meta property='og:site_name' content='예시'><meta property='og:type' content='article'>"
        f"</head><body><article><h1>엑사원 공개</h1>{body}</article></body></html>"
    )
    (directory / f"{name}.html.gz").write_bytes(gzip.compress(html.encode()))
    record = {"url": f"https://example.kr/a/{name}", "outlet": "예시", **reference}
    (directory / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False))


def test_silver_is_scored_by_recall_and_its_stamps_are_cut(tmp_path: Path) -> None:
    # The page carries an extra paragraph the silver reference left out, and the reference keeps
    # the dateline stamp that extraction moves to the author.
    extra = "<p>이 문단은 참조가 본문으로 치지 않은 덧붙임 문단으로, 정밀도만 낮춘다.</p>"
    _page(
        tmp_path / "silver",
        "wire",
        f"<p>(서울=연합뉴스) 홍길동 기자 = {_PARAGRAPH}</p>{extra}",
        {"reference": "silver", "text": f"(서울=연합뉴스) 홍길동 기자 = {_PARAGRAPH}"},
    )
    _page(tmp_path, "own", f"<p>{_PARAGRAPH}</p>", {"text": _PARAGRAPH})

    assert [p.name for p in evaluate_dir(tmp_path).pages] == ["own"]
    report = evaluate_dir(tmp_path, subfolders=True)
    own, wire = report.pages
    assert (own.name, own.reference, own.score) == ("own", CURATED, 1.0)
    assert (wire.name, wire.reference, wire.recall) == ("wire", SILVER, 1.0)
    assert wire.precision < 0.9
    assert wire.score == wire.recall
    assert wire.notes[0] == "1 dateline stamp(s) cut from the reference (they go to author)"
    data = report.to_dict()
    assert data["silver"]["mean_score"] == 1.0
    assert data["curated"]["mean_score"] == 1.0
    assert data["outlets"]["예시"]["pages"] == 2
    lines = format_report(report).splitlines()
    assert lines[-2].startswith("pages 1  mean recall 1.0000  min recall 1.0000")
    assert lines[-2].endswith("(silver references)")
    assert lines[-1].startswith("pages 1  mean F1 1.0000  min F1 1.0000")
    assert any(line.startswith("예시") and line.split()[1:2] == ["2"] for line in lines)


def test_baseline_runs_bare_trafilatura_side_by_side(tmp_path: Path) -> None:
    body = f"<p>{_PARAGRAPH}</p><p>제보는 카카오톡 okjebo</p><p>2025/03/18 09:12 송고</p>"
    _page(tmp_path, "wire", body, {"reference": "silver", "text": _PARAGRAPH})
    ours = evaluate_dir(tmp_path)
    bare = evaluate_dir(tmp_path, extractor=trafilatura_extractor)
    assert ours.pages[0].boilerplate == []
    assert bare.pages[0].boilerplate == ["제보는 카카오톡 okjebo", "2025/03/18 09:12 송고"]
    table = format_report(ours, bare)
    assert table.splitlines()[0].endswith("| trafilatura")
    assert "| trafilatura pages 1  mean recall 1.0000" in table.splitlines()[-1]


def test_eval_command_reads_silver_and_prints_the_baseline(goldset_dir: Path) -> None:
    run = newswatch("eval", str(goldset_dir), "--baseline")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[-2].startswith("pages 28  mean recall")
    assert "| trafilatura pages 28  mean recall" in lines[-2]
    assert lines[-1].startswith("pages 7  mean F1")
    run = newswatch("eval", str(goldset_dir), "--top-only", "--json")
    data = json.loads(run.stdout)
    assert len(data["pages"]) == 7
    assert "baseline" not in data
