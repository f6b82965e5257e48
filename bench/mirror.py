"""A local mirror of Korean article pages for the throughput benchmark, and its HTTP server.

Copies of the gold set and the saved test pages, each made unique (own address of its outlet's
shape, a numbered title, paragraphs of other articles' sentences), listed in RSS feeds, served from
127.0.0.1 by a small keep-alive server in its own process (`python bench/mirror.py DIR READY`
writes its port to READY). Split out of bench/bench_throughput.py (issue 20: modules under 500
lines); that benchmark's docstring says how the mirror is used.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from w3lib.url import canonicalize_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

SOURCES = (ROOT.parent / "shared" / "goldset", ROOT / "tests" / "pages")
TERMS = ("LG AI연구원", "LG AI Research", "LG인공지능연구원", "엑사원", "EXAONE")
FEEDS = 5


# ---------------------------------------------------------------------------------------- mirror


def saved_pages() -> list[tuple[str, bytes, str]]:
    """(name, bytes, real URL) of every saved page: the gold set and tests/pages."""
    pages = []
    for directory in SOURCES:
        for path in sorted(directory.glob("*.html.gz")):
            record = json.loads(path.with_name(path.name[:-8] + ".json").read_text("utf-8"))
            pages.append((path.name[:-8], gzip.decompress(path.read_bytes()), record["url"]))
    return pages


def sentence_pool(pages: list[tuple[str, bytes, str]]) -> list[str]:
    """Sentences of the saved articles that name no watch term, to make copies differ."""
    from crawler.extraction import extract

    pool: list[str] = []
    for _name, body, url in pages:
        article = extract(body, url)
        if article is None:
            continue
        for sentence in re.split(r"(?<=다\.)\s+", article.text.replace("\n", " ")):
            if 20 <= len(sentence) <= 200 and not any(t in sentence for t in TERMS):
                pool.append(sentence.strip())
    return sorted(set(pool))


@dataclass
class Mirror:
    directory: Path
    names: list[str]  # file names of the article copies
    urls: list[str]  # their outlet-shaped addresses (http://), in the same order


def build_mirror(directory: Path, count: int, seed: int = 9) -> Mirror:
    """Copies of the saved pages, each with its own address, a numbered title and paragraphs.

    A copy keeps an address of its outlet's shape, with the article number changed (`_copy_url`),
    so site profiles apply as they do on a real crawl; the crawl reaches it through the mirror
    server acting as its HTTP proxy. The page's own links to itself (rel=canonical, og:url) name
    the copy's address.

    Each copy gets as many sentences drawn from the pool as its article has characters / 60, so
    two copies of one page share less than half their text: most are new articles to dedup, not
    near-duplicates (a crawl mostly meets new articles; KnownUrlFilter skips the ones it knows).
    """
    from crawler.encoding import decode_html
    from crawler.extraction import extract

    rng = random.Random(seed)
    pages = saved_pages()
    pool = sentence_pool(pages)
    directory.mkdir(parents=True, exist_ok=True)
    names, urls = [], []
    plans = []
    for name, body, url in pages:
        article = extract(body, url)  # with its site profile, as the crawl will see it
        _text, codec = decode_html(body, {})
        anchor = _anchor(body, url, article.text if article else "", codec)
        plans.append((name, body, url, codec, anchor, len(article.text) if article else 600))
    for index in range(count):
        name, body, url, codec, anchor, length = plans[index % len(plans)]
        number = index // len(plans) + 1
        sentences = rng.sample(pool, max(8, length // 60))
        paragraph = " ".join([f"벤치 사본 {index}번.", *sentences])
        copy = body
        if anchor is not None:  # a line of its own, inside the element that holds the text
            html = f"<br>{paragraph}<br>".encode(codec, "replace")
            copy = copy[:anchor] + html + copy[anchor:]
        # After the insertion: `anchor` is an offset into the original bytes, and the title
        # comes before it. (Done the other way round, the line landed inside a character.)
        copy = copy.replace(b"<title>", f"<title>[{number}] ".encode(codec), 1)
        own = _copy_url(url, index)
        copy = copy.replace(url.encode(codec), own.encode(codec))
        copy.decode(codec)  # raises if an edit split a character: the copy must stay clean
        file = f"{name}-{number}.html"
        (directory / file).write_bytes(copy)
        names.append(file)
        urls.append("http://" + own.split("://", 1)[1])  # plain HTTP, through the proxy
    assert len(set(urls)) == len(urls), "two copies share an address"
    (directory / "manifest.json").write_text(json.dumps(dict(zip(urls, names, strict=True))))
    return Mirror(directory, names, urls)


def _copy_url(url: str, index: int) -> str:
    """The outlet's URL with the last 4 characters of its article id replaced by `index`."""
    last = list(re.finditer(r"[0-9A-Z]{4,}", url))[-1]
    return f"{url[: last.end() - 4]}{index:04d}{url[last.end() :]}"


def _anchor(body: bytes, url: str, text: str, codec: str) -> int | None:
    """A byte offset where an added line of text ends up in the article, found by trying.

    Candidates: after the </p> or at the <br> that follows an occurrence of one of the article's
    first lines; kept only if extract() then finds the added line in the article text.
    """
    from crawler.extraction import extract

    marker = "벤치 표지 문장입니다."
    for line in text.splitlines()[:4]:
        probe = line.strip()[:12].encode(codec, "replace")
        if len(probe) < 8:
            continue
        at = body.find(probe)
        while at >= 0:
            ends = [(body.find(tag, at), tag) for tag in (b"</p>", b"<br")]
            for end, tag in sorted((e, t) for e, t in ends if e >= 0)[:1]:
                offset = end + len(tag) if tag == b"</p>" else end
                trial = body[:offset] + f"<br>{marker}<br>".encode(codec) + body[offset:]
                article = extract(trial, url)
                if article is not None and marker in article.text:
                    return offset
            at = body.find(probe, at + 1)
    return None


def write_feeds(mirror: Mirror, base: str, *, loopback: bool) -> list[str]:
    """FEEDS RSS files that share the copies between them; returns their paths.

    Links are the copies' outlet-shaped addresses, or with `loopback` the mirror's own.
    """
    links = [f"{base}/{n}" for n in mirror.names] if loopback else mirror.urls
    now = format_datetime(datetime.now(UTC))
    paths = []
    for feed in range(FEEDS):
        items = "".join(
            f"<item><title>copy</title><link>{escape(link)}</link><pubDate>{now}</pubDate></item>"
            for link in links[feed::FEEDS]
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>mirror {feed}</title><link>{base}/</link>{items}</channel></rss>"
        )
        (mirror.directory / f"feed{feed}.xml").write_text(xml, encoding="utf-8")
        paths.append(f"/feed{feed}.xml")
    (mirror.directory / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return paths


# ---------------------------------------------------------------------------------------- server

_TYPES = {".html": "text/html", ".xml": "application/rss+xml; charset=utf-8", ".txt": "text/plain"}


def serve(directory: Path, ready: Path) -> None:
    """A static HTTP/1.1 server on 127.0.0.1 with keep-alive, files cached in memory."""
    cache: dict[str, tuple[bytes, str]] = {}
    # As a proxy it is asked for absolute URLs: the copies' outlet addresses, any host's robots.txt.
    # Keyed in canonical form: the crawl asks for the copies' addresses with sorted parameters.
    manifest = {
        canonicalize_url(url): name
        for url, name in json.loads((directory / "manifest.json").read_text("utf-8")).items()
    }

    def lookup(target: str) -> tuple[bytes, str] | None:
        if target.startswith("http://"):
            path = target.split("/", 3)[3] if target.count("/") >= 3 else ""
            target = "/" + manifest.get(
                canonicalize_url(target), path
            )  # a copy, else a file (feed, robots.txt)
        if target not in cache:
            file = directory / target.lstrip("/").split("?")[0]
            if "/" in target.lstrip("/") or not file.is_file():
                return None
            kind = _TYPES.get(file.suffix, "application/octet-stream")
            cache[target] = (file.read_bytes(), kind)
        return cache[target]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
                found = lookup(path)  # an origin-form path, or an absolute URL from a proxy client
                if found is None:
                    body, status, kind = b"not found", "404 Not Found", "text/plain"
                else:
                    (body, kind), status = found, "200 OK"
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1")
                )
                if method != "HEAD":
                    writer.write(body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
        port = server.sockets[0].getsockname()[1]
        ready.write_text(str(port), encoding="utf-8")
        await server.serve_forever()

    asyncio.run(main())


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]))
