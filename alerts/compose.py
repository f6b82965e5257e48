"""Alert messages: a story's title, outlets, KST time, a short excerpt and links, in three formats.

Every string that came from a page (titles, outlets, text, URLs) is escaped where it enters HTML
or Markdown, so a hostile page cannot inject markup into someone's mail or chat.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archive import KST

EXCERPT_SENTENCES = 3
EXCERPT_MAX_CHARS = 320
# A sentence ends at ., ?, ! or … (Korean sentences end "…다."), followed by space or a new line.
_SENTENCE_END = re.compile(r"(?<=[.?!…])\s+|\n+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~>])")


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    text: str
    html: str
    markdown: str

    def body(self, fmt: str) -> str:
        return {"html": self.html, "markdown": self.markdown}.get(fmt, self.text)


def excerpt(
    text: str, *, sentences: int = EXCERPT_SENTENCES, limit: int = EXCERPT_MAX_CHARS
) -> str:
    """The first two or three sentences of the clean text, cut at a sentence end when it is long."""
    parts = [p.strip() for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    chosen: list[str] = []
    for part in parts[:sentences]:
        # Whole sentences while they fit; a first sentence alone may be cut below.
        if chosen and len(" ".join([*chosen, part])) > limit:
            break
        chosen.append(part)
    out = " ".join(chosen)
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


def kst_time(value: str | None) -> str:
    """'2024-08-07 09:30 KST' from an ISO 8601 time, or '' when the page gave none."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=KST)  # stored times are KST; a bare one is read as such
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _safe_url(url: str) -> str:
    # Only web links become links; anything else (javascript:, data:) is shown as text only.
    return url if url.lower().startswith(("http://", "https://")) else ""


def _link_html(url: str) -> str:
    safe = _safe_url(url)
    return f'<a href="{_h(safe)}">{_h(url)}</a>' if safe else _h(url)


def _link_md(url: str) -> str:
    safe = _safe_url(url)
    # <url> autolinks; a URL cannot hold a raw '>' or space, so it cannot break out of it.
    return f"<{safe.replace('>', '%3E').replace(' ', '%20')}>" if safe else _md(url)


def story(
    articles: Sequence[Mapping[str, Any]],
    *,
    follow_up: bool = False,
    label: Sequence[str] = (),
) -> Message:
    """One story: its first article's title, time and excerpt; every outlet with its link.

    `label` is the story's most distinctive words (archive/words.py), shown under the title.
    """
    lead = articles[0]
    title = str(lead["title"])
    outlets = [str(a.get("outlet") or "?") for a in articles]
    when = kst_time(lead.get("published_at"))
    summary = excerpt(str(lead.get("text") or ""))
    if len(articles) == 1:
        subject = f"{title} ({outlets[0]})"
    else:
        subject = f"{title} ({len(articles)} outlets)"
    if follow_up:
        subject = f"Update: {subject}"
    head = f"{outlets[0]} · {when}" if when else outlets[0]
    # The watches any of the story's articles matched, so a channel fed by several can tell.
    watches = list(dict.fromkeys(w for a in articles for w in a.get("watches") or ()))
    if watches:
        head += f" · {'watches' if len(watches) > 1 else 'watch'}: {', '.join(watches)}"

    text_lines = [title, head, "", summary, ""]
    html_parts = [f"<h2>{_h(title)}</h2>", f"<p>{_h(head)}</p>", f"<p>{_h(summary)}</p>"]
    md_lines = [f"**{_md(title)}**", _md(head), "", _md(summary), ""]
    if label:
        about = "About: " + " · ".join(label)
        text_lines[2:2] = [about]
        html_parts.insert(2, f"<p>{_h(about)}</p>")
        md_lines[2:2] = [_md(about)]
    if len(articles) == 1:
        url = str(lead["url"])
        text_lines.append(url)
        html_parts.append(f"<p>{_link_html(url)}</p>")
        md_lines.append(_link_md(url))
    else:
        intro = f"Covered by {len(articles)} outlets:"
        text_lines.append(intro)
        html_parts.append(f"<p>{_h(intro)}</p><ul>")
        md_lines.append(_md(intro))
        for article, outlet in zip(articles, outlets, strict=True):
            url = str(article["url"])
            text_lines.append(f"- {outlet}: {url}")
            html_parts.append(f"<li>{_h(outlet)}: {_link_html(url)}</li>")
            md_lines.append(f"\\- {_md(outlet)}: {_link_md(url)}")
        html_parts.append("</ul>")
    return Message(
        subject=subject,
        text="\n".join(text_lines).strip(),
        html="\n".join(html_parts),
        markdown="\n".join(md_lines).strip(),
    )


def digest(
    stories: Sequence[Sequence[Mapping[str, Any]]], labels: Sequence[Sequence[str]] = ()
) -> Message:
    """One message for a delivery run: every new story, one after another, each with its label."""
    parts = [story(s, label=labels[i] if i < len(labels) else ()) for i, s in enumerate(stories)]
    subject = f"newswatch: {len(parts)} new {'story' if len(parts) == 1 else 'stories'}"
    return Message(
        subject=subject,
        text="\n\n----\n\n".join(p.text for p in parts),
        html="\n<hr>\n".join(p.html for p in parts),
        markdown="\n\n---\n\n".join(p.markdown for p in parts),
    )


def notice(subject: str, lines: Sequence[str]) -> Message:
    """An operational message (a source broke or recovered): plain sentences, escaped."""
    return Message(
        subject=subject,
        text="\n".join(lines),
        html="\n".join(f"<p>{_h(line)}</p>" for line in lines),
        markdown="\n\n".join(_md(line) for line in lines),
    )


def sample() -> Message:
    """What `newswatch alerts test` sends: a made-up story in the real layout."""
    return story(
        [
            {
                "title": "newswatch 알림 시험: LG AI연구원 엑사원 기사 예시",
                "outlet": "newswatch",
                "published_at": datetime.now(KST).isoformat(timespec="seconds"),
                "text": "이 메시지는 newswatch 알림 설정을 시험하려고 보낸 것입니다. "
                "새 기사가 보관되면 이런 모양으로 알려 드립니다. 답장하지 않아도 됩니다.",
                "url": "https://github.com/newswatch-kr/newswatch",
            }
        ]
    )
