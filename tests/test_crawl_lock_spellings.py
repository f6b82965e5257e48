"""The crawl lock is the archive file's, whatever the path that names it: two real crawls of one
archive through a symlink, a symlinked folder, a relative or a `..` spelling run one at a time."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import CRAWL_TIMEOUT, _child_env, newswatch, write_config
from tests.newssite import Hit, NewsSite, Route
from tests.test_crawl_end_to_end import DT, rows, serve_test_site
from tests.test_faults_archive import ARTICLES, wait_for


def _config(folder: Path, archive: str, site: NewsSite) -> Path:
    folder.mkdir(exist_ok=True)
    # `archive` as written in the file: write_config would normalise a Path, so it gets a string.
    return write_config(
        folder / "newswatch.toml",
        archive=archive,  # type: ignore[arg-type]
        sources=[("testnews", "rss", site.url("/feed.xml"))],
    )


def test_every_spelling_of_one_archive_shares_its_crawl_lock(
    site: NewsSite, tmp_path: Path
) -> None:
    serve_test_site(site)
    data = tmp_path / "data"
    data.mkdir()
    db = data / "news.db"
    (tmp_path / "link.db").symlink_to(db)  # to the file, which does not exist yet
    (tmp_path / "linkdir").symlink_to(data, target_is_directory=True)
    (data / "sub").mkdir()
    main = _config(tmp_path / "main", str(db), site)
    # Each spelling, and the path the config then holds (the one its messages name).
    spellings = {
        "symlink to the file": (tmp_path / "c1", str(tmp_path / "link.db")),
        "symlinked folder": (tmp_path / "c2", str(tmp_path / "linkdir" / "news.db")),
        "relative, beside its config": (data, "./news.db"),
        "with ..": (tmp_path / "c3", str(data / "sub" / ".." / "news.db")),
    }
    configs = {
        what: (_config(folder, archive, site), folder / archive)
        for what, (folder, archive) in spellings.items()
    }

    # The first crawl holds one page open until the test lets it go.
    route = site.routes[DT]
    assert isinstance(route, Route)
    release = threading.Event()

    def hold(hit: Hit) -> Route:
        release.wait(CRAWL_TIMEOUT)
        return route

    site.add_handler(DT, hold)
    first = subprocess.Popen(
        [sys.executable, "-m", "newswatch", "--config", str(main), "crawl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(),
    )
    waiting = None
    try:
        wait_for(lambda: site.requested(DT), "the first crawl's held page")
        for what, (config, shown) in configs.items():
            refused = newswatch("--config", str(config), "crawl", "--no-wait")
            assert refused.returncode == 75, (what, refused.stderr)
            assert refused.stderr.strip() == (
                f"Error: another crawl (pid {first.pid}) is running on {shown}; not crawling"
                " (run again later, or without --no-wait)."
            ), what
        # Without --no-wait, a crawl through the symlink waits its turn, before reading anything.
        waiting = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newswatch",
                "--config",
                str(configs["symlink to the file"][0]),
                "crawl",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_child_env(),
        )
        assert waiting.stderr is not None
        assert waiting.stderr.readline() == (
            f"another crawl (pid {first.pid}) is running on {tmp_path / 'link.db'};"
            " waiting for it to end\n"
        )
        assert site.requested("/feed.xml") == 1
        release.set()
        _, first_err = first.communicate(timeout=CRAWL_TIMEOUT)
        assert first.returncode == 0, first_err
        _, waiting_err = waiting.communicate(timeout=CRAWL_TIMEOUT)
        assert waiting.returncode == 0, waiting_err
    finally:
        release.set()
        for child in (first, waiting):
            if child is not None and child.poll() is None:
                child.kill()
                child.communicate()
    assert rows(db, "select status, pid from crawl_runs order by id") == [
        {"status": "ok", "pid": first.pid},
        {"status": "ok", "pid": waiting.pid},
    ]
    # The second crawl found everything archived: nothing stored twice.
    assert rows(db, "select count(*) as n from articles") == [{"n": ARTICLES}]
    assert site.requested("/feed.xml") == 2
    assert sorted(p.name for p in data.glob("*.crawl-lock")) == ["news.db.crawl-lock"]
    assert not list(tmp_path.glob("*.crawl-lock"))
