"""Build the test pages in this directory: outlet markup (reference §2-§3) around invented articles.

Run `python tests/pages/build_pages.py` after editing; it writes NAME.html.gz and NAME.json. The
markup follows /work/shared/reference/korean-news-sources.md; the articles are written for these
tests (the two seed pages rebuild the text of /work/shared/seeds/ as HTML).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

HERE = Path(__file__).parent

EXAONE = [
    "LG AI연구원이 자체 개발한 초거대 AI '엑사원(EXAONE) 4.0'을 공개하고 기업용 서비스에 본격 적용한다고 15일 밝혔다.",
    "엑사원 4.0은 추론 모델과 언어 모델을 하나로 합친 하이브리드 구조로, 수학과 코딩 등 주요 벤치마크에서 글로벌 오픈소스 모델과 대등한 성능을 보였다.",
    "LG AI연구원은 이번 모델을 연구 목적으로 공개하는 한편, LG그룹 계열사의 고객 상담과 문서 분석 업무에 순차적으로 도입할 계획이다.",
    '배경훈 LG AI연구원장은 "엑사원은 한국어와 전문 분야 지식에서 강점을 갖춘 모델"이라며 "산업 현장의 문제를 푸는 AI로 키우겠다"고 말했다.',
    "업계에서는 국내 기업이 독자 기술로 만든 파운데이션 모델이 글로벌 경쟁력을 입증했다는 평가가 나온다.",
]
COPYRIGHT_BASIC = "Copyright ⓒ {o}. All rights reserved. 무단 전재 및 재배포 금지"
POPULAR = "<div class='popular'><h3>많이 본 뉴스</h3><ol><li><a href='/a/1'>환율, 17개월 만에 1400원 터치</a></li><li><a href='/a/2'>'사과 금값' 여파...파인애플 수입량 역대 최대</a></li></ol></div>"


def page(title: str, head: str, body: str, *, charset: str = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html><html lang='ko'><head>{meta}<title>{title}</title>{head}</head>"
        f"<body><header class='gnb'><a href='/'>홈</a> <a href='/economy'>경제</a> 로그인</header>"
        f"{body}<footer class='footer'>대표이사 홍길순 | 사업자등록번호 123-45-67890 | 대표전화 02-000-0000</footer>"
        f"</body></html>"
    )


def og(title: str, url: str, site: str, published: str | None = None) -> str:
    head = (
        f'<meta property="og:type" content="article"><meta property="og:title" content="{title}">'
        f'<meta property="og:url" content="{url}"><meta property="og:site_name" content="{site}">'
        f'<link rel="canonical" href="{url}">'
    )
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    return head


def ps(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def brs(lines: list[str]) -> str:
    return "<br><br>".join(lines)


PAGES: list[dict] = []


def add(  # noqa: PLR0917 - mirrors the record fields in order
    name: str,
    url: str,
    outlet: str,
    title: str,
    html: str,
    text: list[str],
    *,
    published: str | None,
    authors: list[str],
    must_keep: list[str],
    must_drop: list[str],
    encoding: str = "utf-8",
    headers: dict | None = None,
    raw: bytes | None = None,
) -> None:
    record = {
        "url": url,
        "outlet": outlet,
        "encoding": encoding,
        "title": title,
        "text": "\n".join(text),
        "authors": authors,
        "must_keep": must_keep,
        "must_drop": ["무단 전재", "무단전재", *must_drop],
        "provenance": "tests/pages/build_pages.py: outlet markup from the reference file",
    }
    if published:
        record["published"] = published
    if headers:
        record["headers"] = headers
    PAGES.append({"name": name, "record": record, "bytes": raw or html.encode(encoding)})


def build() -> None:
    t = 'LG AI연구원, 엑사원 4.0 공개…"글로벌 모델과 대등"'
    # 연합뉴스 (reference §2): article.story-news, update-time, writer-zone, txt-copyright
    url = "https://www.yna.co.kr/view/AKR20260715045100017"
    body = (
        f"<h1 class='tit01'>{t}</h1><p class='update-time' data-published-time='2026-07-15 09:30'>"
        f"<span class='txt-time01'>송고2026-07-15 09:30</span></p><article class='story-news article'>"
        f"<p>(서울=연합뉴스) 김지훈 기자 = {EXAONE[0]}</p>{ps(EXAONE[1:])}"
        f"<div class='photo-group'><figure><img src='x.jpg'><figcaption>엑사원 4.0 [LG AI연구원 제공. 재판매 및 DB 금지]</figcaption></figure></div>"
        f"<p class='adrs'>jhkim@yna.co.kr</p><p class='txt-copyright'>제보는 카카오톡 okjebo &lt;저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지&gt;</p>"
        f"<div class='keyword-zone'>관련 키워드 LG AI연구원 엑사원</div></article>"
        f"<div class='related-zone'><h3>관련 뉴스</h3><a>LG, AI 인재 확보 총력</a></div>"
    )
    add(
        "yna_2026_07_15",
        url,
        "연합뉴스",
        t,
        page(t + " | 연합뉴스", og(t, url, "연합뉴스"), body),
        EXAONE,
        published="2026-07-15T09:30:00+09:00",
        authors=["김지훈"],
        must_keep=[EXAONE[0], EXAONE[4]],
        must_drop=["김지훈 기자 =", "jhkim@yna.co.kr", "관련 뉴스", "재판매"],
    )

    # 이데일리: .news_body, "[이데일리 홍길동 기자]" stamp, footer lines (reference §2)
    url = "https://www.edaily.co.kr/News/Read?newsId=01234566642226600"
    body = (
        f"<div class='news_titles'><h1>{t}</h1></div><div class='dates'><ul><li>등록 2026-07-15 오전 10:12:00</li></ul></div>"
        f"<div class='news_body'>[이데일리 박소영 기자] {EXAONE[0]}<br><br>{brs(EXAONE[1:])}"
        f"<table><tr><td><img src='a.jpg'></td></tr><tr><td>LG AI연구원 연구진(사진=LG)</td></tr></table><br>"
        f"<br>박소영 기자 sypark@edaily.co.kr<br>[ⓒ 이데일리 - 무단전재 &amp; 재배포 금지]</div>"
        f"<div class='news_relate'><h3>추천기사</h3><a>LG전자, 2분기 실적</a></div>"
    )
    add(
        "edaily_2026_07_15",
        url,
        "이데일리",
        t,
        page(t, og(t, url, "이데일리", "2026-07-15T10:12:00+09:00"), body),
        EXAONE,
        published="2026-07-15T10:12:00+09:00",
        authors=["박소영"],
        must_keep=[EXAONE[0]],
        must_drop=["[이데일리", "sypark@", "사진=LG", "추천기사"],
    )

    # 전자신문: #articleBody, reporter_area (uncertain selectors)
    url = "https://www.etnews.com/20260715000123"
    body = (
        f"<h1>{t}</h1><div id='articleBody' class='article_body'>{ps(EXAONE)}"
        f"<figure><img src='b.jpg'><figcaption>LG AI연구원 엑사원 4.0</figcaption></figure>"
        f"<div class='reporter_area'>이승윤 기자 sylee@etnews.com</div><div class='ad'>광고</div></div>"
        f"<div class='related'><h3>관련기사</h3></div><p class='copy'>Copyright © 전자신문. 무단전재 및 재배포 금지</p>"
    )
    add(
        "etnews_2026_07_15",
        url,
        "전자신문",
        t,
        page(
            t + " - 전자신문",
            og(t, url, "전자신문", "2026-07-15T11:00:00+09:00")
            + '<meta name="author" content="이승윤 기자">',
            body,
        ),
        EXAONE,
        published="2026-07-15T11:00:00+09:00",
        authors=["이승윤"],
        must_keep=[EXAONE[2]],
        must_drop=["sylee@", "광고", "관련기사"],
    )

    # 지디넷코리아: #articleBody > div (KN)
    url = "https://zdnet.co.kr/view/?no=20260715110512"
    body = (
        f"<div class='news_head'><h1>{t}</h1><p class='meta'><a>최지연 기자</a> 입력 :2026/07/15 11:05</p></div>"
        f"<div id='articleBody'><div>{ps(EXAONE)}<figure><img src='c.jpg'><figcaption>엑사원 로고</figcaption></figure>"
        f"<p>최지연 기자(jychoi@zdnet.co.kr)</p></div></div><div class='kwd'>관련 키워드</div>"
        f"<div class='copy'>저작권자 ⓒ ZDNet Korea 무단전재 및 재배포 금지</div>"
    )
    add(
        "zdnet_2026_07_15",
        url,
        "지디넷코리아",
        t,
        page(t + " - 지디넷코리아", og(t, url, "지디넷코리아", "2026-07-15T11:05:00+09:00"), body),
        EXAONE,
        published="2026-07-15T11:05:00+09:00",
        authors=["최지연"],
        must_keep=[EXAONE[3]],
        must_drop=["jychoi@", "엑사원 로고"],
    )

    # 한국경제: #articletxt (KN, uncertain)
    url = "https://www.hankyung.com/article/202607155966v"
    body = (
        f"<h1 class='headline'>{t}</h1><div class='article-body' id='articletxt'>"
        f"<figure class='article-figure'><img src='d.jpg'><figcaption>사진=LG AI연구원</figcaption></figure>"
        f"{brs(EXAONE)}<br><br>정소람 기자 ram@hankyung.com</div>"
        f"<div class='related-news'><h3>이시각 주요뉴스</h3></div><p>ⓒ 한국경제 &amp; hankyung.com, 무단전재 및 재배포 금지</p>"
    )
    add(
        "hankyung_2026_07_15",
        url,
        "한국경제",
        t,
        page(t + " | 한국경제", og(t, url, "한국경제", "2026-07-15T08:01:00+09:00"), body),
        EXAONE,
        published="2026-07-15T08:01:00+09:00",
        authors=["정소람"],
        must_keep=[EXAONE[1]],
        must_drop=["ram@hankyung.com", "사진=LG", "주요뉴스"],
    )

    # AI타임스 (NDsoft CMS): #article-view-content-div, .info-name
    url = "https://www.aitimes.com/news/articleView.html?idxno=171234"
    body = (
        f"<h3 class='heading'>{t}</h3><ul class='infomation'><li class='info-name'>박찬 기자</li><li>입력 2026.07.15 14:20</li></ul>"
        f"<article id='article-view-content-div'><figure><img src='e.jpg'><figcaption>(사진=LG AI연구원)</figcaption></figure>"
        f"{ps(EXAONE)}<p>(사진=셔터스톡)</p><p>박찬 기자 cpark@aitimes.com</p></article>"
        f"<div class='view-copyright'>저작권자 © AI타임스 무단전재 및 재배포, AI학습 및 활용 금지</div>"
        f"<section class='popular'><h2>인기기사</h2></section>"
    )
    add(
        "aitimes_171234",
        url,
        "AI타임스",
        t,
        page(
            t + " - AI타임스",
            og(t + " - AI타임스", url, "AI타임스", "2026-07-15T14:20:00+09:00"),
            body,
        ),
        EXAONE,
        published="2026-07-15T14:20:00+09:00",
        authors=["박찬"],
        must_keep=[EXAONE[0]],
        must_drop=["셔터스톡", "cpark@", "AI학습"],
    )

    # 뉴시스: .viewer > article, .summury, "[서울=뉴시스]" stamp, "◎공감언론 뉴시스" tail
    url = "https://www.newsis.com/view/?id=NISX20260715_0003245678"
    body = (
        f"<h1 class='tit title_area'>{t}</h1><div class='viewer'><article>"
        f"<div class='summury'>엑사원 4.0 공개<br>하이브리드 구조</div>"
        f"<div class='thumCont'><img src='f.jpg'><p class='desc'>[서울=뉴시스] 엑사원 4.0. (사진=LG 제공) 2026.07.15.</p></div>"
        f"[서울=뉴시스]이지민 기자 = {EXAONE[0]}<br><br>{brs(EXAONE[1:])}<br><br>"
        f"◎공감언론 뉴시스 jmlee@newsis.com<div id='view_ad'>AD</div></article></div>"
        f"<p>Copyright © NEWSIS.COM, All rights reserved. 무단 전재-재배포, AI학습 및 활용 금지.</p>"
    )
    add(
        "newsis_2026_07_15",
        url,
        "뉴시스",
        t,
        page(t, og(t, url, "뉴시스", "2026-07-15T15:00:00+09:00"), body),
        EXAONE,
        published="2026-07-15T15:00:00+09:00",
        authors=["이지민"],
        must_keep=[EXAONE[0]],
        must_drop=["[서울=뉴시스]", "공감언론", "하이브리드 구조\n", "AD"],
    )

    # 뉴스1: #articles_detail (2023), "(서울=뉴스1)" stamp, 관련 키워드 tail
    url = "https://www.news1.kr/it-science/general-it/5812345"
    body = (
        f"<h1 class='article-h2-header-title'>{t}</h1><div id='articles_detail'>"
        f"<figure><img src='g.jpg'><figcaption>LG AI연구원 제공 ⓒ 뉴스1</figcaption></figure>"
        f"<p>(서울=뉴스1) 한재준 기자 = {EXAONE[0]}</p>{ps(EXAONE[1:])}<p>hanjj@news1.kr</p>"
        f"<p>관련 키워드</p><p>LG AI연구원</p><p>엑사원</p></div><p>Copyright ⓒ 뉴스1. All rights reserved. 무단 전재 및 재배포, AI학습 이용 금지.</p>"
    )
    add(
        "news1_5812345",
        url,
        "뉴스1",
        t,
        page(t + " - 뉴스1", og(t, url, "뉴스1", "2026-07-15T15:30:00+09:00"), body),
        EXAONE,
        published="2026-07-15T15:30:00+09:00",
        authors=["한재준"],
        must_keep=[EXAONE[4]],
        must_drop=["(서울=뉴스1)", "hanjj@", "관련 키워드"],
    )

    # 머니투데이: #textBody (old CMS), child div and table are widgets
    url = "https://www.mt.co.kr/tech/2026/07/15/2026071516031234567"
    body = (
        f"<h1 class='subject'>{t}</h1><div id='textBody'>{brs(EXAONE)}"
        f"<table class='article_photo'><tr><td><img src='h.jpg'></td></tr><tr><td>/사진제공=LG</td></tr></table>"
        f"<div class='reporter'>김승한 기자 winone@mt.co.kr</div><br><br>김승한 기자 winone@mt.co.kr</div>"
        f"<div class='copyright'>저작권자 © 머니투데이, 무단전재 및 재배포 금지</div><div class='rank'><h3>많이 본 뉴스</h3></div>"
    )
    add(
        "mt_2026_07_15",
        url,
        "머니투데이",
        t,
        page(t + " - 머니투데이", og(t, url, "머니투데이", "2026-07-15T16:03:00+09:00"), body),
        EXAONE,
        published="2026-07-15T16:03:00+09:00",
        authors=["김승한"],
        must_keep=[EXAONE[3]],
        must_drop=["사진제공", "winone@"],
    )

    # 디지털타임스: .article_view, served EUC-KR (reference: possibly EUC-KR), with 똠/햏
    url = "https://www.dt.co.kr/contents.html?article_no=2026071502109931081001"
    dt_text = [
        *EXAONE[:3],
        "연구진 사이에서는 '똠방각하'라는 별명과 함께 '햏' 같은 옛 인터넷 말투가 유행했다는 후일담도 전해졌다.",
        *EXAONE[3:],
    ]
    body = (
        f"<div class='article_head'><h1>{t}</h1></div><div class='article_view'>"
        f"<div class='art_photo'><img src='i.jpg'><p>엑사원 4.0 LG AI연구원 제공</p></div>{brs(dt_text)}<br><br>"
        f"<center><iframe src='ad'></iframe></center>이상현 기자 ishsy@dt.co.kr</div>"
        f"<p>디지털타임스 무단 전재 및 재배포 금지</p>{POPULAR}"
    )
    html = page(t, og(t, url, "디지털타임스", "2026-07-15T17:00:00+09:00"), body, charset="euc-kr")
    add(
        "dt_2026_07_15_euckr_declared",
        url,
        "디지털타임스",
        t,
        html,
        dt_text,
        published="2026-07-15T17:00:00+09:00",
        authors=["이상현"],
        must_keep=["똠방각하", "'햏'"],
        must_drop=["ishsy@", "많이 본 뉴스", "\ufffd"],
        encoding="euc-kr",
        raw=html.encode("cp949"),
    )
    html = page(t, og(t, url, "디지털타임스", "2026-07-15T17:00:00+09:00"), body, charset="")
    add(
        "dt_2026_07_15_euckr_undeclared",
        url,
        "디지털타임스",
        t,
        html,
        dt_text,
        published="2026-07-15T17:00:00+09:00",
        authors=["이상현"],
        must_keep=["똠방각하", "'햏'"],
        must_drop=["ishsy@", "\ufffd"],
        encoding="euc-kr",
        raw=html.encode("cp949"),
    )
    html = page(t, og(t, url, "디지털타임스", "2026-07-15T17:00:00+09:00"), body, charset="")
    add(
        "dt_2026_07_15_euckr_wrong_header",
        url,
        "디지털타임스",
        t,
        html,
        dt_text,
        published="2026-07-15T17:00:00+09:00",
        authors=["이상현"],
        must_keep=["똠방각하", "'햏'"],
        must_drop=["\ufffd"],
        encoding="euc-kr",
        raw=html.encode("cp949"),
        headers={"content-type": "text/html; charset=UTF-8"},
    )

    # 아이뉴스24: #articleBody with child figure/div/hr widgets
    url = "https://www.inews24.com/view/1856789"
    body = (
        f"<h1>{t}</h1><article id='articleBody'><figure><img src='j.jpg'><figcaption>LG AI연구원</figcaption></figure>"
        f"{ps(EXAONE)}<hr><div class='reporter'>/윤선훈 기자(krel@inews24.com)</div></article>"
        f"<p>[저작권자ⓒ 아이뉴스24 무단전재 및 재배포 금지]</p><div class='dable'>by Dable</div>"
    )
    add(
        "inews24_1856789",
        url,
        "아이뉴스24",
        t,
        page(
            t,
            og(t, url, "아이뉴스24", "2026-07-15T18:00:00+09:00")
            + '<meta name="author" content="윤선훈 기자">',
            body,
        ),
        EXAONE,
        published="2026-07-15T18:00:00+09:00",
        authors=["윤선훈"],
        must_keep=[EXAONE[2]],
        must_drop=["krel@"],
    )

    # 조선일보 has no profile: trafilatura and the general clean-up must cope (Arc XP markup).
    url = "https://www.chosun.com/economy/tech_it/2026/07/15/ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
    body = (
        f"<main><article class='article'><h1 class='article-header__headline'>{t}</h1>"
        f"<div class='article-byline'>임경업 기자</div><section class='article-body'>{ps(EXAONE)}"
        f"<p>임경업 기자 up@chosun.com</p></section>"
        f"<div class='article-footer'>Copyright ⓒ 조선일보. All rights reserved. 무단 전재 및 재배포, AI학습 이용 금지</div></article>"
        f"<aside><h3>많이 본 뉴스</h3><ol><li>다른 기사 제목 하나</li><li>다른 기사 제목 둘</li></ol></aside></main>"
    )
    head = og(t + " - 조선일보", url, "조선일보", "2026-07-15T19:00:00+09:00") + (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{t.replace(chr(34), chr(92) + chr(34))}","datePublished":"2026-07-15T10:00:00Z",'
        '"author":[{"@type":"Person","name":"임경업"}]}</script>'
    )
    add(
        "chosun_2026_07_15",
        url,
        "조선일보",
        t,
        page(t + " - 조선일보", head, body),
        EXAONE,
        published="2026-07-15T19:00:00+09:00",
        authors=["임경업"],
        must_keep=[EXAONE[0], EXAONE[4]],
        must_drop=["up@chosun.com", "많이 본 뉴스", "다른 기사"],
    )

    # n.news.naver.com: a 연합뉴스 copy; outlet from og:article:author, original_url from 기사원문
    url = "https://n.news.naver.com/mnews/article/001/0015123456?sid=105"
    body = (
        f"<div class='media_end_head_top'><a><img class='media_end_head_top_logo_img' alt='연합뉴스' src='l.png'></a></div>"
        f"<h2 id='title_area' class='media_end_head_headline'><span>{t}</span></h2>"
        f"<span class='media_end_head_info_datestamp_time _ARTICLE_DATE_TIME' data-date-time='2026-07-15 09:31:07'>2026.07.15. 오전 9:31</span>"
        f"<span class='_ARTICLE_MODIFY_DATE_TIME' data-modify-date-time='2026-07-15 10:02:00'>2026.07.15. 오전 10:02</span>"
        f"<a class='media_end_head_origin_link' href='https://www.yna.co.kr/view/AKR20260715045100017?input=1195m'>기사원문</a>"
        f"<em class='media_end_head_journalist_name'>김지훈 기자</em>"
        f"<article id='dic_area' class='go_trans _article_content'><strong class='media_end_summary'>엑사원 4.0 공개<br>배경훈 원장 \"산업 현장 AI\"</strong>"
        f"<span class='end_photo_org'><img data-src='m.jpg'><em class='img_desc'>엑사원 4.0 [LG AI연구원 제공]</em></span>"
        f"(서울=연합뉴스) 김지훈 기자 = {EXAONE[0]}<br><br>{brs(EXAONE[1:])}<br><br>jhkim@yna.co.kr</article>"
        f"<p class='copyright'>Copyright ⓒ 연합뉴스. All rights reserved. 무단 전재-재배포, AI 학습 및 활용 금지.</p>"
        f"<div class='link_news_relation'>관련기사</div>"
    )
    head = (
        '<meta property="og:type" content="article"><meta property="og:title" content="'
        + t.replace('"', "&quot;")
        + '">'
        '<meta property="og:article:author" content="연합뉴스 | 네이버">'
        f'<meta property="og:url" content="{url}">'
    )
    add(
        "naver_001_0015123456",
        url,
        "연합뉴스",
        t,
        page(t, head, body),
        EXAONE,
        published="2026-07-15T09:31:07+09:00",
        authors=["김지훈"],
        must_keep=[EXAONE[0]],
        must_drop=['배경훈 원장 "산업', "jhkim@", "김지훈 기자 ="],
    )

    build_seeds()


ECONOMIST_TEXT = [
    "LG AI 연구원이 국제 AI 학회인 '국제 컴퓨터 비전 및 패턴 인식 학술대회(CVPR) 2022'에서정규 논문 6편과 워크숍 논문 1편을 발표한다. 특히 단독 연구 논문을 포함해 2편이 구두 발표에 선정됐다. 텍스트와 이미지의 양방향 소통이 가능한 초거대 AI 'EXAONE(엑사원)'의 핵심 기술 담은 내용이 핵심이다.",
    "학회는 제출받은 논문 중 4% 이내에 해당하는 최상위 평가 연구에만 구두발표 기회를 준다. 이를 고려하면 LG의 연구 성과가 그만큼 국제적으로 인정받고 있다는 것으로 해석된다.",
    "LG 관계자는 “LG AI 연구원 출범 첫 해인 지난해 CVPR에서 논문 1편을 발표했는데, 올해는 2편이 구두 발표(Oral Session)에 선정되는 두드러진 연구 성과를 보였다”고 19일 설명했다.",
    "LG측에 따르면 AI연구원은 이번에 발표한 논문을 토대로 세계 최초로 언어와 시각 정보 간 양방향 소통이 가능한 초거대 멀티모달 AI 'EXAONE(엑사원)'을 개발했다. 엑사원은 AI의 신경망인 파라미터가 3000억 개에 달해 사람의 뇌처럼 학습하고 판단할 수 있다. 각 분야에 응용하면 전문가 수준으로 의사 결정을 돕는 AI 인간을 개발하는 게 가능하다고 LG는 설명한다.",
    "올해 초 뉴욕패션위크에 참가해 주목을 받았던 AI 아티스트 '틸다' 역시 엑사원을 패션에 접목한 사례로 주목받았다. 틸다는 박윤희 디자이너와 협업해 200개가 넘는 의상들을 선보였다. ‘금성에 핀 꽃’을 주제로 박윤희 디자이너와 대화를 나누며 3000장이 넘는 이미지와 패턴들을 창작했다.",
    "LG AI연구원은 올해 상반기에만 AAAI, ICLR 등 글로벌 AI 학회에서 20편의 논문을 발표하면서 AI 연구에서 두각을 나타내고 있다. 지난해에는 18편은 논문을 발표했다.",
    "연구 인력 확보에도 총력을 기울이고 있다. 최근에는 서울대 AI대학원과 초거대 멀티모달 AI 공동 연구와 인재 육성을 위해 'SNU-LG AI 리서치 센터'를 설립했다. 해외에서는 캐나다 토론토대와 AI 난제 해결을 위한 원천 기술 공동 연구를 진행하고 지난 3월 미국 미시간주에 이홍락 CSAI(Chief Scientist of AI, 최고AI과학자)가 이끄는 북미 연구 거점인 'LG AI 리서치 센터'를 신설하고 미시간대와 연구 협력에 나서기도 했다.",
    "이번 학술대회에서도 LG전자, LG디스플레이, LG에너지솔루션, LG유플러스, LG CNS 등 LG 주요 계열사 5곳은 LG AI연구원과 함께 AI 인재 확보에 나섰다. LG 각 계열사의 AI 연구 인력과 채용 담당자들이 LG 통합 부스에서 각 사의 최신 AI 기술 시연과 채용 상담을 진행한다.",
    "배경훈 LG AI연구원장은 “올해는 글로벌 연구 네트워크를 본격적으로 구축하는 해”라며 “향후 글로벌 AI 기술을 선도하는 연구 기관으로 자리매김하기 위해 우수 인재를 적극적으로 영입하고, 끊임없는 도전으로 세계적인 AI 학회에서 꾸준히 성과를 알릴 것”이라고 말했다.",
    "한편, LG는 최근 AI를 차세대 먹거리로 정하고 향후 5년간 AI‧데이터 분야 연구개발에 3조 6000억원을 투입해 미래 기술을 선점하고 인재 영입에 적극 나서 고용 창출에 기여한다는 계획을 발표했다.",
]
ETODAY_TEXT = [
    "#LG AI 연구원은 기계 독해를 통해 문헌에서 원하는 데이터를 빠르게 추출하는 솔루션을 개발했다. 연구원 측은 해당 기술을 산업 현장에 어떤 식으로 적용할 수 있을지 고민했고, 그 결과 특허검색 쪽에 적합한 기술이라는 판단을 내렸다.",
    "즉각 계열사와의 논의가 이뤄졌고, 지난달 초 AI 연구원과 협업을 통해 LG이노텍의 'AI 특허정보 시스템'이 구축됐다. 수만 건의 특허 빅데이터를 단시간에 분석해 개발 방향 수립에 필요한 핵심 정보를 빠르게 제공받을 수 있게 된 것이다.",
    "LG그룹의 인공지능(AI) 기술 전담 조직인 ‘LG AI연구원’이 지난해 말 출범 이후 지속적인 성과를 내며 기대감을 키우고 있다. AI 분야는 구광모 회장이 ‘고객 가치 경영’을 실천하기 위한 전제조건으로 꼽은 대표적인 분야다.",
    "5일 업계에 따르면 LG AI 연구원은 계열사와의 지속적인 협업을 통해 현업에서 AI 적용 분야를 넓혀가고 있다.",
    "연구성과 '차곡차곡'…\"고객가치 경영 도움될 것\"",
    '그룹 차원의 일사불란한 움직임은 AI 분야를 신성장 동력으로 제시한 구광모 회장의 경영 전략과도 맥이 맞닿아 있다. 구 회장은 올해 신년사에서도 고객가치 경영 신조를 언급하면서 "AI, 빅데이터 같은 디지털 기술이 분명 큰 도움이 될 것"이라고 강조했다.',
    '"인재 모시자"…별도 시스템 구비·산학협력 강화',
    "그룹 AI 전략의 핵심 조직인 AI 연구원의 남은 과제는 '인재 확보'다. LG 측은 AI 연구원이 출범한 지난해 12월, 연구 인력 규모를 올해까지 100여 명, 2023년엔 1000명대 수준으로 늘린다고 공언한 바 있다.",
    "임우형 데이터 인텔리전스 랩장은 \"궁극적으로 모든 업무, 모든 생활에 AI가 활용되는 것이 목표\"라며 '더 나은 삶을 위한 AI 개발(Advancing AI for a Better Life)'이라는 주제로 발표를 진행했다.",
]
TICKER = [
    ("비트코인", "71,329,000", "+1.46%"),
    ("이더리움", "4,734,000", "+8.06%"),
    ("비트코인 캐시", "1,638,000", "-1.15%"),
    ("리플", "1,864", "-1.58%"),
]


def build_seeds() -> None:
    # 이코노미스트 2022 (seeds/000): print button, caption with [사진 …], 많이 본 뉴스, 실시간 뉴스
    t = "LG 미래먹거리 'AI'…세계 최고 권위 학회서 기술력 입증"
    url = "https://economist.co.kr/article/view/ecn202206190011"
    text = ECONOMIST_TEXT
    body = (
        f"<div class='article_print'><button>print</button></div><div class='view-article-title'><h1>{t}</h1></div>"
        f"<div class='subtitle'>상위 4% 평가 연구에만 주어지는 구두 발표 기회 얻어<br>올해 상반기에만 AI 학회에 논문 20편 발표</div>"
        f"<div id='article_body'><div class='content'>"
        f"<figure><img src='a.jpg'><figcaption>배경훈 LG AI 연구원장이 지난 2월 유튜브로 진행된 '엑스퍼트 AI 얼라이언스' 창립 행사에서 글로벌 초거대 AI 생태계에 관해 설명하고 있다. [사진 LG그룹]</figcaption></figure>"
        f"{brs(text[:7])}<br>&nbsp;<br><figure><img src='b.jpg'><figcaption>LG 초거대 AI EXAONE(엑사원)의 핵심 기술 요약[사진 LG]</figcaption></figure>"
        f"{brs(text[7:])}<br><br>이병희 기자 leoybh@edaily.co.kr<br><br>"
        f"ⓒ이코노미스트(https://economist.co.kr) '내일을 위한 경제뉴스 이코노미스트' 무단 전재 및 재배포 금지</div></div>"
        f"<section class='most_view'><h3>많이 본 뉴스</h3><ol><li><a><span>1</span>'사과 금값' 여파...지난달 파인애플·망고 수입량 '역대 최대'</a></li>"
        f'<li><a><span>2</span>김히어라 측 "학폭 제기자 만나 화해...기다려주신 분들께 감사"</a></li></ol></section>'
        f"<section class='realtime'><h3>실시간 뉴스</h3><ol><li><a><span>1</span>'사과 금값' 여파...지난달 파인애플·망고 수입량 '역대 최대'</a></li></ol></section>"
    )
    add(
        "economist_2022_06_19_seed",
        url,
        "이코노미스트",
        t,
        page(t + " - 이코노미스트", og(t, url, "이코노미스트", "2022-06-19T15:12:00+09:00"), body),
        text,
        published="2022-06-19T15:12:00+09:00",
        authors=["이병희"],
        must_keep=[text[0], text[-1]],
        must_drop=[
            "print",
            "[사진",
            "많이 본 뉴스",
            "실시간 뉴스",
            "leoybh@",
            "사과 금값",
            "ⓒ이코노미스트",
        ],
    )

    # 이투데이 2021 (seeds/001): (이투데이DB) and ▲ captions, 주요 뉴스, crypto ticker
    t = '"차세대 기술 육성 밑거름" AI 힘쓰는 구광모호, 속속 성과 도출'
    url = "https://www.etoday.co.kr/news/view/2022345"
    text = ETODAY_TEXT
    ticker = "".join(
        f"<li><ul><li>{a}</li><li>{b}</li><li>{c}</li></ul></li>" for a, b, c in TICKER
    )
    body = (
        f"<div class='main_title'><h1>{t}</h1></div><div class='newsinfo'><span>입력 2021-05-05 11:00</span></div>"
        f"<div class='articleView'><h2 class='subtitle'>지난해 말 출범 이후 계열사와 꾸준한 협업…연구성과도 한 달에 '두 개'꼴</h2>"
        f"{ps(text[:5])}<div class='view_photo'><img src='a.jpg'><p>(이투데이DB)</p></div><p>(이투데이DB)</p>"
        f"{ps(text[5:7])}<p>▲LG AI 연구원이 참가한 2021 AI 연구원 리트리트 행사 사진 (사진제공=LG AI 연구원)</p>"
        f"{ps(text[7:])}<div class='reporter_area'>이다원 기자 leedw@etoday.co.kr</div>"
        f"<section class='copyright'>저작권자 © 이투데이, 무단전재 및 재배포 금지</section></div>"
        f"<div class='main_news'><h3>주요 뉴스</h3><ul><li>오늘의 상승종목</li><li>05.07 장종료</li></ul></div>"
        f"<div class='coin'><h3>실시간 암호화폐 시세</h3><ul><li>종목</li><li>현재가(원)</li><li>변동률</li>{ticker}</ul><p>* 24시간 변동률 기준</p></div>"
    )
    head = og(t, url, "이투데이") + '<meta name="author" content="이다원 기자">'
    add(
        "etoday_2021_05_05_seed",
        url,
        "이투데이",
        t,
        page(t + " - 이투데이", head, body),
        text,
        published="2021-05-05T11:00:00+09:00",
        authors=["이다원"],
        must_keep=[text[0], text[-1]],
        must_drop=[
            "(이투데이DB)",
            "▲",
            "사진제공",
            "주요 뉴스",
            "비트코인",
            "71,329,000",
            "변동률",
            "leedw@",
        ],
    )


def main() -> None:
    build()
    for item in PAGES:
        (HERE / f"{item['name']}.html.gz").write_bytes(gzip.compress(item["bytes"], mtime=0))
        (HERE / f"{item['name']}.json").write_text(
            json.dumps(item["record"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
