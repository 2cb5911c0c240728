"""Webhook entry point: API Gateway HTTP API → verify, dedupe, start the workflow, answer 200 fast."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from office_assistant import bootstrap, observability, snapstart
from office_assistant.adapters.http_edge.webhook import UNDECODABLE, decode_body

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.adapters.http_edge.webhook import WebhookReply

logger = Logger(service="webhook")
tracer = observability.tracer("webhook")
app = APIGatewayHttpResolver()


def _respond(reply: WebhookReply) -> Response[str]:
    return Response(status_code=reply.status, content_type="application/json", body=json.dumps(reply.body))


def _body() -> str | None:
    event = app.current_event
    return decode_body(event.body, event.is_base64_encoded)


@app.post("/slack/events")
def slack_events() -> Response[str]:
    body = _body()
    if body is None:
        return _respond(UNDECODABLE)
    return _respond(bootstrap.services().webhook.slack(body, app.current_event.headers))


@app.post("/telegram/webhook")
def telegram_webhook() -> Response[str]:
    body = _body()
    if body is None:
        return _respond(UNDECODABLE)
    return _respond(bootstrap.services().webhook.telegram(body, app.current_event.headers))


@observability.entry_point(logger, tracer, correlation_id_path=None)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    started = time.perf_counter()
    response = app.resolve(event, context)
    observability.record_ack(started)
    return response


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("webhook")
