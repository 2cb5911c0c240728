"""Deliveries through the real webhook handler for the workflow tests, each followed to its execution's end."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from office_assistant.adapters.http_edge.webhook import TELEGRAM_SECRET_HEADER
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import TELEGRAM_SECRET_TOKEN
from office_assistant_local.http_events import api_gateway_event
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment


def deliver(env: LocalEnvironment, event: dict[str, Any]) -> ExecutionResult:
    """The webhook answers 200 and the execution it started succeeds; its result."""
    response = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))
    assert response["statusCode"] == 200, response
    result = env.starter.wait(env.starter.started[-1])
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result


def deliver_telegram(
    env: LocalEnvironment, update_id: int, sender: dict[str, Any], chat: dict[str, Any], message: dict[str, Any]
) -> ExecutionResult:
    """A Telegram update carrying `message` from `sender` in `chat`, with the webhook's secret token."""
    fields = {"message_id": update_id, "from": sender, "chat": chat, "date": 1718000000, **message}
    headers = {"content-type": "application/json", TELEGRAM_SECRET_HEADER: TELEGRAM_SECRET_TOKEN}
    body = json.dumps({"update_id": update_id, "message": fields})
    return deliver(env, api_gateway_event("POST", "/telegram/webhook", headers, body))
