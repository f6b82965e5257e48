"""The report's share-of-voice section: each watch's articles per week, share, stories and outlets.

(The watch commands are newswatch/commands/watches.py and, for `stats --by watch`, query.py.)
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from archive.watches import by_watch, top_outlets, top_stories
from newswatch.report import all_weeks

if TYPE_CHECKING:
    from sqlite_utils import Database

    from archive.query_language import Filters

SHARE_WIDTH, SHARE_HEIGHT, SHARE_LEFT, SHARE_BOTTOM, SHARE_TOP = 960, 280, 48, 40, 12


def share_of_voice(db: Database, filters: Filters, *, top: int = 5) -> dict[str, Any]:
    """What the section shows: articles per watch per week, each watch's total and share, and
    each watch's top stories and outlets. An article matching two watches counts for both, so
    shares are of all watch matches (they add up to 100 %)."""
    rows = by_watch(db, filters)
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["watch"]] = totals.get(row["watch"], 0) + row["articles"]
    everything = sum(totals.values()) or 1
    watches = sorted(totals, key=lambda w: (-totals[w], w))
    return {
        "weeks": rows,
        "watches": [
            {
                "watch": w,
                "articles": totals[w],
                "share": totals[w] / everything,
                "stories": top_stories(db, w, top, filters),
                "outlets": top_outlets(db, w, top, filters),
            }
            for w in watches
        ],
    }


def share_svg(data: dict[str, Any], colours: Sequence[str]) -> str:
    """Articles per week per watch as grouped bars (inline SVG, like the outlet chart)."""
    names = [w["watch"] for w in data["watches"]]
    colour = {name: colours[i % len(colours)] for i, name in enumerate(names)}
    counts = {(r["week"], r["watch"]): r["articles"] for r in data["weeks"]}
    weeks = all_weeks(sorted({r["week"] for r in data["weeks"]}))
    peak = max(counts.values(), default=0) or 1
    plot_w = SHARE_WIDTH - SHARE_LEFT - 12
    plot_h = SHARE_HEIGHT - SHARE_BOTTOM - SHARE_TOP
    step = plot_w / max(len(weeks), 1)
    bar_w = max(step * 0.8 / max(len(names), 1), 1.0)
    base = SHARE_TOP + plot_h
    parts = [
        f'<svg id="share-chart" xmlns="http://www.w3.org/2000/svg" width="{SHARE_WIDTH}" '
        f'height="{SHARE_HEIGHT}" viewBox="0 0 {SHARE_WIDTH} {SHARE_HEIGHT}" role="img" '
        'aria-label="Articles per week by watch">',
        f'<line x1="{SHARE_LEFT}" y1="{base}" x2="{SHARE_WIDTH - 12}" y2="{base}" stroke="#999"/>',
    ]
    for tick in (0, peak // 2, peak):
        y = base - tick / peak * plot_h
        parts.append(f'<text x="{SHARE_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, len(weeks) // 8)
    for i, week in enumerate(weeks):
        x0 = SHARE_LEFT + i * step + step * 0.1
        for j, name in enumerate(names):
            count = counts.get((week, name), 0)
            if not count:
                continue
            h = count / peak * plot_h
            parts.append(
                f'<rect class="share-bar" x="{x0 + j * bar_w:.2f}" y="{base - h:.2f}" '
                f'width="{bar_w:.2f}" height="{h:.2f}" fill="{colour[name]}">'
                f"<title>{escape(week)} {escape(name)}: {count}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(f'<text x="{x0:.1f}" y="{base + 16}">{escape(week[2:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_section(data: dict[str, Any], colours: Sequence[str]) -> str:
    """The section's HTML: legend with shares, the chart, then each watch's stories and outlets.
    Empty with fewer than two watches: there is nothing to compare."""
    if len(data["watches"]) < 2:
        return ""
    legend = "".join(
        f'<span><i style="background:{colours[i % len(colours)]}"></i>{escape(w["watch"])}'
        f" {w['share']:.0%}</span>"
        for i, w in enumerate(data["watches"])
    )
    shares = "".join(
        f"<tr><td>{escape(w['watch'])}</td><td class=n>{w['articles']:,}</td>"
        f"<td class=n>{w['share']:.1%}</td></tr>"
        for w in data["watches"]
    )
    per_watch = []
    for w in data["watches"]:
        stories = "".join(
            f"<li>{escape(s['title'] or '')} <span class=muted>({s['articles']} articles,"
            f" {s['outlets']} outlets)</span></li>"
            for s in w["stories"]
        )
        outlets = ", ".join(f"{escape(o['outlet'])} ({o['articles']})" for o in w["outlets"])
        per_watch.append(
            f"<h3>{escape(w['watch'])}</h3><p class=muted>Top outlets: {outlets}</p>"
            f"<ol>{stories}</ol>"
        )
    return (
        "<section id=share-of-voice><h2>Share of voice: articles per week by watch</h2>"
        f"<div class=legend>{legend}</div>{share_svg(data, colours)}"
        "<table><tr><th>watch</th><th>articles</th><th>share</th></tr>"
        f"{shares}</table>{''.join(per_watch)}</section>"
    )
