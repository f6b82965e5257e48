"""Throughput side by side: bare trafilatura, trafilatura's command line, `newswatch crawl`.

Builds a local mirror of at least 2,000 article pages (copies of the gold set and the saved test
pages, each made unique), lists them in RSS feeds, serves them from 127.0.0.1 in a separate process,
then measures in one run, one after the other (the machine is shared and noisy, so only the ratios
of one run mean anything). The copies keep their outlets' address shapes, so newswatch's site
profiles apply as on a real crawl; newswatch reaches them with the mirror as its HTTP proxy
(http_proxy), trafilatura's command line at the mirror's own 127.0.0.1 addresses (it would read
http_proxy as a SOCKS proxy). `--loopback` lists the 127.0.0.1 addresses in the feeds instead, so
no profile applies and every page goes through trafilatura inside newswatch too.

1. bare `trafilatura.extract` over the same bytes in one process (the single-core floor);
2. `trafilatura -i urls.txt --parallel 2` with SLEEP_TIME = 0 and SSRF_PROTECTION = off;
3. `newswatch crawl` of the feeds with `[crawl] delay = 0`, `adaptive = false`, `concurrency = 8`.

Each is a child process; its CPU seconds and peak memory include its descendants (the extraction
workers), read from /proc while it runs: RSS summed over the processes (pages they share counted
once per process), and PSS (shared pages split between them, so counted once in all).
Targets (issue 9): newswatch >= 1.5x bare, >= 2x the command line, peak memory < 500 MB.

`--watches N` adds a fourth run to each round: `newswatch crawl` of the same feeds with N watches of
5 terms each (the LG AI Research watch and N - 1 others whose terms occur nowhere, so every page is
matched against all of them). Target (issue 21): with 50 watches, within 5 % of one watch.

    python bench/bench_throughput.py [--pages 2000] [--rounds 1] [--loopback] [--profile FILE]
                                     [--watches 50]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


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


# ----------------------------------------------------------------------------------- measurement


@dataclass
class Usage:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and all its descendants
    peak_rss: float  # MB: the largest sum of RSS over the process tree at one moment
    peak_pss: float  # MB: the same in PSS (pages shared between the processes counted once)
    output: str
    root_cpu: float  # CPU s of the measured process itself, without its children (last sample)


class TreeSampler(threading.Thread):
    """Reads /proc every `interval` s: CPU of each process in a tree, and the tree's total RSS."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.cpu: dict[int, float] = {}
        self.peak_rss = self.peak_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, list[str]] = {}
        for path in Path("/proc").iterdir():
            entry = path.name
            if not entry.isdigit():
                continue
            try:
                raw = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = raw[raw.rfind(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            stats[int(entry)] = fields
        tree, frontier = {self.root}, [self.root]
        while frontier:
            pid = frontier.pop()
            children = [p for p, parent in parents.items() if parent == pid]
            tree.update(children)
            frontier += children
        rss = pss = 0
        for pid in tree & stats.keys():
            fields = stats[pid]
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK
            rss += int(fields[21]) * _PAGE
            pss += _pss(pid)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)


def _pss(pid: int) -> int:
    """Proportional set size in bytes: shared pages (a fork server's children) counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(command: list[str], env: dict[str, str] | None = None) -> Usage:
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    _pid, status, rusage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{output[-3000:]}")
    # The root's exact figure (with the children it waited for), plus the others last seen.
    cpu = rusage.ru_utime + rusage.ru_stime
    cpu += sum(seconds for pid, seconds in sampler.cpu.items() if pid != process.pid)
    peak = max(sampler.peak_rss, rusage.ru_maxrss * 1024)
    root = sampler.cpu.get(process.pid, 0.0)
    return Usage(wall, cpu, peak / 2**20, sampler.peak_pss / 2**20, output, root)


def bare_child(directory: Path, names_file: Path) -> None:
    """Child mode: trafilatura.extract over every copy once, timing only the loop."""
    import trafilatura

    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    names = names_file.read_text("utf-8").split()
    url_of = {name: url for url, name in manifest.items()}
    pages = [(url_of[n], (directory / n).read_bytes()) for n in names]
    trafilatura.extract(pages[0][1], url=pages[0][0], deduplicate=False)  # warm-up
    start = time.perf_counter()
    extracted = sum(
        trafilatura.extract(body, url=url, deduplicate=False) is not None for url, body in pages
    )
    print(json.dumps({"seconds": time.perf_counter() - start, "extracted": extracted}))


def trafilatura_config(path: Path) -> Path:
    """trafilatura's own settings.cfg with no sleep between requests and loopback allowed."""
    import trafilatura.settings

    text = (Path(trafilatura.settings.__file__).parent / "settings.cfg").read_text("utf-8")
    text = re.sub(r"(?m)^SLEEP_TIME = .*$", "SLEEP_TIME = 0", text)
    text = re.sub(r"(?m)^SSRF_PROTECTION = .*$", "SSRF_PROTECTION = off", text)
    path.write_text(text, encoding="utf-8")
    return path


def watch_tables(count: int) -> list[str]:
    """[[watches]] for `count` watches of 5 terms: LG AI Research's, then made-up competitors'."""
    lines = ["[[watches]]", 'name = "LG AI Research"']
    lines.append(f"terms = {json.dumps(list(TERMS), ensure_ascii=False)}")
    for i in range(1, count):
        terms = [
            f"경쟁사{i}연구소",
            f"Rival{i} AI",
            f"라이벌{i}모델",
            f"RIVAL-{i}X",
            f"가상{i}클로바",
        ]
        lines += ["[[watches]]", f'name = "rival {i}"']
        lines.append(f"terms = {json.dumps(terms, ensure_ascii=False)}")
    return lines


def newswatch_config(path: Path, archive: Path, bench: Bench, watches: int = 1) -> Path:
    lines = [
        "[archive]",
        f'path = "{archive}"',
        *watch_tables(watches),
        "[crawl]",
        "delay = 0",
        "allow_private = true",
        "adaptive = false",
        f"concurrency = {bench.concurrency}",
    ]
    if bench.extract_workers is not None:
        lines.append(f"extract_workers = {bench.extract_workers}")
    for index, feed in enumerate(bench.feeds):
        url = f"{bench.base}{feed}"
        lines += ["[[sources]]", f'name = "mirror{index}"', 'type = "rss"', f'url = "{url}"']
        lines.append("max_items = 100000")  # every item of the mirror's feeds (default: 200)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_counts(archive: Path) -> dict[str, int]:
    conn = sqlite3.connect(archive)
    try:
        names = ("fetched", "new", "duplicates", "irrelevant", "not_article", "failed")
        row = conn.execute(
            f"SELECT {', '.join(f'SUM({n})' for n in names)} FROM crawl_run_sources"
        ).fetchone()
        return dict(zip(names, (v or 0 for v in row), strict=True))
    finally:
        conn.close()


# ------------------------------------------------------------------------------------------ main


@dataclass
class Bench:
    work: Path
    mirror: Mirror
    base: str
    feeds: list[str]
    trafilatura_cfg: Path
    env: dict[str, str]  # no proxy variables (trafilatura would read http_proxy as SOCKS)
    crawl_env: dict[str, str]  # newswatch's: http_proxy is the mirror, unless --loopback
    concurrency: int
    extract_workers: int | None  # newswatch [crawl] extract_workers; None: its default
    watches: int = 1  # > 1: also crawl with this many watches (newswatch-watches)


def run_round(
    round_: int, bench: Bench, results: dict[str, list[tuple[Usage, float]]]
) -> dict[str, int]:
    """The three measurements, one after the other; returns newswatch's page counts."""
    python, work, pages = sys.executable, bench.work, len(bench.mirror.names)
    usage = measure(
        [python, __file__, "--bare", str(bench.mirror.directory), str(work / "names.txt")]
    )
    report = json.loads(usage.output.strip().splitlines()[-1])
    results["bare"].append((usage, pages / report["seconds"]))

    out = work / f"cli-{round_}"
    usage = measure(
        [str(Path(python).with_name("trafilatura")), "-i", str(work / "urls.txt"),
         "--parallel", "2", "--config-file", str(bench.trafilatura_cfg), "-o", str(out)],
        bench.env,
    )  # fmt: skip
    written = sum(p.is_file() for p in out.rglob("*")) if out.exists() else 0
    results["cli"].append((usage, pages / usage.wall))
    print(f"round {round_ + 1}: trafilatura CLI wrote {written} files")

    archive = work / f"news-{round_}.db"
    config = newswatch_config(work / f"newswatch-{round_}.toml", archive, bench)
    usage = measure([python, "-m", "newswatch", "--config", str(config), "crawl"], bench.crawl_env)
    split = run_counts(archive)
    # Every page is fetched once; a rate over fewer would flatter newswatch.
    assert split["fetched"] == pages, f"newswatch fetched {split['fetched']} of {pages} pages"
    results["newswatch"].append((usage, pages / usage.wall))
    print(f"round {round_ + 1}: newswatch {split}")
    if bench.watches > 1:
        archive = work / f"news-watches-{round_}.db"
        config = newswatch_config(
            work / f"newswatch-watches-{round_}.toml", archive, bench, bench.watches
        )
        usage = measure(
            [python, "-m", "newswatch", "--config", str(config), "crawl"], bench.crawl_env
        )
        many = run_counts(archive)

        # The same pages kept: the other watches' terms occur nowhere. Which of two near-copies
        # is stored and which counted a duplicate follows the order pages arrive in, so only
        # their sum is compared.
        def kept(counts: dict[str, int]) -> dict[str, int]:
            return {k: v for k, v in counts.items() if k not in ("new", "duplicates")} | {
                "kept": counts["new"] + counts["duplicates"]
            }

        assert kept(many) == kept(split), f"with {bench.watches} watches: {many}, one: {split}"
        results["newswatch-watches"].append((usage, pages / usage.wall))
        print(f"round {round_ + 1}: newswatch with {bench.watches} watches {many}")
    return split


def profile_crawl(bench: Bench, output: Path) -> None:
    """One more crawl, of a fresh archive, under cProfile (main process only)."""
    archive = bench.work / "news-profile.db"
    config = newswatch_config(bench.work / "newswatch-profile.toml", archive, bench)
    profile = [sys.executable, "-m", "cProfile", "-o", str(output)]
    measure([*profile, "-m", "newswatch", "--config", str(config), "crawl"], bench.crawl_env)
    print(f"profile of one crawl written to {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1, help="repeat all three; medians")
    parser.add_argument(
        "--loopback",
        action="store_true",
        help="feeds list the mirror's own 127.0.0.1 addresses: no site profile applies",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=8,
        help="newswatch [crawl] concurrency (requests per host)",
    )
    parser.add_argument(
        "--extract-workers",
        type=int,
        help="newswatch [crawl] extract_workers (default: one per core)",
    )
    parser.add_argument(
        "--watches", type=int, default=1, help="also crawl with this many watches of 5 terms"
    )
    parser.add_argument("--profile", type=Path, help="also cProfile one newswatch crawl to FILE")
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), Path(args.serve[1]))
        return
    if args.bare:
        bare_child(Path(args.bare[0]), Path(args.bare[1]))
        return

    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="newswatch-tput-") as tmp:
        work = Path(tmp)
        mirror = build_mirror(work / "mirror", args.pages)
        names_file = work / "names.txt"
        names_file.write_text("\n".join(mirror.names), encoding="utf-8")
        ready = work / "port"
        server = subprocess.Popen(
            [python, __file__, "--serve", str(mirror.directory), str(ready)], cwd=ROOT
        )
        deadline = time.monotonic() + 30
        while not ready.exists() or not ready.read_text():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the mirror server did not start")
            time.sleep(0.05)
        base = f"http://127.0.0.1:{ready.read_text()}"
        feeds = write_feeds(mirror, base, loopback=args.loopback)
        (work / "urls.txt").write_text(
            "".join(f"{base}/{n}\n" for n in mirror.names), encoding="utf-8"
        )
        cfg = trafilatura_config(work / "trafilatura.cfg")
        # The crawl alone: the words analysis a crawl starts in the background (newswatch/words.py
        # AFTER_CRAWL_ENV) would run on into the next measured crawl and write into this directory.
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")} | {
            "NEWSWATCH_WORDS_AFTER_CRAWL": "0"
        }
        crawl_env = env if args.loopback else env | {"http_proxy": base}
        bench = Bench(
            work,
            mirror,
            base,
            feeds,
            cfg,
            env,
            crawl_env,
            args.concurrency,
            args.extract_workers,
            args.watches,
        )
        server_cpu_start = _cpu_of(server.pid)
        results: dict[str, list[tuple[Usage, float]]] = {"bare": [], "cli": [], "newswatch": []}
        if args.watches > 1:
            results["newswatch-watches"] = []
        split: dict[str, int] = {}
        try:
            for round_ in range(args.rounds):
                split = run_round(round_, bench, results)
                if args.profile and round_ == 0:
                    profile_crawl(bench, args.profile)
        finally:
            server_cpu = _cpu_of(server.pid) - server_cpu_start
            server.terminate()
            server.wait()
        print_table(results, len(mirror.names), split, server_cpu)


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text()
    fields_after = fields[fields.rfind(")") + 2 :].split()
    return (int(fields_after[11]) + int(fields_after[12])) / _TICK


def print_table(
    results: dict[str, list[tuple[Usage, float]]],
    pages: int,
    split: dict[str, int],
    server_cpu: float,
) -> None:
    labels = {
        "bare": "bare trafilatura.extract, 1 process",
        "cli": "trafilatura CLI --parallel 2",
        "newswatch": "newswatch crawl",
        "newswatch-watches": "newswatch crawl, many watches",
    }
    rates = {k: statistics.median(rate for _u, rate in v) for k, v in results.items()}
    print(f"\n{pages} pages, {os.cpu_count()} cores, {len(results['bare'])} round(s) (medians)")
    print(f"{'':38} {'pages/s':>8} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} {'PSS MB':>7}")
    for key, runs in results.items():
        wall = statistics.median(u.wall for u, _r in runs)
        cpu = statistics.median(u.cpu for u, _r in runs)
        rss = max(u.peak_rss for u, _r in runs)
        pss = max(u.peak_pss for u, _r in runs)
        print(f"{labels[key]:38} {rates[key]:8.1f} {wall:7.1f} {cpu:7.1f} {rss:7.0f} {pss:7.0f}")
    bare_ratio = rates["newswatch"] / rates["bare"]
    cli_ratio = rates["newswatch"] / rates["cli"]
    rss = max(u.peak_rss for u, _r in results["newswatch"])
    pss = max(u.peak_pss for u, _r in results["newswatch"])
    print(f"newswatch / bare extraction: {bare_ratio:.2f}x (target >= 1.5x)")
    print(f"newswatch / trafilatura CLI: {cli_ratio:.2f}x (target >= 2x)")
    print(f"newswatch peak memory: {pss:.0f} MB PSS, {rss:.0f} MB RSS summed (target < 500 MB)")
    main_cpu = statistics.median(u.root_cpu for u, _r in results["newswatch"])
    cpu = statistics.median(u.cpu for u, _r in results["newswatch"])
    print(
        f"newswatch CPU: {main_cpu:.1f} s in the crawl process (Scrapy, dedup, archive),"
        f" {cpu - main_cpu:.1f} s in its extraction workers"
    )
    if results.get("newswatch-watches"):
        slower = rates["newswatch"] / rates["newswatch-watches"] - 1
        print(
            f"newswatch with many watches / one watch: {1 + slower:.3f}x the wall time"
            f" ({slower:+.1%}; target within 5 %)"
        )
    print(f"newswatch pages: {split}")
    print(
        f"mirror server CPU over all runs (its own process, not counted above): {server_cpu:.1f} s"
    )
    print("(bare: extraction loop only; CLI and newswatch: whole process, start-up included)")


if __name__ == "__main__":
    main()
