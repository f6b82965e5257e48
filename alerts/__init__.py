"""New-article and operational alerts: compose messages and deliver the outbox through apprise.

`alerts.deliver(config)` is the stable entry point for the scheduler. apprise loads only when
delivery is used, so a crawl without alerts does not pay for it (the crawl imports routing only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alerts.delivery import DeliveryReport, deliver, send_test

__all__ = ["DeliveryReport", "deliver", "send_test"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from alerts import delivery  # noqa: PLC0415 - deferred: it loads apprise

        return getattr(delivery, name)
    raise AttributeError(name)
