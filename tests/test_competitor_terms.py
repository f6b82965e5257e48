"""The competitor example's terms against how Korean outlets really spell the five models.

Each phrase is the spelling a 2025-26 article used (outlet and year beside it; short phrases, not
the articles), and each must match exactly the watch it is about: a term that no real spelling
reaches, or a generic one that pulls in another company's coverage, fails here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from crawler.watch import Watches

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "competitors.toml"

SPELLINGS = [
    # g-enews 2025-08: the government's selection names LG's team by its legal entity.
    ("LG경영개발원 AI연구원 등 5개 팀을 선정했다", {"LG AI Research"}),
    ("업스테이지·LGAI연구원·네이버클라우드 등 각축", {"LG AI Research", "Upstage Solar"}),  # 4th.kr
    ("LG AI 연구원이 22일 '엑사원 생태계'를 공개", {"LG AI Research"}),  # newsis 2025
    ("SK텔레콤이 개발한 'A.X(에이닷 엑스) 4.0'", {"SK Telecom A.X"}),  # mdaily 2025
    ("초거대 AI 모델 'A.X K1'을 공개한다", {"SK Telecom A.X"}),  # zdnet 2025-12
    ("옴니모달 모델 '하이퍼클로바 X SEED'를 공개", {"Naver HyperCLOVA X"}),  # digitalchosun 2026
    ("업스테이지는 '솔라 프로2'를 선보이며", {"Upstage Solar"}),  # 4th.kr 2025
    ("멀티모달 모델 'Kanana-1.5-v-3b'와 가드레일 모델", {"Kakao Kanana"}),  # g-enews 2025
    ("차세대 언어모델 카나나-2를 공개한데 이어", {"Kakao Kanana"}),  # ekn 2026
    # Must not match: AI transformation, solar power, LG's other companies.
    ("SK텔레콤의 AX 전략과 AI 데이터센터", set()),
    ("태양광 솔라 모듈 수출이 늘었다", set()),
    ("LG전자와 LG디스플레이가 AI 가전을", set()),
]


def example_watches() -> Watches:
    config = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    return Watches.of(config["watches"])


@pytest.mark.parametrize(("text", "expected"), SPELLINGS)
def test_real_spellings_match_exactly_their_watch(text: str, expected: set[str]) -> None:
    assert {m.watch for m in example_watches().match("", text)} == expected
