"""Webhook entry point: API Gateway event in, HTTP answer out; executions start only for valid new messages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from office_assistant.local.http_events import api_gateway_event
from office_assistant.local.lambda_context import LocalLambdaContext
from office_assistant.local.platform_requests import SlackSender, TelegramSender
from office_assistant.local.wiring import handler_module
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant.workflow.tasks import WEBHOOK
from tests.functions.conftest import SIGNING_SECRET, TELEGRAM_SECRET

if TYPE_CHECKING:
    from tests.functions.conftest import RecordingStarter

CHAT = {"id": -100123, "type": "group", "title": "Office"}
ELODIE = {"id": 7, "is_bot": False, "first_name": "Élodie"}


def _call(event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))
    return response["statusCode"], json.loads(response["body"])


def test_webhook_starts_one_execution_for_a_signed_slack_message(starter: RecordingStarter) -> None:
    event, ts = SlackSender(SIGNING_SECRET).message_event("C1", "U1", "hello")

    status, body = _call(event)

    assert (status, body) == (200, {"ok": True})
    message = WorkflowInput.model_validate(starter.started[0][1]).message
    assert (message.chat_id, message.message_id, message.text) == ("C1", ts, "hello")


def test_webhook_rejects_a_forged_slack_signature_and_starts_nothing(starter: RecordingStarter) -> None:
    event, _ = SlackSender("someone-elses-secret").message_event("C1", "U1", "hello")

    status, _ = _call(event)

    assert status == 401
    assert starter.started == []


def test_webhook_rejects_a_slack_signature_older_than_five_minutes(starter: RecordingStarter) -> None:
    sender = SlackSender(SIGNING_SECRET)
    body = json.dumps({"type": "event_callback", "event_id": "Ev1", "event": {"type": "message"}})

    status, _ = _call(sender.signed(body, timestamp=1_600_000_000))

    assert status == 401
    assert starter.started == []


def test_webhook_answers_slack_url_verification_with_the_challenge(starter: RecordingStarter) -> None:
    body = json.dumps(
        {"type": "url_verification", "token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    )

    status, answer = _call(SlackSender(SIGNING_SECRET).signed(body))

    assert (status, answer) == (200, {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})
    assert starter.started == []


def test_webhook_answers_400_to_a_signed_body_that_is_not_json(starter: RecordingStarter) -> None:
    status, _ = _call(SlackSender(SIGNING_SECRET).signed("{not json"))

    assert status == 400
    assert starter.started == []


def test_webhook_answers_a_slack_retry_once(starter: RecordingStarter) -> None:
    sender = SlackSender(SIGNING_SECRET)
    event, _ = sender.message_event("C1", "U1", "hello")
    retry = dict(
        event, headers=dict(event["headers"], **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    )

    first, second = _call(event), _call(retry)

    assert first == (200, {"ok": True})
    assert second == (200, {"ignored": "duplicate"})
    assert len(starter.started) == 1


def test_webhook_ignores_the_bots_own_slack_messages(starter: RecordingStarter) -> None:
    body = {
        "type": "event_callback",
        "event_id": "Ev9",
        "event": {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B1",
            "channel": "C1",
            "ts": "1.1",
            "text": "hi",
        },
    }

    status, answer = _call(SlackSender(SIGNING_SECRET).signed(json.dumps(body)))

    assert status == 200 and "ignored" in answer
    assert starter.started == []


def test_webhook_starts_an_execution_for_a_telegram_update_with_the_secret_token(starter: RecordingStarter) -> None:
    event, message_id = TelegramSender(TELEGRAM_SECRET).message_update(CHAT, ELODIE, "hello @office_assistant_bot")

    status, _ = _call(event)

    assert status == 200
    message = WorkflowInput.model_validate(starter.started[0][1]).message
    assert (message.chat_id, message.message_id, message.user_name) == ("-100123", str(message_id), "Élodie")


def test_webhook_rejects_a_telegram_update_with_a_wrong_secret_token(starter: RecordingStarter) -> None:
    event, _ = TelegramSender("wrong-secret").message_update(CHAT, ELODIE, "hello")

    status, _ = _call(event)

    assert status == 401
    assert starter.started == []


def test_webhook_answers_400_to_a_telegram_body_that_is_not_an_update(starter: RecordingStarter) -> None:
    headers = {"content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET}

    status, _ = _call(api_gateway_event("POST", "/telegram/webhook", headers, '["not", "an", "update"]'))

    assert status == 400
    assert starter.started == []


def test_webhook_answers_404_for_an_unknown_path(starter: RecordingStarter) -> None:
    status, _ = _call(api_gateway_event("POST", "/somewhere/else", {}, "{}"))

    assert status == 404
    assert starter.started == []
