"""Labelled spellings for the one matcher (crawler.watch): (term, text) pairs that must match and
pairs that must not. Shared by the watch and the search tests, so both decide alike.

The spellings are the variations Korean copy shows for these names: spacing ("LG AI 연구원"),
particles ("엑사원을"), Latin case and full width ("ＥＸＡＯＮＥ"), hyphens and middle dots
("K-EXAONE", "솔라·프로"), line breaks and no-break spaces.
"""

from __future__ import annotations

MUST_MATCH: list[tuple[str, str]] = [
    # LG AI연구원: spacing, particles, width, case, punctuation between the parts
    ("LG AI연구원", "LG AI연구원은 7일 새 모델을 공개했다"),
    ("LG AI연구원", "LG AI 연구원이 밝혔다"),
    ("LG AI연구원", "LGAI연구원 관계자는"),
    ("LG AI연구원", "LG AI연구원의 배경훈 원장"),
    ("LG AI연구원", "lg ai연구원"),
    ("LG AI연구원", "ＬＧ ＡＩ연구원"),
    ("LG AI연구원", "LG·AI연구원"),
    ("LG AI연구원", "LG-AI 연구원"),
    ("LG AI연구원", "LG\u00a0AI연구원"),
    ("LG AI연구원", "LG\nAI 연구원"),
    ("LG AI연구원", "LG  AI  연구원과 협력"),
    ("LG AI Research", "LG AI Research said"),
    ("LG AI Research", "lg ai research"),
    ("LG AI Research", "LG AI-Research"),
    # 엑사원 / EXAONE
    ("엑사원", "엑사원을 공개"),
    ("엑사원", "엑사원 4.0"),
    ("엑사원", "‘엑사원3.5’의 성능"),
    ("엑사원", "엑사 원"),
    ("EXAONE", "EXAONE 4.0"),
    ("EXAONE", "Exaone 모델"),
    ("EXAONE", "ＥＸＡＯＮＥ"),
    ("EXAONE", "K-EXAONE"),
    ("EXAONE", "EXA-ONE"),
    ("EXAONE", "EXAONE-Deep을"),
    # Naver HyperCLOVA X / 하이퍼클로바X
    ("HyperCLOVA X", "HyperClova X 기반"),
    ("HyperCLOVA X", "HYPERCLOVA-X"),
    ("HyperCLOVA X", "hyperclovax"),
    ("HyperCLOVA X", "ＨｙｐｅｒＣＬＯＶＡ Ｘ"),
    ("하이퍼클로바X", "하이퍼클로바X를 탑재"),
    ("하이퍼클로바X", "하이퍼클로바 X"),
    ("하이퍼클로바X", "하이퍼 클로바X"),
    ("하이퍼클로바X", "하이퍼클로바Ｘ"),
    # Upstage Solar / 솔라
    ("Solar Pro", "Solar Pro 2를 공개"),
    ("Solar Pro", "SOLAR-PRO"),
    ("Solar Pro", "Solar‧Pro"),
    ("솔라 프로", "솔라프로2"),
    ("솔라 프로", "솔라·프로"),
    ("업스테이지", "업스테이지는"),
    ("업스테이지", "업 스테이지"),
    # Kakao Kanana / 카나나
    ("카나나", "카나나를 선보였다"),
    ("카나나", "카나나-1.5"),
    ("Kanana", "KANANA-2"),
    # SK Telecom A.X / 에이닷엑스
    ("A.X", "A.X 4.0"),
    ("A.X", "Ａ．Ｘ를 공개"),
    ("A.X", "a.x 모델"),
    ("에이닷엑스", "에이닷 엑스"),
]

MUST_NOT_MATCH: list[tuple[str, str]] = [
    ("LG AI연구원", "LG전자 AI 가전"),
    ("LG AI연구원", "LG전자 연구원이 AI를 개발"),
    ("LG AI연구원", "삼성 AI연구원"),
    ("LG AI연구원", "LG AI 연구소"),
    ("LG AI연구원", "LG CNS AI연구원"),
    ("LG AI Research", "LG Research"),
    ("LG AI Research", "LG AIR Research"),
    ("엑사원", "엑사바이트 원"),
    ("엑사원", "액사원"),
    ("엑사원", "엑스원"),
    ("EXAONE", "EXAMPLE ONE"),
    ("EXAONE", "EXA 1"),
    ("HyperCLOVA X", "HyperCLOVA Studio"),
    ("하이퍼클로바X", "하이퍼클로바 서비스"),
    ("하이퍼클로바X", "클로바X"),
    ("Solar Pro", "Solar Power project"),
    ("솔라 프로", "솔라 패널 프로젝트"),
    ("업스테이지", "백스테이지"),
    ("카나나", "카나리아"),
    ("Kanana", "Kanan의 모델"),
    ("A.X", "AX 전환"),
    ("에이닷엑스", "에이닷 서비스"),
    ("카카오 카나나", "카카오 카톡 나나"),
]
