"""How the archive keeps a fetched page (pages.body_gz); packed where the page is read."""

from __future__ import annotations

import gzip


def pack_page(body: bytes) -> bytes:
    """A fetched page as the archive keeps it (pages.body_gz).

    Level 3, not 6: on the throughput mirror's pages it takes much less CPU for output a little
    larger (bench/RESULTS.md, Throughput).
    """
    return gzip.compress(body, compresslevel=3)
