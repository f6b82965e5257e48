"""Generated article pages for alert tests: distinct stories on the local news site."""

from __future__ import annotations

import random
from html import escape

from tests.newssite import NewsSite

ARTICLE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>{title_html} - 테스트일보</title>
<meta property="og:title" content="{title_attr}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{{base}}{path}">
</head><body>
<header><a href="/">테스트일보</a></header>
<article>
<h1>{title_html}</h1>
<div class="article-body">
{body}
</div>
</article>
<footer>ⓒ 테스트일보 무단 전재 및 재배포 금지</footer>
</body></html>
"""


# Each story's text is made of its own random words, so no two stories look alike to the
# near-duplicate and same-story checks (character-shingle Jaccard about 0.04 between them).
_SYLLABLES = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히"


def _body(n: int) -> str:
    rng = random.Random(n)

    def sentence() -> str:
        words = (
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(12)
        )
        return " ".join(words) + "다."

    lead = f"LG AI연구원이 엑사원 소식 {n}호를 전했다. {sentence()}"
    paragraphs = [lead] + [f"{sentence()} {sentence()}" for _ in range(2)]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


def story_path(n: int) -> str:
    return f"/news/story{n}"


def add_story(
    site: NewsSite, n: int, *, title: str | None = None, outlet: str = "테스트일보"
) -> str:
    """Serve article n (relevant to the LG AI Research watch); returns its path."""
    path = story_path(n)
    title = title or f"LG AI연구원 엑사원 소식 {n}호"
    site.add(
        path,
        ARTICLE.format(
            title_html=escape(title),
            title_attr=escape(title, quote=True),
            outlet=escape(outlet),
            published=f"2025-07-{n:02d}T10:30:00+09:00",
            path=path,
            body=_body(n),
        ),
    )
    return path


def serve_feed(site: NewsSite, paths: list[str]) -> None:
    """(Re)write /feed.xml listing `paths`; robots.txt allows everything."""
    items = "".join(
        f"<item><title>기사 {i}</title><link>{{base}}{p}</link></item>" for i, p in enumerate(paths)
    )
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add(
        "/feed.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{{base}}/</link>{items}</channel></rss>",
        content_type="application/rss+xml; charset=utf-8",
    )
