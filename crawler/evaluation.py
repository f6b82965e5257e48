"""Score extraction against reference pages (the gold-set format) and report it as text or JSON.

Tokens are character bigrams of the text with all whitespace removed, counted as a multiset.
Korean words carry their particles (엑사원을, 엑사원은) and spacing varies between outlets and
between references (the donga reference joined paragraphs without any separator), so word tokens
would score spacing instead of content; bigrams over whitespace-free text score what was kept.

Two reference conventions are scored differently. A curated reference (the default, or
`"reference": "curated"`) was written by people for that page: it is scored by F1. A silver
reference (`"reference": "silver"`) is the body element's text with boilerplate removed by hand
once, so its body boundaries are a judgement: it is scored by recall, precision only reported.

The project's contract differs from the references in two places, and the scorer adjusts the
reference, never the output: reference lines that extraction must remove (copyright notices,
photo credits, e-mail bylines: the shared `BOILERPLATE_PATTERNS`) are left out, and a dateline
stamp opening a line ("(서울=연합뉴스) 홍길동 기자 =", "[이데일리 홍길동 기자]"), which the silver
references keep but extraction moves to the author, is cut from the line, the sentence kept.
Each page notes how many lines were adjusted either way.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean

import trafilatura

from crawler.dates import parse_date
from crawler.extraction import extract
from crawler.korean import (
    is_boilerplate,
    is_end_marker,
    is_tail_opener,
    normalize_line,
    strip_lead_stamp,
)

CURATED = "curated"
SILVER = "silver"


@dataclass(slots=True)
class PageScore:
    """One page's scores; `title_ok`/`date_ok` are None when the reference has no value."""

    name: str
    extracted: bool
    outlet: str = ""
    reference: str = CURATED
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    title_ok: bool | None = None
    date_ok: bool | None = None
    boilerplate: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # must_keep strings absent from output
    leaked: list[str] = field(default_factory=list)  # must_drop strings present in output
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The figure this page's reference is judged by: recall for silver, F1 for curated."""
        return self.recall if self.reference == SILVER else self.f1


@dataclass(slots=True)
class EvalReport:
    """Scores for every page of a directory, with the overall figures."""

    pages: list[PageScore]

    @property
    def failures(self) -> list[str]:
        """Pages where extraction returned nothing at all."""
        return [page.name for page in self.pages if not page.extracted]

    @property
    def mean_f1(self) -> float:
        return mean(p.f1 for p in self.pages) if self.pages else 0.0

    @property
    def min_f1(self) -> float:
        return min((p.f1 for p in self.pages), default=0.0)

    @property
    def boilerplate_count(self) -> int:
        return sum(len(p.boilerplate) for p in self.pages)

    def of(self, reference: str) -> EvalReport:
        """The pages scored against one kind of reference (`CURATED` or `SILVER`)."""
        return EvalReport([p for p in self.pages if p.reference == reference])

    def by_outlet(self) -> dict[str, EvalReport]:
        outlets: dict[str, list[PageScore]] = {}
        for page in self.pages:
            outlets.setdefault(page.outlet or "-", []).append(page)
        return {name: EvalReport(pages) for name, pages in sorted(outlets.items())}

    def mean(self, attribute: str) -> float:
        return mean(getattr(p, attribute) for p in self.pages) if self.pages else 0.0

    def minimum(self, attribute: str) -> float:
        return min((getattr(p, attribute) for p in self.pages), default=0.0)

    def count(self, attribute: str) -> tuple[int, int]:
        """(right, checked) for `title_ok` or `date_ok` over pages whose reference has a value."""
        values = [getattr(p, attribute) for p in self.pages if getattr(p, attribute) is not None]
        return sum(values), len(values)

    def summary(self) -> dict[str, object]:
        titles, dates = self.count("title_ok"), self.count("date_ok")
        return {
            "pages": len(self.pages),
            "mean_score": round(self.mean("score"), 4),
            "min_score": round(self.minimum("score"), 4),
            "mean_f1": round(self.mean_f1, 4),
            "mean_recall": round(self.mean("recall"), 4),
            "titles": {"right": titles[0], "checked": titles[1]},
            "dates": {"right": dates[0], "checked": dates[1]},
            "boilerplate_lines": self.boilerplate_count,
            "boilerplate_pages": sum(1 for p in self.pages if p.boilerplate),
            "failures": self.failures,
        }

    def to_dict(self) -> dict[str, object]:
        titles, dates = self.count("title_ok"), self.count("date_ok")
        return {
            "pages": [{**asdict(page), "score": page.score} for page in self.pages],
            "mean_f1": round(self.mean_f1, 4),
            "min_f1": round(self.min_f1, 4),
            "titles": {"right": titles[0], "checked": titles[1]},
            "dates": {"right": dates[0], "checked": dates[1]},
            "boilerplate_lines": self.boilerplate_count,
            "failures": self.failures,
            "curated": self.of(CURATED).summary(),
            "silver": self.of(SILVER).summary(),
            "outlets": {name: r.summary() for name, r in self.by_outlet().items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def tokens(text: str) -> Counter[str]:
    """Character bigrams of `text` with whitespace removed (see the module docstring)."""
    compact = "".join(text.split())
    return Counter(compact[i : i + 2] for i in range(len(compact) - 1))


def overlap(output: str, reference: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 of `output` against `reference`."""
    got, want = tokens(output), tokens(reference)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


def boilerplate_lines(text: str) -> list[str]:
    """Lines of extracted text that match the shared boilerplate patterns, end markers or wire
    tails (제보 blocks)."""
    return [
        line
        for line in text.splitlines()
        if is_boilerplate(line) or is_end_marker(line) or is_tail_opener(line)
    ]


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the scorer compares: an extractor's title, text and publication time."""

    title: str
    text: str
    published: str | None = None


# An extractor: page bytes, URL and headers to what it read, or None for "no article".
Extractor = Callable[[bytes, str, "dict[str, str] | None"], Extracted | None]


def newswatch_extractor(body: bytes, url: str, headers: dict[str, str] | None) -> Extracted | None:
    """newswatch's own extraction, as the scorer sees it."""
    article = extract(body, url, headers)
    return Extracted(article.title, article.text, article.published_at) if article else None


def trafilatura_extractor(
    body: bytes, url: str, headers: dict[str, str] | None
) -> Extracted | None:
    """Bare `trafilatura.extract` with its default options: the baseline newswatch must beat.
    Its dates carry no time of day, so they are not checked."""
    text = trafilatura.extract(body, url=url)
    if not text:
        return None
    metadata = trafilatura.extract_metadata(body, default_url=url)
    return Extracted((metadata.title or "") if metadata else "", text)


def evaluate_page(
    html_path: Path, reference: dict[str, object], extractor: Extractor = newswatch_extractor
) -> PageScore:
    """Extract one saved page and score it against its reference record."""
    name = html_path.name.removesuffix(".html.gz")
    body = gzip.decompress(html_path.read_bytes())
    headers = reference.get("headers")
    score = PageScore(name=name, extracted=False, outlet=str(reference.get("outlet", "")))
    score.reference = SILVER if reference.get("reference") == SILVER else CURATED
    got = extractor(body, str(reference["url"]), headers if isinstance(headers, dict) else None)
    if got is None:
        return score
    score.extracted = True
    score.notes, ref_text = _adjusted_reference(str(reference.get("text", "")))
    if note := reference.get("text_note"):
        score.notes.append(str(note))
    score.precision, score.recall, score.f1 = overlap(got.text, ref_text)
    if isinstance(title := reference.get("title"), str):
        score.title_ok = normalize_line(title) == normalize_line(got.title)
    published = reference.get("published")
    if isinstance(published, str) and _has_time(published) and extractor is newswatch_extractor:
        expected = parse_date(published)
        score.date_ok = bool(expected and got.published) and (
            str(expected)[:16] == str(got.published)[:16]
        )
    score.boilerplate = boilerplate_lines(got.text)
    score.missing = [s for s in _strings(reference.get("must_keep")) if s not in got.text]
    score.leaked = [s for s in _strings(reference.get("must_drop")) if s in got.text]
    return score


def _adjusted_reference(text: str) -> tuple[list[str], str]:
    """The reference text under the project's contract (see the module docstring), and notes
    saying how many lines were adjusted."""
    lines = text.splitlines()
    unstamped = [strip_lead_stamp(line) for line in lines]
    kept = [line for line in unstamped if line and not is_boilerplate(line)]
    notes = []
    if stamped := sum(1 for a, b in zip(lines, unstamped, strict=True) if a != b):
        notes.append(f"{stamped} dateline stamp(s) cut from the reference (they go to author)")
    if dropped := len([line for line in unstamped if line]) - len(kept):
        notes.append(f"{dropped} boilerplate line(s) left out of the reference")
    return notes, "\n".join(kept)


def _has_time(value: str) -> bool:
    return ":" in value


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def evaluate_dir(
    path: str | Path, *, subfolders: bool = False, extractor: Extractor = newswatch_extractor
) -> EvalReport:
    """Score every NAME.html.gz + NAME.json pair in a directory (and its subfolders, such as the
    gold set's silver/, when `subfolders`)."""
    directory = Path(path)
    pattern = "**/*.html.gz" if subfolders else "*.html.gz"
    pages = []
    for html_path in sorted(directory.glob(pattern), key=lambda p: (len(p.parts), p)):
        json_path = html_path.with_name(html_path.name.removesuffix(".html.gz") + ".json")
        if not json_path.exists():
            continue
        reference = json.loads(json_path.read_text(encoding="utf-8"))
        pages.append(evaluate_page(html_path, reference, extractor))
    return EvalReport(pages=pages)


def format_report(report: EvalReport, baseline: EvalReport | None = None) -> str:
    """A plain-text table: one row per page, one per outlet, then the overall figures for each
    kind of reference (silver first, curated last); `baseline` adds its figures side by side."""

    def mark(value: bool | None) -> str:
        return "-" if value is None else ("ok" if value else "WRONG")

    def page_cells(p: PageScore) -> str:
        if not p.extracted:
            return f"{'NOT EXTRACTED':<34}"
        return (
            f"{p.precision:6.3f} {p.recall:6.3f} {p.f1:6.3f}  "
            f"{mark(p.title_ok):<5}  {mark(p.date_ok):<5}  {len(p.boilerplate):>2}"
        )

    def group_cells(r: EvalReport) -> str:
        return (
            f"{len(r.pages):>5} {r.mean('score'):6.3f} {r.minimum('score'):6.3f} "
            f"{len(r.failures):>10} {r.boilerplate_count:>11}"
        )

    others = {p.name: p for p in baseline.pages} if baseline else {}
    side = "  | trafilatura" if baseline else ""
    width = max((len(p.name) for p in report.pages), default=4)
    outlet_width = max((len(p.outlet) for p in report.pages), default=6) + 2
    rows = [
        f"{'page':<{width}}  {'outlet':<{outlet_width}}{'ref':<8}"
        f"{'P':>6} {'R':>6} {'F1':>6}  title  date   bp{side}"
    ]
    for p in report.pages:
        row = f"{p.name:<{width}}  {p.outlet:<{outlet_width}}{p.reference:<8}{page_cells(p)}"
        if p.name in others:
            row += f"  | {page_cells(others[p.name])}"
        rows.append(row)
    rows.append("")
    rows.append(
        f"{'outlet':<{outlet_width}}{'pages':>5} {'score':>6} {'min':>6} "
        f"{'no article':>10} {'boilerplate':>11}{side}"
    )
    base_outlets = baseline.by_outlet() if baseline else {}
    for name, group in report.by_outlet().items():
        row = f"{name:<{outlet_width}}{group_cells(group)}"
        if name in base_outlets:
            row += f"  | {group_cells(base_outlets[name])}"
        rows.append(row)
    rows.append("(score: recall against silver references, F1 against curated ones)")
    for kind in (SILVER, CURATED):
        part = report.of(kind)
        if part.pages:
            row = _summary_line(part, kind)
            if baseline and (base := baseline.of(kind)).pages:
                row += "  | trafilatura " + _summary_line(base, kind)
            rows.append(row)
    return "\n".join(rows)


def _summary_line(report: EvalReport, kind: str) -> str:
    titles, dates = report.count("title_ok"), report.count("date_ok")
    figures = (
        f"mean recall {report.mean('recall'):.4f}  min recall {report.minimum('recall'):.4f}"
        if kind == SILVER
        else f"mean F1 {report.mean_f1:.4f}  min F1 {report.min_f1:.4f}"
    )
    return (
        f"pages {len(report.pages)}  {figures}  titles {titles[0]}/{titles[1]}  "
        f"dates {dates[0]}/{dates[1]}  boilerplate lines {report.boilerplate_count}  "
        f"failures {len(report.failures)}  ({kind} references)"
    )
