"""Alert routing: which alert channels want each new article (the stage before the archive).

It decides; the archive stage writes the outbox rows in the same transaction as the article
(archive/store.py add_article), so an alert commits or rolls back with its article and is never
lost between two stages. The archive's first crawl is a backfill: it stores what exists, alerting
no one (ALERTS_BACKFILL queues alerts anyway).
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from alerts.routing import ChannelFilter, filters, wanted_by
from archive import outbox
from crawler.items import ArticleItem
from pipelines.run_recorder import STAT_RUN_ID
from pipelines.session import ArchiveSession, archive_session

logger = logging.getLogger(__name__)


class AlertRoutingPipeline:
    def __init__(
        self,
        session: ArchiveSession,
        stats: StatsCollector | None,
        channels: tuple[ChannelFilter, ...],
        *,
        backfill: bool = False,
    ) -> None:
        self.session = session
        self.stats = stats
        self.channels = channels
        self.backfill = backfill
        self._alerting: bool | None = None  # decided at the first article, once the run exists

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AlertRoutingPipeline:
        channels = filters(crawler.settings.getlist("ALERTS_CHANNELS"))
        if not channels:
            # Switched off on purpose: no [[alerts]] in the configuration. No message: with one,
            # Scrapy warns on every crawl's stderr.
            raise NotConfigured
        return cls(
            archive_session(crawler),
            crawler.stats,
            channels,
            backfill=crawler.settings.getbool("ALERTS_BACKFILL"),
        )

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        if item.duplicate_of is not None or item.version_of is not None:
            return item  # neither a new article nor a new alert
        if not self._wanted():
            return item
        item.alert_channels = tuple(
            wanted_by(
                self.channels,
                title=item.article.title,
                text=item.article.text,
                relevance=item.relevance or 0,
                watches=[m.watch for m in item.watches or ()],
            )
        )
        return item

    def _wanted(self) -> bool:
        if self._alerting is None:
            run_id = self.stats.get_value(STAT_RUN_ID) if self.stats is not None else None
            db = self.session.archive.db
            self._alerting = self.backfill or not outbox.is_backfill(db, run_id)
            if not self._alerting:
                logger.info("first crawl of this archive: a backfill, no alerts queued")
        return self._alerting
