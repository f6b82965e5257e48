"""Site profiles: per-outlet selectors as small data entries, looked up by host."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from lxml.cssselect import CSSSelector

# Selector strings are CSS; "css@attr" reads an attribute instead of the element's text.
# Sources: docs/sources.md §2-§4 ("reference"), which cites
# Party4Bread/KoNaCrawler ("KN", 2023, body only, uncertain) and flairNLP/fundus;
# and the gold pages.

# Dropped on every profiled page (docs/sources.md §4.1): captions, ads, widgets, related lists.
COMMON_DROP: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "iframe",
    "figcaption",
    "aside",
    ".img_desc",
    ".caption",
    ".txt-desc",
    ".ad_wrap",
)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """How to read one outlet's article pages; every selector tuple is tried in order."""

    name: str
    hosts: tuple[str, ...]
    body: tuple[str, ...]
    title: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    # Where the outlet's name comes from when one template serves many outlets (Naver).
    outlet: tuple[str, ...] = ()
    original_url: tuple[str, ...] = ()
    # URLs of article pages. An address it does not match is read by the general path (script
    # payloads, JSON-LD, the densest text block, trafilatura), whose own gate refuses list pages.
    article_url: str = ""
    # Where the selectors were checked: saved pages or public code. Empty: never checked against
    # a real page of the outlet, so its selectors are a guess and the general path reads the page
    # whenever they find no body. The article_url patterns are checked against real addresses in
    # tests/test_profiles.py.
    verified: str = ""


PROFILES: tuple[SiteProfile, ...] = (
    SiteProfile(
        name="연합뉴스",
        hosts=("yna.co.kr",),
        body=("article.story-news p",),  # KN and DIYgod/RSSHub lib/routes/yna (docs/sources.md §2)
        title=("h1.tit01", "h1.tit"),
        published=(".update-time@data-published-time", ".update-time .txt-time01"),
        author=(".tit-name a", ".tit-name"),
        drop=(
            ".related-group",
            "div[class^='writer-zone']",
            ".photo-group",
            ".related-zone",
            ".txt-copyright",
            ".adrs",
            ".keyword-zone",
        ),
        article_url=r"/view/AKR\d+",
        verified=(
            "selectors from public code (KoNaCrawler; DIYgod/RSSHub lib/routes/yna), not a "
            "saved page of the current layout; the 2016 silver page (yonhapnews.co.kr) is "
            "read by the general path"
        ),
    ),
    SiteProfile(
        name="매일경제",
        hosts=("mk.co.kr",),
        # Verified on the gold page; the gold reference keeps div.mid_title, so we keep it too.
        body=("div.news_cnt_detail_wrap[itemprop='articleBody']", "div.news_cnt_detail_wrap"),
        title=("h2.news_ttl",),
        published=("dl.registration dd",),
        author=("dl.author dt.name",),
        drop=(
            "div.ad_wrap",
            "#refTotal",
            "section.news_popularity_sec",
            "section.news_best_sec",
            "div.bt_copyright",
            "figure",
            ".thumb_area",
        ),
        article_url=r"/news/[a-z_]+/\d+",
        verified=("gold page mk_2025_06_03"),
    ),
    SiteProfile(
        name="한국경제",
        hosts=("hankyung.com",),
        body=("#articletxt",),  # KN (2023, uncertain)
        title=("h1.headline",),  # uncertain: docs/sources.md gives only meta for the title
        published=(
            ".datetime .item:first-child .txt-date",
        ),  # uncertain, reported 2026 list markup
        author=(".author .name", ".byline"),
        drop=("figure", ".article-figure", ".ad-area", ".related-news"),
        article_url=r"/article/\d{8}[0-9A-Za-z]{5}",
    ),
    SiteProfile(
        name="전자신문",
        hosts=("etnews.com",),
        body=("#articleBody", ".article_txt", ".article_body"),  # uncertain (docs/sources.md §2)
        title=("h1",),
        drop=(".ad", ".related", "figure", ".reporter_area"),
        article_url=r"/\d{14}",
    ),
    SiteProfile(
        name="지디넷코리아",
        hosts=("zdnet.co.kr",),
        body=("#articleBody > div", "#articleBody"),  # KN (2023, uncertain)
        title=(".news_head h1", "h1"),
        author=(".news_head .meta a", ".reporter_name"),  # uncertain: not in docs/sources.md
        drop=("figure", ".ad"),
        article_url=r"/view/\?no=\d{14}",
    ),
    SiteProfile(
        name="이데일리",
        hosts=("edaily.co.kr",),
        body=(".news_body",),  # KN (2023, uncertain)
        title=(".news_titles h1", "h1"),
        drop=("table", ".news_relate", ".ad"),
        article_url=r"/[Nn]ews/[Rr]ead\?newsId=\d+",
    ),
    SiteProfile(
        name="이투데이",
        hosts=("etoday.co.kr",),
        body=(".articleView",),  # KN (2023, uncertain); child div/section are widgets
        title=(".main_title h1", "h1.main_title", "h1"),
        published=(".newsinfo span:first-child",),
        author=(".reporter_name",),  # uncertain: not in docs/sources.md
        drop=(".articleView > div", ".articleView > section", ".view_photo", ".articleView > h2"),
        article_url=r"/news/view/\d+",
        verified=("own test page etoday_2021_05_05_seed (the naive-scraper seed text)"),
    ),
    SiteProfile(
        name="AI타임스",
        hosts=("aitimes.com",),
        body=("#article-view-content-div",),  # verified in code (larc30/aitimes-collector)
        title=(".heading", "h3.heading"),
        author=(".info-name",),  # reported
        drop=("figure", ".view-editors", ".ad-template"),
        article_url=r"/news/articleView\.html\?idxno=\d+",
        verified=("public code (larc30/aitimes-collector) and own test pages"),
    ),
    SiteProfile(
        name="뉴시스",
        hosts=("newsis.com",),
        body=(".viewer > article", ".viewer"),  # KN (2023, uncertain)
        title=("h1.tit", ".subject h1", "h1"),
        drop=(".summury", "#view_ad", ".thumCont", ".iwmads", "table"),
        article_url=r"/view/\?id=NIS[A-Z]\d{8}_\d{10}",
    ),
    SiteProfile(
        name="뉴스1",
        hosts=("news1.kr",),
        # #articles_detail: 2023, likely stale (docs/sources.md §2); the 2024 CMS is unverified.
        body=("#articles_detail", "#articleBodyContent"),
        title=("h1.article-h2-header-title", "h1"),
        drop=("figure", ".keyword-list", ".related-news"),
        article_url=r"/(?:articles/\?|[a-z-]+/[a-z-]+/)\d+",
    ),
    SiteProfile(
        name="머니투데이",
        hosts=("mt.co.kr",),
        body=("#textBody",),  # old CMS (KN); the new CMS's body selector is uncertain
        title=("h1.subject", "h1"),
        drop=("table", "#textBody > div"),
        article_url=r"/(?:[a-z]+/\d{4}/\d{2}/\d{2}/\d+|(?:view/)?mtview\.php\?no=\d+)",
    ),
    SiteProfile(
        name="디지털타임스",
        hosts=("dt.co.kr",),
        body=(".article_view",),  # KN (2023, uncertain); possibly EUC-KR (docs/sources.md §2)
        title=(".article_head h1", "h1"),
        drop=("iframe", "center", ".article_view > div"),
        article_url=r"/contents\.html\?article_no=\d+",
        verified=("own test pages (dt_2026_07_15_euckr_*), not a page saved from the outlet"),
    ),
    SiteProfile(
        name="아이뉴스24",
        hosts=("inews24.com",),
        body=("#articleBody",),  # KN (2023, uncertain)
        title=("h1",),
        drop=("#articleBody > figure", "#articleBody > div", "#articleBody > hr"),
        article_url=r"/view/(?:[a-z]+/)?\d+",
    ),
    SiteProfile(
        name="이코노미스트",
        hosts=("economist.co.kr",),
        body=("#article_body > .content", "#article_body"),  # KN (2023, uncertain)
        title=(".view-article-title h1", "h1"),
        drop=("figure", ".img_box", ".article_print"),
        article_url=r"/article/view/ecn\d{12}",
        verified=("own test page economist_2022_06_19_seed (the naive-scraper seed text)"),
    ),
    SiteProfile(
        name="한국일보",
        hosts=("hankookilbo.com",),
        # Verified on three gold layouts (fundus hankook_ilbo.py); headings are part of the body.
        body=("p.editor-p, h3.editor-tit",),
        title=("h1.title",),
        published=("[data-deploy-dt]@data-deploy-dt",),
        modified=("[data-re-deploy-dt]@data-re-deploy-dt",),
        author=("[data-byline-writer-name]@data-byline-writer-name",),
        drop=("div.editor-img-box", "div.caption", "h2.sub-tit-ll"),
        article_url=r"/(?:[Nn]ews/[Rr]ead|news/article)/A\d+",
        verified=(
            "gold pages hankookilbo_2025_05_15, hankookilbo_2026_07_12 (2026_01_29 is script-only)"
        ),
    ),
    SiteProfile(
        name="동아일보",
        hosts=("donga.com",),
        # From the 2013 gold page; the leading <strong> is a label, not text.
        body=(".article_txt", "section.news_view"),
        title=(".article_title h1", "h1.title"),
        drop=(
            ".articlePhotoC",
            ".article_relation",
            ".t_sns",
            ".article_txt > strong:first-child",
            ".articlePhotoR",
            ".articlePhotoL",
        ),
        article_url=r"/\d/\w+/\d{8}/\d+|/news/\w+/article/\w+/\d{8}/\d+",
        verified=(
            "gold page donga_2013_10_23, silver pages donga_2016_09_18 and donga_2016_09_18_2"
        ),
    ),
    SiteProfile(
        name="엔터미디어",
        hosts=("entermedia.co.kr",),
        # From the gold pages: photos are layout tables inside #_article.
        body=("#_article",),
        title=("dl.newsTitle dt",),
        drop=("table",),
        article_url=r"news_view\.html\?idx=\d+",
        verified=(
            "gold pages entermedia_8576, entermedia_8723 (old CMS); only three real addresses "
            "found, and its newer NDsoft addresses (articleView.html?idxno=) are read by the "
            "general path"
        ),
    ),
    SiteProfile(
        name="네이버뉴스",
        hosts=(
            "n.news.naver.com",
            "news.naver.com",
            "m.news.naver.com",
            "sports.news.naver.com",
            "m.sports.naver.com",
            "sports.naver.com",
            "m.entertain.naver.com",
            "entertain.naver.com",
        ),
        # News by id only (docs/sources.md §3); then old sports (#newsEndContents) and old
        # entertainment (#articeBody, Naver's spelling) pages.
        body=("#dic_area", "#articleBodyContents", "#newsEndContents", "#articeBody"),
        title=(
            "h2#title_area span",
            "h2#title_area",
            "h2.media_end_head_headline",
            "h4.title",  # old sports
            ".end_tit",  # old entertainment
        ),
        published=("span._ARTICLE_DATE_TIME@data-date-time",),
        modified=("span._ARTICLE_MODIFY_DATE_TIME@data-modify-date-time",),
        author=("em.media_end_head_journalist_name", "span.byline_s"),
        drop=(
            "strong.media_end_summary",
            "em.img_desc",
            "span.end_photo_org",
            "table.nbd_table",
            ".vod_player_wrap",
            ".ad_wrap",
            ".link_news_relation",
            ".article_relation",
            ".copyright",
            ".reporter_area",
            ".categorize",
            ".source",
        ),
        outlet=(
            "meta[property='og:article:author']@content",
            "img.media_end_head_top_logo_img@alt",
            "span.media_end_head_top_logo_text",
        ),
        original_url=("a.media_end_head_origin_link@href",),  # reported, not verified
        # News and the sports/entertainment ".../article/OID/AID" addresses; the old read/news
        # addresses carry oid and aid in the query.
        article_url=r"/article/\d{3}/\d{10}|(?:read|news)(?:\.naver|\.nhn)?\?.*aid=\d{10}",
        verified=(
            "silver pages naver_edaily_2022_09_14, naver_heraldcorp_2023_09_07, "
            "naver_yna_2017_04_20 (news); naver_spotv_2017_05_12 (old sports); old "
            "entertainment #articeBody and sports #newsEndContents from public code "
            "(scarletYewon/crawling inflearn/naver_news/04.sportsnews_.py, gixmw/py "
            "2.NaverNews); the script-rendered m.sports/m.entertain layouts hold no body in "
            "their HTML and fall to the general path, then to the outlet original"
        ),
    ),
)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _build_registry() -> dict[str, SiteProfile]:
    registry: dict[str, SiteProfile] = {}
    for profile in PROFILES:
        for host in profile.hosts:
            if host in registry:
                raise ValueError(f"host {host} has two profiles")
            registry[host] = profile
    return registry


REGISTRY: dict[str, SiteProfile] = _build_registry()


def profile_for(url: str) -> SiteProfile | None:
    """The profile for a URL's host, trying parent domains (m.mk.co.kr finds mk.co.kr)."""
    host = _host(url)
    while host:
        if profile := REGISTRY.get(host):
            return profile
        _, _, host = host.partition(".")
        if "." not in host:
            return None
    return None


def is_article_url(profile: SiteProfile, url: str) -> bool:
    """Whether a URL on the profile's host looks like an article rather than a list or home page."""
    return not profile.article_url or re.search(profile.article_url, url) is not None


@cache
def compiled(selector: str) -> tuple[CSSSelector, str | None]:
    """Compile a "css" or "css@attr" selector once per process."""
    css, _, attr = selector.partition("@")
    return CSSSelector(css), attr or None
