"""Webhook ack: the real ingest handler on signed Slack deliveries, from request to 200.

Measured per request: Powertools routing, signature verification, parsing, the dedupe claim on the DynamoDB
state table (moto server on loopback) and the start call, which a recorder answers (no execution runs).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from office_assistant import bootstrap
from office_assistant.bootstrap import Container
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.bench.probe import RecordingStarter
from office_assistant_local.bench.stats import summary
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from office_assistant.settings import Settings


def ack_bench(settings: Settings, requests: int) -> dict[str, Any]:
    ingest = handler_module(WEBHOOK)
    starter = RecordingStarter()
    bootstrap.configure(Container(settings, starter=starter))
    sender = SlackSender(settings.slack_signing_secret)
    context = LocalLambdaContext("ingest")
    took: list[float] = []
    try:
        for n in range(requests + 5):
            event, _ts = sender.message_event(
                "C0BENCH", "U0ANA", f"<@{settings.slack_bot_user_id}> hi {n}", mention=True
            )
            started = time.perf_counter()
            response = ingest.lambda_handler(event, context)
            elapsed = (time.perf_counter() - started) * 1000
            if response["statusCode"] != 200:
                raise RuntimeError(f"webhook answered {response}")
            if n >= 5:  # the first few build the clients: that is cold start, not ack
                took.append(elapsed)
    finally:
        bootstrap.reset()
    return {"requests": requests, "started": len(starter.started), "dedupe": "DynamoDB on moto server"} | summary(
        took, 50, 99
    )
