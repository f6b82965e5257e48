"""`newswatch extract` and `newswatch eval`: extraction of saved pages, no network."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newswatch.display import (
    json_text,
)

if TYPE_CHECKING:
    pass


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The address the page was saved from.")
@click.option(
    "--content-type", default="text/html", show_default=True, help="The page's Content-Type header."
)
def extract(file: Path, url: str, content_type: str) -> None:
    """Print the extraction of one saved page as JSON (FILE may be gzipped). No network.

    Example: newswatch extract page.html.gz --url https://www.mk.co.kr/news/it/11333783
    """
    from crawler.extraction import extract as extract_article

    body = file.read_bytes()
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise click.ClickException(f"{file}: not a readable gzip file ({exc}).") from exc
    article = extract_article(body, url, {"content-type": content_type})
    if article is None:
        raise click.ClickException(f"{file}: no article found on this page.")
    keys = (
        "url",
        "title",
        "text",
        "published_at",
        "modified_at",
        "author",
        "outlet",
        "original_url",
    )
    data = article.to_dict()
    click.echo(json_text({k: data[k] for k in keys}, indent=2))


@click.command("eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--baseline",
    is_flag=True,
    help="Also run bare trafilatura.extract on the same pages and show both side by side.",
)
@click.option(
    "--top-only", is_flag=True, help="Read DIRECTORY only, not its subfolders (such as silver/)."
)
def evaluate(directory: Path, as_json: bool, baseline: bool, top_only: bool) -> None:
    """Score extraction on saved pages with reference text (NAME.html.gz + NAME.json pairs in
    DIRECTORY and its subfolders), per outlet and overall: silver references by recall, curated
    ones by F1.

    Example: newswatch eval ../shared/goldset --baseline
    """
    from crawler.evaluation import evaluate_dir, format_report, trafilatura_extractor

    report = evaluate_dir(directory, subfolders=not top_only)
    if not report.pages:
        raise click.ClickException(f"{directory}: no NAME.html.gz + NAME.json pairs found.")
    base = (
        evaluate_dir(directory, subfolders=not top_only, extractor=trafilatura_extractor)
        if baseline
        else None
    )
    if as_json:
        data = report.to_dict()
        if base:
            data["baseline"] = {"extractor": "trafilatura.extract", **base.to_dict()}
        click.echo(json_text(data, indent=2))
    else:
        click.echo(format_report(report, base))
    if report.failures:
        raise click.ClickException(
            f"{len(report.failures)} page(s) gave no article: {', '.join(report.failures)}"
        )
