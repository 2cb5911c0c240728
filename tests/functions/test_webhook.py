"""Webhook entry point: API Gateway event in, HTTP answer out; executions start only for valid new messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.http_events import api_gateway_event
from office_assistant_local.platform_requests import SlackSender, TelegramSender
from office_assistant_local.wiring import handler_module
from tests.fakes import FakeStateTable
from tests.functions.conftest import SIGNING_SECRET, TELEGRAM_SECRET, RecordingStarter

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage

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


def _telegram(update: dict[str, Any]) -> dict[str, Any]:
    headers = {"content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET}
    return api_gateway_event("POST", "/telegram/webhook", headers, json.dumps(update))


def _fixture(platform: str, name: str) -> dict[str, Any]:
    path = Path(__file__).resolve().parent.parent / "fixtures" / "events" / platform / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _started_message(starter: RecordingStarter, index: int = -1) -> InboundMessage:
    return WorkflowInput.model_validate(starter.started[index][1]).message


def test_webhook_answers_a_slack_retry_whose_original_never_arrived(starter: RecordingStarter) -> None:
    event, _ = SlackSender(SIGNING_SECRET).message_event("C1", "U1", "hello")
    retry = dict(event, headers=dict(event["headers"], **{"x-slack-retry-num": "2", "x-slack-retry-reason": "timeout"}))

    status, body = _call(retry)

    assert (status, body) == (200, {"ok": True})
    assert len(starter.started) == 1


def test_webhook_answers_a_message_delivered_as_message_and_app_mention_once(starter: RecordingStarter) -> None:
    sender = SlackSender(SIGNING_SECRET)
    mention = _fixture("slack", "app_mention")
    as_message = dict(mention, event_id="Ev0OTHERID", event=dict(mention["event"], type="message"))
    for body in (mention, as_message):
        body["event"]["ts"] = body["event"]["event_ts"] = mention["event"]["ts"]

    answers = [_call(sender.signed(json.dumps(body))) for body in (as_message, mention)]

    assert answers == [(200, {"ok": True}), (200, {"ignored": "duplicate"})]
    assert len(starter.started) == 1


def test_webhook_answers_slack_ssl_check_without_starting_anything(starter: RecordingStarter) -> None:
    headers = {"content-type": "application/x-www-form-urlencoded"}

    status, body = _call(api_gateway_event("POST", "/slack/events", headers, "ssl_check=1&token=abc"))

    assert (status, body) == (200, {"ignored": "ssl_check"})
    assert starter.started == []


def test_webhook_rejects_an_oversized_slack_body_with_413(starter: RecordingStarter) -> None:
    body = json.dumps({"type": "event_callback", "padding": "x" * 300_000})

    status, _ = _call(SlackSender(SIGNING_SECRET).signed(body))

    assert status == 413
    assert starter.started == []


def test_webhook_rejects_a_signed_slack_body_that_is_not_json_content_with_415(starter: RecordingStarter) -> None:
    event, _ = SlackSender(SIGNING_SECRET).message_event("C1", "U1", "hello")
    event["headers"]["content-type"] = "text/plain"

    status, _ = _call(event)

    assert status == 415
    assert starter.started == []


def test_webhook_answers_400_to_a_base64_body_that_is_not_utf8(starter: RecordingStarter) -> None:
    event = api_gateway_event(
        "POST", "/telegram/webhook", {"x-telegram-bot-api-secret-token": TELEGRAM_SECRET}, b"\xff"
    )

    status, _ = _call(event)

    assert status == 400
    assert starter.started == []


def test_webhook_starts_one_execution_for_a_telegram_update_delivered_twice(starter: RecordingStarter) -> None:
    update = _fixture("telegram", "private_text")

    answers = [_call(_telegram(update)), _call(_telegram(update))]

    assert answers == [(200, {"ok": True}), (200, {"ignored": "duplicate"})]
    assert len(starter.started) == 1


def test_webhook_acknowledges_and_ignores_a_telegram_edited_message(starter: RecordingStarter) -> None:
    status, body = _call(_telegram(_fixture("telegram", "edited_message")))

    assert (status, body) == (200, {"ignored": "edited message: the original was answered"})
    assert starter.started == []


def test_webhook_stores_an_unaddressed_telegram_group_message_without_expecting_a_reply(
    starter: RecordingStarter,
) -> None:
    status, _ = _call(_telegram(_fixture("telegram", "group_plain")))

    assert status == 200
    message = _started_message(starter)
    assert (message.mentions_bot, message.reply_expected) == (False, False)


@pytest.mark.parametrize("fixture", ["group_mention", "group_reply_to_bot", "group_command"])
def test_webhook_expects_a_reply_to_a_telegram_group_message_addressed_to_the_bot(
    starter: RecordingStarter, fixture: str
) -> None:
    status, _ = _call(_telegram(_fixture("telegram", fixture)))

    assert status == 200
    assert _started_message(starter).reply_expected is True


def test_webhook_expects_a_reply_to_every_group_message_when_the_policy_is_all() -> None:
    starter = RecordingStarter()
    settings = Settings(telegram_secret_token=TELEGRAM_SECRET, telegram_group_replies="all")
    bootstrap.configure(Container(settings, state_table=FakeStateTable(), starter=starter))
    try:
        _call(_telegram(_fixture("telegram", "group_plain")))
    finally:
        bootstrap.reset()

    assert WorkflowInput.model_validate(starter.started[0][1]).message.reply_expected is True


def test_webhook_acknowledges_and_ignores_a_signed_slack_interactivity_payload(starter: RecordingStarter) -> None:
    body = "payload=" + json.dumps({"type": "block_actions", "actions": [{"action_id": "approve"}]})
    event = SlackSender(SIGNING_SECRET).signed(body)
    event["headers"]["content-type"] = "application/x-www-form-urlencoded"

    status, answer = _call(event)

    assert (status, answer) == (200, {"ignored": "form-encoded payload (interactivity or command)"})
    assert starter.started == []


def test_webhook_rejects_an_unsigned_slack_form_post_with_401(starter: RecordingStarter) -> None:
    headers = {"content-type": "application/x-www-form-urlencoded"}

    status, _ = _call(api_gateway_event("POST", "/slack/events", headers, "payload=%7B%7D"))

    assert status == 401


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_webhook_answers_400_to_json_nested_deeper_than_the_decoder_recurses(
    starter: RecordingStarter, depth: int
) -> None:
    deep = "[" * depth + "]" * depth

    slack_status, _ = _call(SlackSender(SIGNING_SECRET).signed(deep))
    telegram_status, _ = _call(_telegram_raw(deep))

    assert (slack_status, telegram_status) == (400, 400)
    assert starter.started == []


def test_webhook_answers_a_telegram_sticker_with_its_emoji_as_the_text(starter: RecordingStarter) -> None:
    update = _fixture("telegram", "private_text")
    update["message"].pop("text")
    update["message"]["sticker"] = {"file_id": "CAAC", "file_unique_id": "u", "type": "regular", "emoji": "😂"}

    status, _ = _call(_telegram(update))

    assert status == 200
    assert _started_message(starter).text == "[sticker 😂]"


def test_webhook_ignores_a_telegram_location_without_text(starter: RecordingStarter) -> None:
    update = _fixture("telegram", "private_text")
    update["message"].pop("text")
    update["message"]["location"] = {"latitude": 52.52, "longitude": 13.40}

    status, answer = _call(_telegram(update))

    assert (status, answer) == (200, {"ignored": "no text or media: location"})
    assert starter.started == []


def _telegram_raw(body: str) -> dict[str, Any]:
    headers = {"content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET}
    return api_gateway_event("POST", "/telegram/webhook", headers, body)
