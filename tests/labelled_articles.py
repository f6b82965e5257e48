"""A labelled set of Korean articles for the near-duplicate and story decisions.

Each `Labelled` names the story (event) it belongs to and the article it is a copy of, so every pair
is labelled: same article (exact copies, wire reprints with small edits, a corrected article at its
own URL), same story (rewrites of one press release, outlets' own reports of one event with shared
quotes), or different (other stories on the same topic: LG AI연구원 and 엑사원 throughout). The
texts are written for these tests in the style of Korean wire copy and press-release rewrites.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labelled:
    key: str  # unique name
    story: str  # event label: same story iff equal
    article: str  # article label: same article iff equal
    outlet: str
    url: str
    title: str
    text: str
    published_at: str
    kind: str  # original | exact | reprint | rewrite | update | other


# --- E1: wire story (연합뉴스) reprinted by other outlets ------------------------------------------

E1_TITLE = "LG AI연구원, 추론 특화 '엑사원 4.0' 공개…\"글로벌 최고 수준\""
E1_LEAD = (
    "LG AI연구원이 추론 능력을 대폭 강화한 차세대 인공지능(AI) 모델 '엑사원(EXAONE) 4.0'을 "
    "15일 공개했다."
)
E1_BODY = [
    "엑사원 4.0은 수학과 코딩, 과학 분야의 복잡한 문제를 단계적으로 풀어내는 추론 모드와 일상적인 "
    "질문에 빠르게 답하는 일반 모드를 하나의 모델에 통합한 하이브리드 구조를 채택했다.",
    "LG AI연구원에 따르면 엑사원 4.0 전문가 모델은 320억 개의 매개변수(파라미터)로 구성됐으며, "
    "미국 수학 올림피아드 예선(AIME 2025)과 대학원 수준 과학 문제(GPQA) 평가에서 미국과 중국의 "
    "동급 모델보다 높은 점수를 기록했다.",
    "온디바이스용 경량 모델은 12억 개 매개변수로 스마트폰과 노트북에서도 인터넷 연결 없이 작동하며, "
    "한국어와 영어에 더해 스페인어를 새로 지원한다.",
    "LG AI연구원은 연구 목적의 활용을 위해 두 모델을 글로벌 오픈소스 플랫폼 허깅페이스에 공개하고, "
    "기업 고객을 위한 API 서비스도 다음 달부터 제공할 계획이다.",
    '이홍락 LG AI연구원 공동 연구원장은 "엑사원 4.0은 전문가 수준의 추론과 실제 산업 현장에서 쓸 수 '
    '있는 효율성을 동시에 갖춘 모델"이라며 "국내 기업들이 글로벌 경쟁력을 갖춘 AI를 활용할 수 '
    '있도록 생태계를 넓혀가겠다"고 말했다.',
]
E1_TEXT = "\n".join([E1_LEAD + " " + E1_BODY[0], *E1_BODY[1:]])

# --- E2: press release rewritten by several outlets -----------------------------------------------

E2_TITLE = "LG AI연구원, 서울대와 AI 인재 양성 협약…5년간 200명 육성"
E2_RELEASE = "\n".join(
    [
        "LG AI연구원은 서울대학교와 인공지능(AI) 인재 양성을 위한 업무협약(MOU)을 체결했다고 3일 밝혔다.",
        "양 기관은 이번 협약에 따라 향후 5년간 석·박사급 AI 연구 인재 200명을 공동으로 육성하고, "
        "초거대 AI 엑사원(EXAONE)을 활용한 공동 연구 과제를 매년 10건 이상 추진한다.",
        "LG AI연구원은 서울대 대학원생들에게 엑사원 연구용 라이선스와 고성능 GPU 클러스터를 제공하고, "
        "연구원 소속 연구자들이 겸임 교수로 참여해 실무 중심의 교과과정을 운영한다.",
        "우수 연구자에게는 LG AI연구원 인턴십과 채용 연계 기회도 주어진다.",
        '배경훈 LG AI연구원장은 "AI 경쟁력의 핵심은 결국 사람"이라며 "서울대와 함께 세계 무대에서 '
        '경쟁할 수 있는 연구자를 길러내겠다"고 말했다.',
        '서울대 측은 "산업 현장의 문제를 연구실로 가져와 함께 푸는 모델을 만들겠다"고 밝혔다.',
    ]
)
E2_REWRITES = [
    (
        "서울대·LG AI연구원 손잡고 석박사 AI 인재 200명 키운다",
        "\n".join(
            [
                "서울대학교와 LG AI연구원이 앞으로 5년 동안 석·박사급 AI 연구 인재 200명을 함께 키운다.",
                "LG AI연구원은 3일 서울대와 AI 인재 양성을 위한 업무협약을 맺었다고 발표했다. "
                "두 기관은 초거대 AI 엑사원을 활용한 공동 연구 과제도 해마다 10건 이상 진행하기로 했다.",
                "협약에 따라 서울대 대학원생들은 엑사원 연구용 라이선스와 고성능 GPU 클러스터를 지원받는다. "
                "LG AI연구원 연구자들은 겸임 교수로 강단에 서 실무 중심 교과과정을 맡는다.",
                '배경훈 LG AI연구원장은 "AI 경쟁력의 핵심은 결국 사람"이라며 "서울대와 함께 세계 무대에서 '
                '경쟁할 수 있는 연구자를 길러내겠다"고 강조했다.',
            ]
        ),
    ),
    (
        "LG AI연구원, 서울대와 'AI 인재' 공동 육성…엑사원 연구 라이선스 제공",
        "\n".join(
            [
                "LG AI연구원이 서울대와 손잡고 AI 연구 인재 육성에 나선다.",
                "LG AI연구원은 서울대학교와 인공지능 인재 양성 업무협약을 체결했다고 3일 밝혔다. "
                "향후 5년간 석·박사급 인재 200명을 공동 육성하는 것이 목표다.",
                "LG AI연구원은 서울대 대학원생에게 엑사원 연구용 라이선스와 GPU 클러스터를 제공한다. "
                "우수 연구자에게는 인턴십과 채용 연계 기회를 준다.",
                "공동 연구 과제는 매년 10건 이상 추진된다.",
                '배경훈 원장은 "AI 경쟁력의 핵심은 결국 사람"이라고 말했다.',
            ]
        ),
    ),
    (
        '"AI 경쟁력 핵심은 사람"…LG AI연구원, 서울대와 인재 양성 MOU',
        "\n".join(
            [
                "LG AI연구원은 서울대학교와 AI 인재 양성을 위한 업무협약(MOU)을 체결했다고 3일 밝혔다.",
                "이번 협약으로 양 기관은 5년간 석·박사급 AI 연구 인재 200명을 공동으로 길러낸다. "
                "초거대 AI 엑사원(EXAONE)을 활용한 공동 연구 과제도 매년 10건 이상 추진한다.",
                "LG AI연구원 소속 연구자들은 겸임 교수로 참여해 실무 중심의 교과과정을 운영하게 된다.",
                '배경훈 LG AI연구원장은 "서울대와 함께 세계 무대에서 경쟁할 수 있는 연구자를 길러내겠다"고 '
                "말했다.",
                "업계에서는 대기업 AI 연구조직과 대학 간 협력이 인력난 해소에 도움이 될 것으로 보고 있다.",
            ]
        ),
    ),
    (
        "LG, 서울대에 엑사원·GPU 지원…AI 연구자 200명 공동 육성",
        "\n".join(
            [
                "LG그룹의 AI 싱크탱크인 LG AI연구원이 서울대와 AI 인재 양성 협약을 맺었다.",
                "3일 LG AI연구원에 따르면 양 기관은 향후 5년간 석·박사급 AI 연구 인재 200명을 공동 육성한다. "
                "서울대 대학원생들은 엑사원 연구용 라이선스와 고성능 GPU 클러스터를 쓸 수 있게 된다.",
                "초거대 AI 엑사원을 활용한 공동 연구 과제는 매년 10건 이상 추진하며, "
                "우수 연구자에게는 LG AI연구원 인턴십과 채용 연계 기회가 주어진다.",
                '서울대 측은 "산업 현장의 문제를 연구실로 가져와 함께 푸는 모델을 만들겠다"고 밝혔다.',
            ]
        ),
    ),
]

# --- E3: wire story (뉴스1) on papers, reprinted ---------------------------------------------------

E3_TITLE = "LG AI연구원, CVPR 2025서 논문 8편 발표…멀티모달 기술력 입증"
E3_TEXT = "\n".join(
    [
        "LG AI연구원이 세계 최고 권위의 컴퓨터 비전 학회인 'CVPR 2025'에서 정규 논문 8편을 발표한다고 "
        "11일 밝혔다.",
        "이 가운데 2편은 상위 3% 논문에만 주어지는 하이라이트 발표에 선정됐다. 선정된 논문은 이미지와 "
        "텍스트를 함께 이해하는 멀티모달 모델 '엑사원 비전'의 학습 효율을 높이는 방법과, 적은 데이터로 "
        "산업용 결함을 찾아내는 기술을 다뤘다.",
        "LG AI연구원은 학회 기간 미국 내슈빌 현지에 전시 부스를 열고 엑사원 기반 문서 이해 기술을 "
        "시연할 예정이다.",
        "LG AI연구원은 지난해에도 CVPR과 NeurIPS 등 주요 학회에서 논문 30여 편을 발표했다.",
        '김승환 LG AI연구원 비전랩장은 "멀티모달 AI가 산업 현장의 데이터를 읽고 판단하는 수준까지 '
        '올라오고 있다"며 "연구 성과를 LG 계열사 제품에 빠르게 적용하겠다"고 말했다.',
    ]
)

# --- E4: press release on medical AI, rewritten ----------------------------------------------------

E4_TITLE = "LG AI연구원, 암 진단 보조 AI '엑사원 패스' 개발…진단 시간 2주→1분"
E4_RELEASE = "\n".join(
    [
        "LG AI연구원은 유전자 검사 없이 병리 조직 이미지만으로 암 유전자 변이를 예측하는 AI 모델 "
        "'엑사원 패스(EXAONE Path)'를 개발했다고 20일 밝혔다.",
        "기존에는 암 환자의 유전자 변이를 확인하려면 조직을 떼어내 유전자 검사를 거쳐야 해 결과를 받기까지 "
        "2주 이상이 걸렸다. 엑사원 패스는 조직 슬라이드 이미지를 분석해 1분 안에 변이 여부를 예측한다.",
        "LG AI연구원은 약 50만 장의 병리 이미지로 모델을 학습시켰으며, 폐암과 대장암 등 주요 암종에서 "
        "평균 정확도 78%를 기록했다고 설명했다.",
        "연구원은 국내 대학병원들과 임상 검증을 진행한 뒤 내년 의료기기 인허가를 신청할 계획이다.",
        '이화정 LG AI연구원 AI 바이오랩장은 "환자가 치료를 시작하기까지 기다리는 시간을 줄이는 것이 '
        '목표"라고 말했다.',
    ]
)
E4_REWRITES = [
    (
        "병리 이미지로 암 유전자 변이 1분 만에 예측…LG '엑사원 패스'",
        "\n".join(
            [
                "병리 조직 이미지만 보고 암 유전자 변이를 1분 안에 예측하는 AI가 나왔다.",
                "LG AI연구원은 20일 암 진단 보조 AI 모델 '엑사원 패스'를 개발했다고 밝혔다. "
                "지금은 유전자 변이를 확인하려면 유전자 검사를 거쳐야 해 결과까지 2주 이상 걸린다.",
                "엑사원 패스는 약 50만 장의 병리 이미지로 학습했고, 폐암과 대장암 등 주요 암종에서 평균 "
                "정확도 78%를 보였다.",
                '이화정 LG AI연구원 AI 바이오랩장은 "환자가 치료를 시작하기까지 기다리는 시간을 줄이는 것이 '
                '목표"라고 말했다. LG AI연구원은 임상 검증을 거쳐 내년 인허가를 신청할 계획이다.',
            ]
        ),
    ),
    (
        "LG AI연구원 '엑사원 패스' 공개…\"암 진단 대기 2주에서 1분으로\"",
        "\n".join(
            [
                "LG AI연구원이 유전자 검사 없이 병리 조직 이미지만으로 암 유전자 변이를 예측하는 AI "
                "'엑사원 패스(EXAONE Path)'를 개발했다고 20일 밝혔다.",
                "엑사원 패스는 조직 슬라이드 이미지를 분석해 1분 안에 변이 여부를 예측한다. 기존 유전자 "
                "검사로는 2주 이상이 걸렸다.",
                "모델은 약 50만 장의 병리 이미지를 학습했다. 주요 암종 평균 정확도는 78%다.",
                "연구원은 국내 대학병원들과 임상 검증을 진행할 예정이다.",
            ]
        ),
    ),
]

# --- E5: wire story (뉴시스) on a government evaluation --------------------------------------------

E5_TITLE = "'독자 AI 파운데이션 모델' 1차 평가…LG AI연구원 등 4개 팀 통과"
E5_TEXT = "\n".join(
    [
        "과학기술정보통신부는 '독자 AI 파운데이션 모델' 프로젝트 1차 단계 평가 결과 LG AI연구원, "
        "네이버클라우드, SK텔레콤, 업스테이지 등 4개 정예팀이 2차 단계에 진출했다고 5일 밝혔다.",
        "이번 평가는 벤치마크 성능과 전문가 평가, 사용자 평가를 합산해 이뤄졌으며, LG AI연구원의 "
        "엑사원 기반 모델이 종합 점수 1위를 차지한 것으로 알려졌다.",
        "2차 단계에 진출한 팀들은 정부로부터 GPU와 학습 데이터를 추가로 지원받아 6개월간 모델 고도화에 "
        "나선다. 정부는 최종 평가를 거쳐 2027년까지 2개 팀을 선정할 계획이다.",
        '과기정통부 관계자는 "글로벌 최고 수준의 AI 모델을 우리 기술로 확보하는 것이 목표"라며 '
        '"평가 과정을 투명하게 공개하겠다"고 말했다.',
    ]
)

# --- Different stories on the same topic (each its own story) -------------------------------------

OTHERS = [
    (
        "LG AI연구원, AI 연구자 두 자릿수 채용…엑사원 고도화 인력 확충",
        "\n".join(
            [
                "LG AI연구원이 엑사원 고도화를 위해 AI 연구자 채용에 나선다고 9일 밝혔다.",
                "모집 분야는 초거대 언어모델 학습, 멀티모달, AI 안전성, 데이터 엔지니어링 등이며 석·박사 "
                "학위 소지자와 관련 경력자를 대상으로 한다.",
                "서류 접수는 이달 말까지 LG 채용 홈페이지에서 받으며, 면접은 연구 발표와 코딩 테스트로 "
                "진행된다. 합격자는 서울 마곡 LG사이언스파크에서 근무하게 된다.",
                'LG AI연구원 관계자는 "연구자에게 충분한 컴퓨팅 자원과 자율성을 보장하겠다"고 말했다.',
            ]
        ),
    ),
    (
        '[인터뷰] 배경훈 LG AI연구원장 "엑사원, 산업 현장에서 답 찾는다"',
        "\n".join(
            [
                '"AI 모델의 성능 경쟁은 이제 시작일 뿐입니다. 결국 현장에서 쓰이는 AI가 살아남습니다."',
                "배경훈 LG AI연구원장은 최근 서울 마곡 LG사이언스파크에서 가진 인터뷰에서 엑사원의 방향을 "
                "이렇게 설명했다. 그는 화학과 배터리, 전자 등 LG 계열사의 현장 데이터가 엑사원의 가장 큰 "
                "경쟁력이라고 강조했다.",
                '배 원장은 "범용 챗봇 시장에서 빅테크와 정면으로 싸우기보다 전문 영역에서 신뢰할 수 있는 '
                'AI를 만드는 것이 우리의 길"이라고 말했다.',
                '오픈소스 공개에 대해서는 "연구 생태계에 기여하면서 외부 피드백으로 모델을 빠르게 개선할 수 '
                '있다"고 답했다.',
            ]
        ),
    ),
    (
        "엑사원 3.5 오픈소스 다운로드 100만 건 돌파…국산 모델 첫 기록",
        "\n".join(
            [
                "LG AI연구원의 오픈소스 AI 모델 '엑사원 3.5'의 누적 다운로드가 100만 건을 넘어섰다고 "
                "업계가 22일 전했다.",
                "허깅페이스 집계에 따르면 엑사원 3.5는 공개 4개월 만에 누적 다운로드 100만 건을 기록했다. "
                "국내 기업이 만든 언어모델이 이 기록을 세운 것은 처음이다.",
                "다운로드는 한국보다 미국과 유럽, 동남아시아에서 더 많았고, 24억 매개변수 경량 모델이 전체의 "
                "절반 이상을 차지했다.",
                '업계 관계자는 "가벼운 모델로도 쓸 만한 한국어 성능을 낸다는 점이 개발자들에게 통했다"고 '
                "평가했다.",
            ]
        ),
    ),
    (
        "LG AI연구원, 엑사원 기반 '화학 소재 탐색 AI' 계열사 적용",
        "\n".join(
            [
                "LG AI연구원이 엑사원을 기반으로 개발한 신소재 탐색 AI를 LG화학과 LG에너지솔루션 연구소에 "
                "도입했다고 14일 밝혔다.",
                "이 AI는 수백만 건의 논문과 특허, 실험 데이터를 학습해 연구자가 원하는 물성을 가진 후보 "
                "물질을 추천한다. 후보 물질을 찾는 데 걸리던 시간이 수개월에서 며칠로 줄었다고 연구원은 "
                "설명했다.",
                "LG화학은 이 AI로 배터리 양극재 첨가제 후보를 찾아 실험 검증을 진행하고 있다.",
                "LG AI연구원은 내년까지 적용 분야를 디스플레이 소재로 넓힐 계획이다.",
            ]
        ),
    ),
]

E1_CAPTION = (
    "엑사원 4.0 공개 행사에서 발표하는 이홍락 LG AI연구원 공동 연구원장. [LG AI연구원 제공]"
)
FOOTERS = {
    "뉴시스": "공감언론 뉴시스가 독자 여러분의 소중한 제보를 기다립니다.",
    "머니투데이": "머니투데이 테크 뉴스레터를 구독하고 매주 AI 소식을 받아보세요.",
    "뉴스1": "뉴스1 AI 산업 뉴스는 매일 오전 7시 뉴스레터로도 받아볼 수 있습니다.",
}


def _reprints() -> list[Labelled]:
    """The two wire stories as outlets republish them: copies and small edits of the same text."""
    e1_lines = E1_TEXT.split("\n")
    e3_lines = E3_TEXT.split("\n")
    return [
        Labelled(
            "e1-yna",
            "E1",
            "E1",
            "연합뉴스",
            "https://www.yna.co.kr/view/AKR20250715000100017",
            E1_TITLE,
            E1_TEXT,
            "2025-07-15T10:00:00+09:00",
            "original",
        ),
        Labelled(
            "e1-copy",
            "E1",
            "E1",
            "데일리안",
            "https://www.dailian.co.kr/news/view/1500001",
            E1_TITLE,
            E1_TEXT,
            "2025-07-15T10:20:00+09:00",
            "exact",
        ),
        Labelled(
            "e1-footer",
            "E1",
            "E1",
            "뉴시스",
            "https://www.newsis.com/view/NISX20250715_0003000001",
            E1_TITLE,
            E1_TEXT + "\n" + FOOTERS["뉴시스"],
            "2025-07-15T10:30:00+09:00",
            "reprint",
        ),
        Labelled(
            "e1-lead",
            "E1",
            "E1",
            "머니투데이",
            "https://news.mt.co.kr/mtview.php?no=2025071510400001",
            "LG AI연구원 '엑사원 4.0' 공개…추론·일반 모드 통합",
            "\n".join(
                [
                    "LG AI연구원이 15일 추론 능력을 끌어올린 새 AI 모델 '엑사원 4.0'을 내놨다. "
                    + E1_BODY[0],
                    *e1_lines[1:],
                    FOOTERS["머니투데이"],
                ]
            ),
            "2025-07-15T10:40:00+09:00",
            "reprint",
        ),
        Labelled(
            "e1-caption",
            "E1",
            "E1",
            "아이뉴스24",
            "https://www.inews24.com/view/1850001",
            E1_TITLE,
            "\n".join([E1_CAPTION, *e1_lines[:-1]]),
            "2025-07-15T11:00:00+09:00",
            "reprint",
        ),
        Labelled(
            "e3-news1",
            "E3",
            "E3",
            "뉴스1",
            "https://www.news1.kr/it-science/general-it/5800001",
            E3_TITLE,
            E3_TEXT,
            "2025-06-11T09:00:00+09:00",
            "original",
        ),
        Labelled(
            "e3-copy",
            "E3",
            "E3",
            "이데일리",
            "https://www.edaily.co.kr/News/Read?newsId=01100001",
            E3_TITLE,
            E3_TEXT,
            "2025-06-11T09:30:00+09:00",
            "exact",
        ),
        Labelled(
            "e3-byline",
            "E3",
            "E3",
            "전자신문",
            "https://www.etnews.com/20250611000101",
            E3_TITLE,
            "\n".join([*e3_lines, "김민수 기자 minsu@etnews.com"]),
            "2025-06-11T09:40:00+09:00",
            "reprint",
        ),
        Labelled(
            "e3-trim",
            "E3",
            "E3",
            "지디넷코리아",
            "https://zdnet.co.kr/view/?no=20250611094001",
            E3_TITLE,
            "\n".join([*e3_lines[:3], e3_lines[4], FOOTERS["뉴스1"]]),
            "2025-06-11T10:00:00+09:00",
            "reprint",
        ),
        Labelled(
            "e5-newsis",
            "E5",
            "E5",
            "뉴시스",
            "https://www.newsis.com/view/NISX20250805_0003100001",
            E5_TITLE,
            E5_TEXT,
            "2025-08-05T14:00:00+09:00",
            "original",
        ),
        Labelled(
            "e5-copy",
            "E5",
            "E5",
            "한국경제",
            "https://www.hankyung.com/article/202508050001",
            E5_TITLE,
            E5_TEXT,
            "2025-08-05T14:10:00+09:00",
            "exact",
        ),
        Labelled(
            "e5-lead",
            "E5",
            "E5",
            "매일경제",
            "https://www.mk.co.kr/news/it/11380001",
            "LG AI연구원 등 4개 팀, 독자 AI 모델 2차 진출",
            "\n".join(
                [
                    "LG AI연구원과 네이버클라우드, SK텔레콤, 업스테이지가 정부의 '독자 AI 파운데이션 모델' "
                    "프로젝트 2차 단계에 올랐다.",
                    *E5_TEXT.split("\n")[1:],
                ]
            ),
            "2025-08-05T14:30:00+09:00",
            "reprint",
        ),
    ]


def labelled_articles() -> list[Labelled]:
    """Every article in publication order (the order a crawl would meet them)."""
    items = _reprints()
    items.append(
        Labelled(
            "e2-release",
            "E2",
            "E2-release",
            "LG AI연구원",
            "https://www.lgresearch.ai/news/view?seq=501",
            E2_TITLE,
            E2_RELEASE,
            "2025-09-03T09:00:00+09:00",
            "original",
        )
    )
    outlets = ["전자신문", "서울경제", "조선비즈", "디지털타임스"]
    for n, ((title, text), outlet) in enumerate(zip(E2_REWRITES, outlets, strict=True)):
        items.append(
            Labelled(
                f"e2-rewrite{n}",
                "E2",
                f"E2-{n}",
                outlet,
                f"https://news.example.kr/e2/{n}",
                title,
                text,
                f"2025-09-03T1{n}:00:00+09:00",
                "rewrite",
            )
        )
    items.append(
        Labelled(
            "e4-release",
            "E4",
            "E4-release",
            "LG AI연구원",
            "https://www.lgresearch.ai/news/view?seq=520",
            E4_TITLE,
            E4_RELEASE,
            "2025-10-20T09:00:00+09:00",
            "original",
        )
    )
    for n, ((title, text), outlet) in enumerate(
        zip(E4_REWRITES, ["한국일보", "동아일보"], strict=True)
    ):
        items.append(
            Labelled(
                f"e4-rewrite{n}",
                "E4",
                f"E4-{n}",
                outlet,
                f"https://news.example.kr/e4/{n}",
                title,
                text,
                f"2025-10-20T1{n}:00:00+09:00",
                "rewrite",
            )
        )
    for n, (title, text) in enumerate(OTHERS):
        items.append(
            Labelled(
                f"other{n}",
                f"O{n}",
                f"O{n}",
                "AI타임스",
                f"https://www.aitimes.com/news/{n}",
                title,
                text,
                f"2025-0{7 + n % 3}-1{n}T08:00:00+09:00",
                "other",
            )
        )
    # A correction at the original's own URL: a number fixed, a sentence added.
    corrected = E1_TEXT.replace("320억 개", "300억 개") + (
        "\n엑사원 4.0의 기술 보고서는 LG AI연구원 누리집에서 내려받을 수 있다."
    )
    items.append(
        Labelled(
            "e1-update",
            "E1",
            "E1",
            "연합뉴스",
            "https://www.yna.co.kr/view/AKR20250715000100017",
            E1_TITLE,
            corrected,
            "2025-07-15T10:00:00+09:00",
            "update",
        )
    )
    return items
