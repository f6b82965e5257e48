"""Discovery: turn what a channel returns (a feed, a sitemap, an API answer) into article leads."""

from crawler.discovery.lead import Lead

__all__ = ["Lead"]
