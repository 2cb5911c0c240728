"""Webhook requests as Slack and Telegram send them (signed, with their real payload shapes), for local runs."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.signature import SignatureVerifier

from office_assistant.adapters.http_edge.webhook import TELEGRAM_SECRET_HEADER
from office_assistant_local.http_events import api_gateway_event


@dataclass
class SlackSender:
    """Builds signed Events API deliveries for one workspace."""

    signing_secret: str
    team_id: str = "T0LOCAL"
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def message_event(
        self, channel: str, user: str, text: str, *, mention: bool = False, thread_ts: str | None = None
    ) -> tuple[dict[str, Any], str]:
        """(API Gateway event, message ts) for a channel message; `mention` delivers it as app_mention."""
        n = next(self._ids)
        ts = f"{time.time():.6f}"
        event: dict[str, Any] = {
            "type": "app_mention" if mention else "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = {
            "token": "verification-token-unused",
            "team_id": self.team_id,
            "api_app_id": "A0LOCAL",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev0LOCAL{n:04d}",
            "event_time": int(float(ts)),
        }
        return self.signed(json.dumps(body)), ts

    def signed(self, body: str, timestamp: int | None = None) -> dict[str, Any]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(self.signing_secret).generate_signature(timestamp=stamp, body=body)
        headers = {
            "content-type": "application/json",
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature or "",
        }
        return api_gateway_event("POST", "/slack/events", headers, body)


@dataclass
class TelegramSender:
    """Builds Bot API webhook deliveries carrying the secret token."""

    secret_token: str
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100_000))

    def message_update(self, chat: dict[str, Any], sender: dict[str, Any], text: str) -> tuple[dict[str, Any], int]:
        """(API Gateway event, message_id) for a text message."""
        update_id = next(self._ids)
        message_id = update_id % 100_000 + 1
        update = {
            "update_id": update_id,
            "message": {"message_id": message_id, "from": sender, "chat": chat, "date": int(time.time()), "text": text},
        }
        headers = {"content-type": "application/json", TELEGRAM_SECRET_HEADER: self.secret_token}
        return api_gateway_event("POST", "/telegram/webhook", headers, json.dumps(update)), message_id
