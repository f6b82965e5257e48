"""The download handler keeps a connection open for every request in flight through a proxy."""

from __future__ import annotations

import subprocess
import sys

import pytest

# In a process of its own: the handler installs Twisted's reactor, which this one must not have.
PROBE = """
import sys
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.utils.test import get_crawler
from crawler.download import PooledHTTP11DownloadHandler
total, per_host = int(sys.argv[1]), int(sys.argv[2])
crawler = get_crawler(settings_dict={
    "TWISTED_REACTOR_ENABLED": True,
    "CONCURRENT_REQUESTS": total,
    "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
})
print(PooledHTTP11DownloadHandler(crawler)._pool.maxPersistentPerHost)
"""


@pytest.mark.parametrize(
    ("total", "per_host", "kept"),
    [
        # Through a proxy all requests share the proxy's one address: keep one for each in flight
        # (Scrapy's own handler would keep 1 and reconnect for the other 15).
        (16, 1, 16),
        (4, 8, 8),  # a larger per-host number stays
    ],
)
def test_idle_connections_are_kept_for_every_request_in_flight(
    total: int, per_host: int, kept: int
) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(total), str(per_host)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert run.stdout.strip() == str(kept)
