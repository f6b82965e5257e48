"""Every site profile against real addresses of its outlet: its article pattern, its host lookup.

The addresses are facts: real article URLs quoted in public repositories' code, notes and test
data (found by exact-string search of public GitHub code, December 2026), and the gold set's own
pages. A profile's pattern must match every one of them; a list, section or search address of the
same host must not match (the general path still reads such a page, and its gate refuses it).
"""

from __future__ import annotations

import pytest

from crawler.profiles import PROFILES, is_article_url, profile_for

REAL_ARTICLES: dict[str, list[str]] = {
    "연합뉴스": [
        "https://www.yna.co.kr/view/AKR20240909123000017",
        "https://www.yna.co.kr/view/AKR20260209030100002",
        "https://www.yna.co.kr/view/AKR20250213094800004?section=politics/all&site=topnews01",
        "https://www.yna.co.kr/view/AKR20251028095752073",
        "https://www.yna.co.kr/view/AKR20260501058600003",
        "https://www.yna.co.kr/view/AKR20231120152500003",
    ],
    "매일경제": [
        "https://www.mk.co.kr/news/politics/11333783",  # gold page mk_2025_06_03
        "https://www.mk.co.kr/news/stock/12158645",
        "https://www.mk.co.kr/news/economy/9410180",
        "https://www.mk.co.kr/news/it/11021534",
        "https://www.mk.co.kr/news/stock/12016691",
        "https://www.mk.co.kr/news/columnists/9571240",
    ],
    "한국경제": [
        "https://www.hankyung.com/article/201903252376f",
        "https://www.hankyung.com/article/202607278175O",
        "https://www.hankyung.com/article/202506057366g",
        "https://www.hankyung.com/article/202504087237i",
        "https://www.hankyung.com/article/202205276556i",
        "https://www.hankyung.com/article/2021020883891",
        "https://www.hankyung.com/article/2026071577171",
    ],
    "전자신문": [
        "http://www.etnews.com/20230814000159",
        "https://www.etnews.com/20151218000443",
        "https://www.etnews.com/20241112000353",
        "https://www.etnews.com/20260129000199",
        "https://www.etnews.com/20201216000181",
        "http://www.etnews.com/20160609000328?mc=ns_001_00001",
        "https://www.etnews.com/20240401000257",
    ],
    "지디넷코리아": [
        "https://zdnet.co.kr/view/?no=20260323181112",
        "https://zdnet.co.kr/view/?no=20260920215302",
        "https://zdnet.co.kr/view/?no=20221031110117",
        "https://zdnet.co.kr/view/?no=20260807082728",
        "https://zdnet.co.kr/view/?no=20131128094356",
        "https://zdnet.co.kr/view/?no=20241111153334",
    ],
    "이데일리": [
        "https://www.edaily.co.kr/news/read?newsId=01420246635670256&mediaCodeNo=257",
        "https://www.edaily.co.kr/News/Read?newsId=01571126645511568",
        "https://www.edaily.co.kr/news/read?newsId=01184086632295792&mediaCodeNo=257&OutLnkChk=Y",
        "https://www.edaily.co.kr/News/Read?newsId=02482966645485984&mediaCodeNo=257",
        "https://www.edaily.co.kr/News/Read?newsId=03729366645421040",
        "https://m.edaily.co.kr/News/Read?newsId=03545686635808016&mediaCodeNo=257",
        "https://marketin.edaily.co.kr/News/Read?newsId=03732646638955176",
    ],
    "이투데이": [
        "https://www.etoday.co.kr/news/view/2051764",
        "https://www.etoday.co.kr/news/view/2441038",
        "https://www.etoday.co.kr/news/view/2050450",
        "https://www.etoday.co.kr/news/view/2607723",
        "https://www.etoday.co.kr/news/view/1922133",
        "https://www.etoday.co.kr/news/view/2630619?trc=main_list_pick",
    ],
    "AI타임스": [
        "https://www.aitimes.com/news/articleView.html?idxno=168226",
        "https://www.aitimes.com/news/articleView.html?idxno=212175",
        "https://www.aitimes.com/news/articleView.html?idxno=202749",
        "https://www.aitimes.com/news/articleView.html?idxno=169525",
        "https://www.aitimes.com/news/articleView.html?idxno=155106",
        "https://www.aitimes.com/news/articleView.html?idxno=138584",
    ],
    "뉴시스": [
        "https://www.newsis.com/view/?id=NISX20231208_0002550750&cID=10201&pID=10200",
        "http://www.newsis.com/view/?id=NISX20221020_0002055098&cID=10806&pID=10800",
        "https://newsis.com/view/?id=NISX20210805_0001538550&cID=13102&pID=13100",
        "https://newsis.com/view/?id=NISX20220207_0001749258&cID=10812&pID=10800",
        "https://www.newsis.com/view/?id=NISX20231228_0002573329&cID=10403&pID=15000",
        "https://newsis.com/view/?id=NISX20200910_0001161175",
    ],
    "뉴스1": [
        "https://www.news1.kr/finance/general-finance/6315027",
        "https://www.news1.kr/diplomacy/defense-diplomacy/6259109",
        "https://www.news1.kr/society/incident-accident/5546773",
        "https://www.news1.kr/articles/?3585452",
        "https://www.news1.kr/articles/?4211781",
        "https://www.news1.kr/articles/?4634153",
        "https://star.news1.kr/articles/?6205229",
    ],
    "머니투데이": [
        "https://news.mt.co.kr/mtview.php?no=2021090916014079809",
        "https://news.mt.co.kr/mtview.php?no=2022101115073763457",
        "http://news.mt.co.kr/mtview.php?no=2024101108472618756",
        "https://www.mt.co.kr/future/2024/02/19/2024021910085959131",
        "https://www.mt.co.kr/tech/2026/04/07/2026040709261836765",
        "https://www.mt.co.kr/society/2026/05/01/2026050109014984094",
        "https://www.mt.co.kr/stock/2026/07/22/2026072209285923564",
    ],
    "디지털타임스": [
        "http://www.dt.co.kr/contents.html?article_no=2022022302101231820001&ref=naver",
        "http://www.dt.co.kr/contents.html?article_no=2021052702109958044003",
        "https://www.dt.co.kr/contents.html?article_no=2024111502109954056001&ref=naver",
        "http://www.dt.co.kr/contents.html?article_no=2009030602010660600003",
        "https://www.dt.co.kr/contents.html?article_no=2023072102109923083004&ref=naver",
        "https://www.dt.co.kr/contents.html?article_no=2025021002109931054001",
    ],
    "아이뉴스24": [
        "https://opinion.inews24.com/view/1692184",
        "https://www.inews24.com/view/tp/1856808",
        "http://www.inews24.com/view/1180471",
        "http://www.inews24.com/view/1291857?fbclid=IwAR2vgkXm7WAiA52MYMvi1iRdt2igehObA",
        "https://www.inews24.com/view/1974197",
        "https://www.inews24.com/view/1965143",
    ],
    "이코노미스트": [
        "https://economist.co.kr/article/view/ecn202106070028",
        "https://economist.co.kr/article/view/ecn202301110006",
        "https://economist.co.kr/article/view/ecn202608190042",
        "https://economist.co.kr/article/view/ecn202603090048",
        "https://economist.co.kr/article/view/ecn202304050063",
        "https://economist.co.kr/article/view/ecn202511060061",
    ],
    "한국일보": [
        "https://www.hankookilbo.com/News/Read/A2025051516330004328",  # gold pages
        "https://www.hankookilbo.com/news/article/A2026012914320005196",
        "https://www.hankookilbo.com/news/article/A2026071220290000630",
        "https://www.hankookilbo.com/News/Read/A2022091910410000417",
        "https://www.hankookilbo.com/News/Read/A2023101313550004578",
        "https://m.hankookilbo.com/News/Read/A2023071115570002238",
        "https://www.hankookilbo.com/News/Read/A2023020116010004701?did=NA",
    ],
    "동아일보": [
        "http://news.donga.com/3/all/20131023/58406128/1",  # gold and silver pages
        "http://news.donga.com/List/3/all/20160918/80317115/1",
        "http://news.donga.com/List/3/all/20160918/80317118/1",
        "https://www.donga.com/news/Society/article/all/20200404/100496932/1",
        "https://www.donga.com/news/Inter/article/all/20210327/106107177/1",
        "https://www.donga.com/news/Society/article/all/20260415/133748578/1",
    ],
    # Only three real addresses could be found (the outlet moved to another CMS around 2020):
    # the profile says so (see its `verified`), and newer pages are read by the general path.
    "엔터미디어": [
        "http://entermedia.co.kr/news/news_view.html?idx=8576&page=1&bc=03&mc=0",
        "http://entermedia.co.kr/news/news_view.html?idx=8723&page=1&bc=&mc=&fi=&fw=",
        "http://www.entermedia.co.kr/news/news_view.html?idx=7312&bc=&mc=",
    ],
    "네이버뉴스": [
        "https://n.news.naver.com/mnews/article/018/0005316196?sid=100",  # silver pages
        "https://n.news.naver.com/article/016/0002194334",
        "https://news.naver.com/main/read.naver?mode=LSD&mid=sec&oid=001&aid=0009205077&sid1=001",
        "https://n.news.naver.com/mnews/article/020/0003089189?sid=101",
        "https://n.news.naver.com/mnews/article/421/0007038753?sid=103",
        "https://news.naver.com/main/read.nhn?mode=LSD&mid=sec&sid1=102&oid=001&aid=0011729190",
        # Sports: old (news.nhn, news?) and new (m.sports …/article/OID/AID) addresses.
        "https://sports.news.naver.com/news?oid=477&aid=0000073768",  # silver page
        "https://sports.news.naver.com/news.nhn?oid=076&aid=0003724055",
        "http://sports.news.naver.com/news.nhn?oid=109&aid=0003545531",
        "https://m.sports.naver.com/kbaseball/article/311/0001756000",
        "https://m.sports.naver.com/kbaseball/article/477/0000496335",
        # Entertainment: old (read?oid=&aid=) and new (m.entertain …/article/OID/AID).
        "https://entertain.naver.com/read?oid=311&aid=0001664261&cid=1073789",
        "https://entertain.naver.com/read?oid=108&aid=0003257812",
        "https://m.entertain.naver.com/article/109/0005206649",
        "https://m.entertain.naver.com/article/112/0002951316",
        "https://m.entertain.naver.com/home/article/396/0000709497",
    ],
}
# Profiles with fewer than five real addresses found, and why (each says so in `verified`).
FEW_ADDRESSES = {"엔터미디어"}

NOT_ARTICLES = [
    "https://www.yna.co.kr/economy/all",
    "https://www.mk.co.kr/news/economy/",
    "https://www.hankyung.com/economy",
    "https://www.edaily.co.kr/news/list?code=01",
    "https://www.donga.com/news/List?p=1&prod=news&ymd=&m=",
    "https://www.donga.com/news/search?query=엑사원",
    "https://www.news1.kr/categories/?31",
    "https://www.mt.co.kr/estate",
    "https://m.sports.naver.com/kbaseball/news?sectionId=kbo&team=SS&sort=latest",
    "https://m.entertain.naver.com/ranking",
    "https://m.sports.naver.com/kbaseball/record/kbo?seasonCode=2026&tab=teamRank",
    "https://news.naver.com/main/list.naver?mode=LPOD&mid=sec&oid=020",
]


def test_every_profile_has_real_addresses() -> None:
    assert sorted(REAL_ARTICLES) == sorted(p.name for p in PROFILES)
    for name, urls in REAL_ARTICLES.items():
        assert len(set(urls)) == len(urls), name
        assert len(urls) >= (3 if name in FEW_ADDRESSES else 5), name


@pytest.mark.parametrize(
    ("name", "url"), [(name, url) for name, urls in REAL_ARTICLES.items() for url in urls]
)
def test_profile_pattern_matches_its_outlets_real_article(name: str, url: str) -> None:
    profile = profile_for(url)
    assert profile is not None
    assert profile.name == name
    assert is_article_url(profile, url)


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_profile_pattern_refuses_list_and_search_addresses(url: str) -> None:
    profile = profile_for(url)
    assert profile is not None
    assert not is_article_url(profile, url)


def test_every_profile_says_where_it_was_verified_or_that_it_was_not() -> None:
    unverified = sorted(p.name for p in PROFILES if not p.verified)
    # Selectors from the KoNaCrawler reference only (reference §2), never seen on a saved page.
    assert unverified == sorted(
        [
            "한국경제",
            "전자신문",
            "지디넷코리아",
            "이데일리",
            "뉴시스",
            "뉴스1",
            "머니투데이",
            "아이뉴스24",
        ]
    )
    few = next(p for p in PROFILES if p.name == "엔터미디어")
    assert "only three real addresses" in few.verified
