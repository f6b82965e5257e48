"""One self-contained HTML page about the archive: weekly coverage by outlet, top stories, latest.

Everything is inline (an SVG chart, CSS, one small script) and a Content-Security-Policy forbids
loading anything else. Page content is untrusted: every title, outlet and URL goes through
html.escape, and only http(s) URLs become links.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

from archive.queries import Stats
from archive.words import Trends

TOP_OUTLETS = 8
COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)  # fmt: skip  (Tableau 10: distinguishable, colour-blind aware)
OTHER = "기타"
WIDTH, HEIGHT, LEFT, RIGHT, BOTTOM, TOP = 960, 320, 48, 40, 40, 12

# Measures the drawn chart and records it on <body>, so a headless browser can check it rendered.
SCRIPT = """
const chart = document.getElementById("weekly-chart");
const box = chart.getBoundingClientRect();
const drawn = [...chart.querySelectorAll("rect.bar")].filter(
  (bar) => { const r = bar.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
document.body.dataset.chartWidth = String(Math.round(box.width));
document.body.dataset.chartHeight = String(Math.round(box.height));
document.body.dataset.chartBars = String(drawn.length);
const share = document.getElementById("share-chart");
if (share) {
  const shareBox = share.getBoundingClientRect();
  const shareDrawn = [...share.querySelectorAll("rect.share-bar")].filter(
    (bar) => { const r = bar.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  document.body.dataset.shareWidth = String(Math.round(shareBox.width));
  document.body.dataset.shareBars = String(shareDrawn.length);
}
const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
document.body.dataset.risingWords = String(
  [...document.querySelectorAll("#coverage-about .word")].filter(shown).length);
"""

STYLE = """
body { font-family: "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif;
       margin: 2rem auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }
td.n { text-align: right; } .muted { color: #666; } td.when { white-space: nowrap; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; }
svg text { font-size: 11px; fill: #555; }
.word { display: inline-block; margin: 0 .6rem .2rem 0; } .word small { color: #666; }
"""


def _weeks(stats: Stats) -> list[str]:
    """Every week from the first to the last, empty ones included, so the time axis is honest."""
    return all_weeks([w["week"] for w in stats.weeks])


def all_weeks(weeks: Sequence[str]) -> list[str]:
    """Every Monday from the first of `weeks` (sorted) to the last, empty ones included."""
    if not weeks:
        return []
    first, last = date.fromisoformat(weeks[0]), date.fromisoformat(weeks[-1])
    return [(first + timedelta(weeks=i)).isoformat() for i in range((last - first).days // 7 + 1)]


def chart_svg(stats: Stats) -> tuple[str, list[tuple[str, str]]]:
    """The stacked weekly bar chart as inline SVG, and its legend as (outlet, colour)."""
    weeks = _weeks(stats)
    named = [o["outlet"] for o in stats.outlets[:TOP_OUTLETS]]
    legend = [(name, COLOURS[i]) for i, name in enumerate(named)]
    if len(stats.outlets) > TOP_OUTLETS:
        legend.append((OTHER, COLOURS[-1]))
    colour = dict(legend)
    stacks: dict[str, dict[str, int]] = {w: {} for w in weeks}
    for (week, outlet), count in stats.by_week_outlet.items():
        key = outlet if outlet in colour and outlet != OTHER else OTHER
        stacks[week][key] = stacks[week].get(key, 0) + count
    peak = max((sum(s.values()) for s in stacks.values()), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(weeks), 1)
    bar_w = max(step * 0.8, 1.0)
    parts = [
        f'<svg id="weekly-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-label="Articles per week by outlet">',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#999"/>',
    ]
    for tick in (0, peak // 2, peak):
        y = TOP + plot_h - tick / peak * plot_h
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, len(weeks) // 8)
    order = [name for name, _ in legend]
    for i, week in enumerate(weeks):
        x = LEFT + i * step + (step - bar_w) / 2
        y = TOP + plot_h
        for name in order:
            count = stacks[week].get(name, 0)
            if not count:
                continue
            h = count / peak * plot_h
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.2f}" y="{y:.2f}" width="{bar_w:.2f}" height="{h:.2f}" '
                f'fill="{colour[name]}">'
                f"<title>{escape(week)} {escape(name)}: {count}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}">{escape(week[2:])}</text>')
    parts.append("</svg>")
    return "".join(parts), legend


def _minute(when: str | None) -> str:
    return (when or "")[:16].replace("T", " ")


def _link(url: str | None, text: str | None) -> str:
    label = escape(text or url or "")
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}">{label}</a>'
    return label


def coverage_about(rising: Sequence[Trends], stories: Sequence[dict[str, Any]]) -> str:
    """Per week its rising words with their article counts, then each top story's label."""
    weeks = "".join(
        f"<tr><td class=when>{escape(t.week)}</td><td>{t.articles}</td><td>"
        + "".join(
            f"<span class=word>{escape(r.word)} <small>{r.articles} ({r.share:.0%}, "
            f"before {r.before_share:.0%})</small></span>"
            for r in t.rising
        )
        + "</td></tr>"
        for t in rising
    )
    labelled = "".join(
        f"<li>{escape(s.get('title') or '')}: "
        + "".join(f"<span class=word>{escape(w)}</span>" for w in s["label"])
        + "</li>"
        for s in stories
        if s.get("label")
    )
    if not weeks and not labelled:
        return (
            "<p class=muted id=coverage-about>No words yet: run "
            "<code>newswatch words --backfill</code>.</p>"
        )
    table = (
        "<table><tr><th>week of</th><th>articles</th><th>rising words: articles (share, before)"
        f"</th></tr>{weeks}</table>"
        if weeks
        else ""
    )
    return f"<div id=coverage-about>{table}<ul>{labelled}</ul></div>"


def render_report(
    stats: Stats,
    stories: Sequence[dict[str, Any]],
    latest: Sequence[dict[str, Any]],
    *,
    title: str,
    generated_at: str,
    share_of_voice: str = "",
    rising: Sequence[Trends] = (),
) -> str:
    """The page. `share_of_voice` is the watches' section (newswatch/watches.py), if any;
    `rising` is per week, newest first, the words whose share rose that week."""
    svg, legend = chart_svg(stats)
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    rows_stories = "".join(
        f"<tr><td>{escape(s.get('title') or '')}</td>"
        f"<td>{escape(' · '.join(s.get('label') or []))}</td><td class=n>{s['articles']}</td>"
        f"<td>{escape(', '.join(s['outlets']))}</td>"
        f"<td class='muted when'>{escape((s.get('first') or '')[:10])} – "
        f"{escape((s.get('last') or '')[:10])}</td></tr>"
        for s in stories
    )
    rows_latest = "".join(
        f"<tr><td class='muted when'>{escape(_minute(a.get('published_at')))}</td>"
        f"<td>{escape(a.get('outlet') or '')}</td>"
        f"<td>{_link(a.get('url'), a.get('title'))}</td></tr>"
        for a in latest
    )
    legend_html = "".join(
        f'<span><i style="background:{c}"></i>{escape(name)}</span>' for name, c in legend
    )
    stories_html = (
        "<table><tr><th>story</th><th>about</th><th>articles</th><th>outlets</th>"
        "<th>published</th></tr>"
        f"{rows_stories}</table>"
        if stories
        else "<p class=muted>No stories yet: the crawl groups articles into stories.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p class=muted>{stats.total:,} articles from {len(stats.outlets)} outlets ·
generated {escape(generated_at)} (KST)</p>
<h2>Articles per week by outlet</h2>
<div class=legend>{legend_html}</div>
{svg}
{share_of_voice}
<h2>Top stories</h2>
{stories_html}
<h2>What the coverage was about</h2>
{coverage_about(rising, stories)}
<h2>Latest articles</h2>
<table><tr><th>published (KST)</th><th>outlet</th><th>title</th></tr>{rows_latest}</table>
<script>{SCRIPT}</script>
</body>
</html>
"""
