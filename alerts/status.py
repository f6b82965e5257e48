"""What `newswatch alerts status` shows: outbox counts per channel and the messages that failed."""

from __future__ import annotations

from typing import Any

from alerts.channels import label
from alerts.config import AlertsConfig
from archive import Archive, outbox


def outbox_status(config: AlertsConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Counts per channel (configured channels first, with zeros) and every failed message."""
    with Archive(config.archive_path) as archive:
        rows = {r["channel"]: r for r in outbox.status(archive.db)}
        failed = outbox.failed(archive.db)
    counts = []
    for channel in config.alerts:
        row = rows.pop(channel.id, {"pending": 0, "sent": 0, "failed": 0})
        counts.append({**row, "label": label(channel)})
    # Rows of channels no longer in the config stay in the archive; show them as such.
    counts += [{**r, "label": f"{r['label']} (not configured)"} for r in rows.values()]
    return counts, failed
