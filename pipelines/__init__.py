"""Item pipelines, one module each, run in this order: extract → relevance → dedup → alert routing
→ archive; and the Scrapy components that touch the archive (session, run recorder, known URLs)."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class Rejected(DropItem):
    """A page judged not worth keeping; the archive remembers it so it is never fetched again.

    `reason` is one of "not_article" or "irrelevant" (also the name of its crawl count).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}", log_level="DEBUG")
        self.reason = reason
        self.detail = detail
