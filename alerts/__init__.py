"""New-article and operational alerts: compose messages and deliver the outbox through apprise."""

from alerts.delivery import DeliveryReport, deliver, send_test

__all__ = ["DeliveryReport", "deliver", "send_test"]
