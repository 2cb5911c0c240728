"""Webhook: verify a platform delivery, turn it into a message, hand it to intake, and answer fast.

Every answer to bad input is a 4xx or a 200-and-ignore; nothing here raises for what the internet sends.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_sdk.signature import Clock, SignatureVerifier

from office_assistant.adapters.chat_platforms import slack, telegram
from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.services.intake import Duplicate

if TYPE_CHECKING:
    from collections.abc import Mapping

    from office_assistant.services.intake import IntakeService

logger = logging.getLogger(__name__)

TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token"


@dataclass(frozen=True)
class WebhookReply:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookConfig:
    slack_signing_secret: str
    slack_bot_user_id: str
    telegram_secret_token: str
    telegram_bot_username: str


def _json_object(body: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(body)
    except (ValueError, TypeError):
        return None
    return parsed if isinstance(parsed, dict) else None


class WebhookService:
    def __init__(self, intake: IntakeService, config: WebhookConfig, clock: Clock | None = None) -> None:
        self.intake = intake
        self.config = config
        self.slack_verifier = SignatureVerifier(config.slack_signing_secret, clock or Clock())

    def slack(self, body: str, headers: Mapping[str, str]) -> WebhookReply:
        """Slack Events API: signed (v0 HMAC, 5-minute window), url_verification answered, events accepted."""
        if not self.config.slack_signing_secret or not self.slack_verifier.is_valid_request(body, dict(headers)):
            return WebhookReply(401, {"error": "invalid signature"})
        payload = _json_object(body)
        if payload is None:
            return WebhookReply(400, {"error": "body is not a JSON object"})
        if payload.get("type") == "url_verification":
            return WebhookReply(200, {"challenge": payload.get("challenge", "")})
        if payload.get("type") != "event_callback":
            return WebhookReply(200, {"ignored": f"type {payload.get('type')!r}"})
        return self._accept(slack.parse_event(payload, self.config.slack_bot_user_id))

    def telegram(self, body: str, headers: Mapping[str, str]) -> WebhookReply:
        """Telegram Bot API webhook: the secret token header compared in constant time, updates accepted."""
        given = {k.lower(): v for k, v in headers.items()}.get(TELEGRAM_SECRET_HEADER, "")
        expected = self.config.telegram_secret_token
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return WebhookReply(401, {"error": "invalid secret token"})
        payload = _json_object(body)
        if payload is None or not isinstance(payload.get("update_id"), int):
            return WebhookReply(400, {"error": "body is not a Telegram update"})
        return self._accept(telegram.parse_update(payload, self.config.telegram_bot_username))

    def _accept(self, parsed: Any) -> WebhookReply:
        if isinstance(parsed, Ignored):
            return WebhookReply(200, {"ignored": parsed.reason})
        outcome = self.intake.accept(parsed)
        if isinstance(outcome, Duplicate):
            return WebhookReply(200, {"ignored": "duplicate"})
        return WebhookReply(200, {"ok": True})
