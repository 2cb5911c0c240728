"""The webhook's HTTP edge: verify a platform delivery, parse it into a message, hand it to intake, answer fast.

Everything HTTP lives here (status codes, content types, body limits, Slack's signature via slack_sdk,
Telegram's secret token); the platform parsers are the chat-platform adapters', and the use case behind the
edge is `services.intake`. Every answer to bad input is a 4xx or a 200-and-ignore; nothing here raises for what
the internet sends.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_sdk.signature import Clock, SignatureVerifier

from office_assistant.adapters.chat_platforms import slack, telegram
from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.domain.messages import InboundMessage
from office_assistant.services.intake import Duplicate

if TYPE_CHECKING:
    from collections.abc import Mapping

    from office_assistant.services.intake import IntakeService

logger = logging.getLogger(__name__)

TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token"
# Events API and Bot API deliveries are a few kB; API Gateway itself caps bodies at 10 MB.
MAX_BODY_BYTES = 256 * 1024
GROUP_REPLY_POLICIES = frozenset({"mentions", "all"})


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
    telegram_group_replies: str = "mentions"  # "mentions": store every group message, answer only when addressed


# What a parser raises for a payload of the wrong shape; OverflowError: int(1e400), a float JSON decodes as inf.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, IndexError)

UNDECODABLE = WebhookReply(400, {"error": "body is not UTF-8 text"})


def decode_body(body: str | None, is_base64: bool) -> str | None:
    """The request body as text; None when it is not valid base64 or UTF-8 (a 400, not a crash)."""
    if not body or not is_base64:
        return body or ""
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _too_large(body: str) -> bool:
    return len(body) > MAX_BODY_BYTES or len(body.encode("utf-8", errors="replace")) > MAX_BODY_BYTES


def _json_object(body: str) -> dict[str, Any] | None:
    """The body as a JSON object, or None for anything else json cannot decode into one.

    Deep nesting (`[[[[...]]]]` a few thousand levels down) makes the decoder raise RecursionError, not ValueError.
    """
    try:
        parsed = json.loads(body)
    except (ValueError, TypeError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


class WebhookEdge:
    """One method per platform route: a request body and headers in, a `WebhookReply` out."""

    def __init__(self, intake: IntakeService, config: WebhookConfig, clock: Clock | None = None) -> None:
        self.intake = intake
        self.config = config
        # None without a secret: a Telegram-only deployment answers Slack with 401 instead of failing to start
        self.slack_verifier = (
            SignatureVerifier(config.slack_signing_secret, clock or Clock()) if config.slack_signing_secret else None
        )

    def slack(self, body: str, headers: Mapping[str, str]) -> WebhookReply:
        """Slack Events API: signed (v0 HMAC, 5-minute window), url_verification answered, events accepted.

        Retries (`X-Slack-Retry-Num`) go through like first deliveries: intake's claim on the message drops
        them when the original got through, and answers them when it never arrived.
        """
        headers = _lower(headers)
        if _too_large(body):
            return WebhookReply(413, {"error": "body too large"})
        if _media_type(headers) == "application/x-www-form-urlencoded" and _is_ssl_check(body):
            return WebhookReply(200, {"ignored": "ssl_check"})  # Slack's certificate probe: unsigned by design
        if not self._slack_signed(body, headers):
            return WebhookReply(401, {"error": "invalid signature"})
        if (refused := _not_slack_json(headers)) is not None:
            return refused
        payload = _json_object(body)
        if payload is None:
            return WebhookReply(400, {"error": "body is not a JSON object"})
        if payload.get("type") == "url_verification":
            challenge = payload.get("challenge")
            if not isinstance(challenge, str):
                return WebhookReply(400, {"error": "url_verification without a challenge"})
            return WebhookReply(200, {"challenge": challenge})
        if payload.get("type") != "event_callback":
            return WebhookReply(200, {"ignored": f"type {str(payload.get('type'))[:40]!r}"})
        try:
            parsed = slack.parse_event(payload, self.config.slack_bot_user_id)
        except MALFORMED:
            return WebhookReply(400, {"error": "malformed event"})
        return self._accept(parsed)

    def _slack_signed(self, body: str, headers: dict[str, str]) -> bool:
        """slack_sdk's check; a timestamp that is not a number or a non-ASCII signature is simply invalid."""
        if self.slack_verifier is None:
            return False
        try:
            return self.slack_verifier.is_valid_request(body, headers)
        except (ValueError, TypeError):  # int("abc"), compare_digest of non-ASCII str, unencodable surrogates
            return False

    def telegram(self, body: str, headers: Mapping[str, str]) -> WebhookReply:
        """Telegram Bot API webhook: the secret token header compared in constant time, updates accepted."""
        headers = _lower(headers)
        given = headers.get(TELEGRAM_SECRET_HEADER, "")
        expected = self.config.telegram_secret_token
        if not expected or not hmac.compare_digest(given.encode(errors="replace"), expected.encode()):
            return WebhookReply(401, {"error": "invalid secret token"})
        if _too_large(body):
            return WebhookReply(413, {"error": "body too large"})
        if _media_type(headers) != "application/json":
            return WebhookReply(415, {"error": "expected application/json"})
        payload = _json_object(body)
        update_id = payload.get("update_id") if payload is not None else None
        if payload is None or not isinstance(update_id, int) or isinstance(update_id, bool):
            return WebhookReply(400, {"error": "body is not a Telegram update"})
        try:
            parsed = telegram.parse_update(payload, self.config.telegram_bot_username)
        except MALFORMED:
            return WebhookReply(400, {"error": "malformed update"})
        if isinstance(parsed, InboundMessage) and not parsed.is_direct and not parsed.mentions_bot:
            # groups: always stored; answered only when addressed, unless the policy says "all"
            parsed = replace(parsed, reply_expected=self.config.telegram_group_replies == "all")
        return self._accept(parsed)

    def _accept(self, parsed: Any) -> WebhookReply:
        if isinstance(parsed, Ignored):
            return WebhookReply(200, {"ignored": parsed.reason})
        outcome = self.intake.accept(parsed)
        if isinstance(outcome, Duplicate):
            return WebhookReply(200, {"ignored": "duplicate"})
        return WebhookReply(200, {"ok": True})


def _not_slack_json(headers: dict[str, str]) -> WebhookReply | None:
    """The answer to a signed Slack post that is not JSON, or None for JSON.

    Interactivity, slash commands and options loads are form-encoded: 200-and-ignore, because Slack shows the
    user an error for any non-2xx. Other media types are a 415.
    """
    media_type = _media_type(headers)
    if media_type == "application/x-www-form-urlencoded":
        return WebhookReply(200, {"ignored": "form-encoded payload (interactivity or command)"})
    if media_type != "application/json":
        return WebhookReply(415, {"error": "expected application/json"})
    return None


def _is_ssl_check(body: str) -> bool:
    return parse_qs(body[:1024]).get("ssl_check") == ["1"]
