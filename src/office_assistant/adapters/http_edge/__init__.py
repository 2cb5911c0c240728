"""The HTTP edge: platform webhook deliveries in (verified, size- and type-checked, parsed), status codes out."""

from __future__ import annotations

from office_assistant.adapters.http_edge.webhook import WebhookConfig, WebhookEdge, WebhookReply

__all__ = ["WebhookConfig", "WebhookEdge", "WebhookReply"]
