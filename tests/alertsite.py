"""Generated article pages for alert tests: distinct stories on the local news site."""

from __future__ import annotations

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
<p>LG AI연구원이 {n}번째 소식을 전했다. 엑사원 모델의 새 기능이 공개됐다는 내용이다. 연구원은 이번 발표가 산업 현장에서 쓰일 것이라고 설명했다.</p>
<p>회사 관계자는 "앞으로도 초거대 AI 연구를 이어가겠다"며 "국내외 협력을 넓힐 계획"이라고 말했다. 업계에서는 이번 발표가 국내 AI 경쟁에 영향을 줄 것으로 본다.</p>
<p>LG AI연구원은 올해 하반기 추가 모델도 내놓을 예정이다. 이 기사는 알림 시험을 위한 {n}번 기사다.</p>
</div>
</article>
<footer>ⓒ 테스트일보 무단 전재 및 재배포 금지</footer>
</body></html>
"""


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
            n=n,
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
