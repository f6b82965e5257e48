"""Story labels against the words a reader would name, on the labelled stories and the gold set.

Each story lists the words a person who read it would say it is about (written from the headline
and lead, before any label was computed). A label passes when it holds at least two of them; at
least 90% of stories must pass, with the scoring archive/words.py ships, and that scoring must
do at least as well as the alternative. No label may ever hold a particle, an ending or a stop
word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import Archive, NewArticle
from archive import words as archive_words
from crawler.words import STOP_WORDS, morphemes
from newswatch.config import load_config
from newswatch.words import analyse_archive
from tests.conftest import GOLDSET_DIR
from tests.labelled_articles import labelled_articles
from tests.test_similarity_labelled import run_labelled
from tests.test_words import write_config

# Labelled stories (tests/labelled_articles.py), by their story key.
READER_WORDS_LABELLED = {
    "E1": {"추론", "특화", "하이브리드", "수학", "코딩", "글로벌", "허깅페이스"},
    "E2": {"서울대", "인재", "양성", "협약", "MOU", "200명", "육성"},
    "E3": {"CVPR", "논문", "8편", "멀티모달", "학회", "비전"},
    "E4": {"진단", "병리", "유전자", "변이", "패스", "의료"},
    "E5": {"독자", "파운데이션", "평가", "통과", "4개", "정부", "과기정통부"},
    "O0": {"채용", "연구자", "경력자", "인력", "고도화", "면접"},
    "O1": {"인터뷰", "배경훈", "현장", "산업", "원장"},
    "O2": {"다운로드", "100만", "오픈소스", "돌파", "국산"},
    "O3": {"화학", "소재", "탐색", "LG화학", "계열사", "물질"},
}

# Gold-set pages (../shared/goldset, silver/ included), by file name.
READER_WORDS_GOLD = {
    "donga_2013_10_23": {"디지털이엠씨", "시험인증", "인증", "박채규", "전파"},
    "entermedia_8576": {"엘제이", "류화영", "리벤지", "코스프레", "사진", "SNS"},
    "entermedia_8723": {"남상미", "이유리", "숨바꼭질", "연기", "막장"},
    "hankookilbo_2025_05_15": {"이재명", "통합", "호남", "영남", "경상도", "전라도", "국민통합"},
    "hankookilbo_2026_01_29": {"장동혁", "한동훈", "제명", "외연", "국민의힘", "어게인"},
    "hankookilbo_2026_07_12": {"선호투표제", "민주당", "당규", "친청계", "전당대회", "정청래"},
    "mk_2025_06_03": {"이재명", "소년공", "대통령", "당선", "흙수저"},
    "chosun_2016_09_14": {"지진", "대비", "내진", "경주", "아이티", "칠레"},
    "chosun_2016_09_17": {"제논", "방사성", "핵실험", "검출", "북한"},
    "chosun_2023_04_11": {"부활절", "이탈리아", "신생아", "요람", "밀라노"},
    "donga_2016_09_18": {"경주", "지진", "폭우", "관광객", "복구", "한가위"},
    "donga_2016_09_18_2": {"국민연금", "순혜택", "X세대", "세대", "연금"},
    "hani_2016_09_17": {"제주", "고용률", "실업률", "고용", "일자리"},
    "hani_2016_09_18": {"과징금", "이통3사", "국고", "방통위", "이동통신"},
    "kbs_2023_04_07": {"멕시코", "실종", "이민자", "여행객", "발견"},
    "kbs_2023_04_07_2": {"통신선", "남북", "불통", "북한", "연락사무소"},
    "kbs_2023_04_07_3": {"납치", "살해", "구속", "자산가", "강남", "코인"},
    "khan_2016_09_26": {"단통법", "가계통신비", "소비자", "인하", "단말기"},
    "khan_2016_09_26_2": {"트럼프", "사회자", "공화당원", "민주당원", "토론", "홀트"},
    "mbc_2023_04_19": {"캐나다", "공무원", "파업", "임금", "인플레이션", "PSAC"},
    "mbc_2023_04_19_2": {"박해미", "라디오스타", "무속인", "무당"},
    "naver_edaily_2022_09_14": {"이준석", "가처분", "국민의힘", "비상상황", "당헌", "심문"},
    "naver_heraldcorp_2023_09_07": {"해병대", "압수수색", "경찰", "채수근", "상병", "1사단"},
    "naver_spotv_2017_05_12": {"인판티노", "FIFA", "가짜", "비판", "윤리위원회"},
    "naver_yna_2017_04_20": {"연천군", "초록우산", "어린이재단", "아동복지", "협약", "아동"},
    "sbs_2023_04_20": {"가짜뉴스", "문체부", "퇴치", "신고센터", "팩트"},
    "sbs_2023_04_20_2": {"장애인", "휠체어", "탑승", "코레일", "거부", "예매"},
    "sbs_2023_04_20_3": {"윤석열", "국빈", "방미", "정상회담", "바이든", "의회연설"},
    "tvchosun_2023_04_21": {"전세사기", "LH", "피해주택", "매입", "원희룡"},
    "yna_2016_09_17": {"포체티노", "뎀벨레", "손흥민", "선발", "토트넘"},
    "yonhapnewstv_2023_04_20": {"전세사기", "피해자", "특례채무조정", "보금자리론", "금융위"},
    "yonhapnewstv_2023_04_20_2": {"불곰", "사살", "이탈리아", "찬반"},
    "ytn_2023_04_07": {"방울토마토", "가격", "급락", "채소"},
    "ytn_2023_04_07_2": {"권경애", "변호사", "변명", "잠적", "학교폭력", "패소"},
    "ytn_2023_04_10": {"조원진", "감청", "대통령실", "우리공화당", "유감"},
}

# Particles, endings and copulas a careless analysis would leave in or on a word.
NOT_WORDS = {"은", "는", "이", "가", "을", "를", "의", "에", "에서", "와", "과", "도", "로", "으로"}


def gold_pages() -> list[tuple[str, dict[str, str]]]:
    found = sorted([*GOLDSET_DIR.glob("*.json"), *GOLDSET_DIR.glob("silver/*.json")])
    return [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in found]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The labelled articles (stories from the dedup stage) and every gold page, analysed."""
    directory = tmp_path_factory.mktemp("quality")
    db = directory / "news.db"
    run_labelled(db)
    with Archive(db) as archive:
        for n, (name, page) in enumerate(gold_pages()):
            archive.add_article(
                NewArticle(
                    url=page["url"],
                    title=page.get("title") or "",
                    text=page["text"],
                    published_at=page.get("published")
                    or f"2025-08-{1 + n % 28:02d}T09:00:00+09:00",
                    modified_at=None,
                    outlet=page.get("outlet"),
                    author=None,
                    original_url=None,
                    source=name,  # the page's name, to find its story again
                    discovered_via="goldset",
                    relevance=0,
                )
            )
    analyse_archive(load_config(str(write_config(directory))))
    return db


def stories_by_key(db: Path) -> dict[str, int]:
    """Story id of each labelled story key and of each gold page's name."""
    keys: dict[str, int] = {}
    with Archive(db) as archive:
        by_url = dict(archive.db.execute("select url, story_id from articles"))
        for entry in labelled_articles():
            if entry.url in by_url:
                keys.setdefault(entry.story, by_url[entry.url])
        for source, story in archive.db.execute(
            "select source, story_id from articles where discovered_via = 'goldset'"
        ):
            keys[source] = story
    return keys


def labels_for(db: Path, reader: dict[str, set[str]], scoring: str) -> dict[str, list[str]]:
    keys = stories_by_key(db)
    with Archive(db) as archive:
        labels = archive_words.story_labels(
            archive.db, [keys[k] for k in reader if k in keys], scoring=scoring
        )
    return {key: labels.get(keys[key], []) for key in reader if key in keys}


def hit_rate(db: Path, reader: dict[str, set[str]], scoring: str) -> tuple[float, list[str]]:
    keys = stories_by_key(db)
    with Archive(db) as archive:
        labels = archive_words.story_labels(
            archive.db, [keys[k] for k in reader if k in keys], scoring=scoring
        )
    missed = []
    for key, words in reader.items():
        if key not in keys:
            continue
        got = labels.get(keys[key], [])
        if len(words & set(got)) < 2:
            missed.append(f"{key}: {got}")
    judged = sum(key in keys for key in reader)
    return 1 - len(missed) / judged, missed


def test_every_labelled_story_is_judged(archive_path: Path) -> None:
    keys = stories_by_key(archive_path)
    assert set(READER_WORDS_LABELLED) <= set(keys)
    assert all(len(words) >= 3 for words in [*READER_WORDS_LABELLED.values()])
    assert all(len(words) >= 3 for words in [*READER_WORDS_GOLD.values()])


def test_labels_hold_the_words_a_reader_names_on_the_labelled_stories(archive_path: Path) -> None:
    rate, missed = hit_rate(archive_path, READER_WORDS_LABELLED, archive_words.SCORING)
    assert rate >= 0.9, missed


@pytest.mark.skipif(not GOLDSET_DIR.exists(), reason="the gold set (../shared/goldset) is absent")
def test_labels_hold_the_words_a_reader_names_on_the_gold_set(archive_path: Path) -> None:
    names = {name for name, _ in gold_pages()}
    assert names == set(READER_WORDS_GOLD)  # a page added to the gold set needs its words here
    rate, missed = hit_rate(archive_path, READER_WORDS_GOLD, archive_words.SCORING)
    assert rate >= 0.9, missed


@pytest.mark.skipif(not GOLDSET_DIR.exists(), reason="the gold set (../shared/goldset) is absent")
def test_the_shipped_scoring_does_better_than_the_other(archive_path: Path) -> None:
    """At least as many labels pass, and a label holds more of the reader's words on average.

    Measured on the labelled stories and the gold set together (the set the choice was made
    on): on the 30 labelled articles alone the two are within one word in nine stories
    (tf-idf 3.67, log-likelihood 3.78 reader words per label), too few to choose by.
    """
    reader = READER_WORDS_LABELLED | READER_WORDS_GOLD
    other = "loglik" if archive_words.SCORING == "tfidf" else "tfidf"
    shipped, _ = hit_rate(archive_path, reader, archive_words.SCORING)
    alternative, _ = hit_rate(archive_path, reader, other)
    assert shipped >= alternative, (shipped, alternative)

    def overlap(scoring: str) -> float:
        labels = labels_for(archive_path, reader, scoring)
        return sum(len(reader[k] & set(v)) for k, v in labels.items()) / len(labels)

    assert overlap(archive_words.SCORING) > overlap(other)


def test_no_label_holds_a_particle_an_ending_or_a_stop_word(archive_path: Path) -> None:
    with Archive(archive_path) as archive:
        ids = [row[0] for row in archive.db.execute("select id from stories")]
        labels = archive_words.story_labels(archive.db, ids)
    assert len(labels) == len(ids)
    for label in labels.values():
        assert 3 <= len(label) <= 5, label
        for word in label:
            assert word not in STOP_WORDS, label
            assert word not in NOT_WORDS, label
            tags = {m.tag for m in morphemes(word)}
            assert not any(t.startswith(("J", "E")) for t in tags), (word, tags)
