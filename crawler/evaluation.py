"""Score extraction against reference pages (the gold-set format) and report it as text or JSON.

Tokens are character bigrams of the text with all whitespace removed, counted as a multiset.
Korean words carry their particles (엑사원을, 엑사원은) and spacing varies between outlets and
between references (the donga reference joined paragraphs without any separator), so word tokens
would score spacing instead of content; bigrams over whitespace-free text score what was kept.
Reference lines that the project's contract requires extraction to remove (copyright notices,
photo credits, reporter e-mail bylines: the shared `BOILERPLATE_PATTERNS`) are left out of the
reference before scoring, and each page notes how many were.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crawler.dates import parse_date
from crawler.extraction import extract
from crawler.korean import is_boilerplate, is_end_marker, normalize_line


@dataclass(slots=True)
class PageScore:
    """One page's scores; `title_ok`/`date_ok` are None when the reference has no value."""

    name: str
    extracted: bool
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    title_ok: bool | None = None
    date_ok: bool | None = None
    boilerplate: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # must_keep strings absent from output
    leaked: list[str] = field(default_factory=list)  # must_drop strings present in output
    notes: list[str] = field(default_factory=list)


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
        return sum(p.f1 for p in self.pages) / len(self.pages) if self.pages else 0.0

    @property
    def min_f1(self) -> float:
        return min((p.f1 for p in self.pages), default=0.0)

    @property
    def boilerplate_count(self) -> int:
        return sum(len(p.boilerplate) for p in self.pages)

    def count(self, attribute: str) -> tuple[int, int]:
        """(right, checked) for `title_ok` or `date_ok` over pages whose reference has a value."""
        values = [getattr(p, attribute) for p in self.pages if getattr(p, attribute) is not None]
        return sum(values), len(values)

    def to_dict(self) -> dict[str, object]:
        titles, dates = self.count("title_ok"), self.count("date_ok")
        return {
            "pages": [asdict(page) for page in self.pages],
            "mean_f1": round(self.mean_f1, 4),
            "min_f1": round(self.min_f1, 4),
            "titles": {"right": titles[0], "checked": titles[1]},
            "dates": {"right": dates[0], "checked": dates[1]},
            "boilerplate_lines": self.boilerplate_count,
            "failures": self.failures,
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
    """Lines of extracted text that match the shared boilerplate patterns or end markers."""
    return [line for line in text.splitlines() if is_boilerplate(line) or is_end_marker(line)]


def evaluate_page(html_path: Path, reference: dict[str, object]) -> PageScore:
    """Extract one saved page and score it against its reference record."""
    name = html_path.name.removesuffix(".html.gz")
    body = gzip.decompress(html_path.read_bytes())
    headers = reference.get("headers")
    article = extract(body, str(reference["url"]), headers if isinstance(headers, dict) else None)
    if article is None:
        return PageScore(name=name, extracted=False)
    score = PageScore(name=name, extracted=True)
    ref_text = str(reference.get("text", ""))
    kept = [line for line in ref_text.splitlines() if not is_boilerplate(line)]
    if len(kept) != len(ref_text.splitlines()):
        dropped = len(ref_text.splitlines()) - len(kept)
        score.notes.append(f"{dropped} boilerplate line(s) left out of the reference")
    if note := reference.get("text_note"):
        score.notes.append(str(note))
    score.precision, score.recall, score.f1 = overlap(article.text, "\n".join(kept))
    if isinstance(title := reference.get("title"), str):
        score.title_ok = normalize_line(title) == normalize_line(article.title)
    if isinstance(published := reference.get("published"), str) and _has_time(published):
        expected = parse_date(published)
        score.date_ok = bool(expected and article.published_at) and (
            str(expected)[:16] == str(article.published_at)[:16]
        )
    score.boilerplate = boilerplate_lines(article.text)
    score.missing = [s for s in _strings(reference.get("must_keep")) if s not in article.text]
    score.leaked = [s for s in _strings(reference.get("must_drop")) if s in article.text]
    return score


def _has_time(value: str) -> bool:
    return ":" in value


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def evaluate_dir(path: str | Path) -> EvalReport:
    """Score every NAME.html.gz + NAME.json pair in a directory."""
    directory = Path(path)
    pages = []
    for html_path in sorted(directory.glob("*.html.gz")):
        json_path = html_path.with_name(html_path.name.removesuffix(".html.gz") + ".json")
        if not json_path.exists():
            continue
        reference = json.loads(json_path.read_text(encoding="utf-8"))
        pages.append(evaluate_page(html_path, reference))
    return EvalReport(pages=pages)


def format_report(report: EvalReport) -> str:
    """A plain-text table: one row per page, then the overall figures."""

    def mark(value: bool | None) -> str:
        return "-" if value is None else ("ok" if value else "WRONG")

    width = max((len(p.name) for p in report.pages), default=4)
    rows = [f"{'page':<{width}}  {'P':>6} {'R':>6} {'F1':>6}  title  date   boilerplate"]
    for p in report.pages:
        if not p.extracted:
            rows.append(f"{p.name:<{width}}  NOT EXTRACTED")
            continue
        rows.append(
            f"{p.name:<{width}}  {p.precision:6.3f} {p.recall:6.3f} {p.f1:6.3f}  "
            f"{mark(p.title_ok):<5}  {mark(p.date_ok):<5}  {len(p.boilerplate)}"
        )
    titles, dates = report.count("title_ok"), report.count("date_ok")
    rows.append(
        f"pages {len(report.pages)}  mean F1 {report.mean_f1:.4f}  min F1 {report.min_f1:.4f}  "
        f"titles {titles[0]}/{titles[1]}  dates {dates[0]}/{dates[1]}  "
        f"boilerplate lines {report.boilerplate_count}  failures {len(report.failures)}"
    )
    return "\n".join(rows)
