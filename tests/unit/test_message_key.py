"""MessageKey: every per-message key (dedupe, execution, idempotency, correlation, reply) from one place."""

from __future__ import annotations

from dataclasses import replace

import jmespath

from office_assistant.domain.messages import CORRELATION_ID_PATH, MessageKey, Platform
from office_assistant.workflow.payloads import WorkflowInput
from tests.builders import a_message


def test_message_key_is_the_same_for_two_deliveries_of_one_message() -> None:
    first = a_message("hi", chat_id="C1")
    retry = replace(first, event_id="Ev-retry", text="hi (edited)")

    assert first.key == retry.key
    assert first.key.dedupe_key == retry.key.dedupe_key
    assert first.key.execution_name == retry.key.execution_name


def test_message_key_tells_platforms_apart_for_the_same_chat_and_message_ids() -> None:
    slack = MessageKey(Platform.SLACK, "42", "7")
    telegram = MessageKey(Platform.TELEGRAM, "42", "7")

    assert slack.dedupe_key != telegram.dedupe_key
    assert slack.execution_name != telegram.execution_name
    assert slack.idempotency_key != telegram.idempotency_key
    assert slack.correlation_id != telegram.correlation_id


def test_message_key_yields_each_key_in_its_documented_form() -> None:
    key = MessageKey(Platform.SLACK, "C1", "1700000000.000100")

    assert key.conversation_key == "slack:C1"
    assert key.dedupe_key == "message#slack:C1#1700000000.000100"
    assert key.idempotency_key == {"platform": "slack", "chat": "C1", "message_id": "1700000000.000100"}
    assert key.correlation_id == "slack:C1:1700000000.000100"
    assert key.reply_message_id == "reply-to:1700000000.000100"
    assert key.execution_name.startswith("slack-") and len(key.execution_name) <= 80


def test_correlation_id_path_finds_the_keys_correlation_id_in_a_step_input() -> None:
    message = a_message("hi", chat_id="C/odd chat")
    payload = WorkflowInput(message=message).model_dump(mode="json")

    assert jmespath.search(CORRELATION_ID_PATH, payload) == message.key.correlation_id


def test_correlation_id_path_still_finds_an_id_in_a_malformed_step_input() -> None:
    assert jmespath.search(CORRELATION_ID_PATH, {"message": "hello"}) == "null:null:null"
    assert jmespath.search(CORRELATION_ID_PATH, {}) == "null:null:null"
