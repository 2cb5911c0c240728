"""Respond step: answer the message with the context the parallel branches gathered."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, deadline, observability, snapstart
from office_assistant.workflow.payloads import Preparation, RespondInput, RespondOutput, ToolCallReport

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.claim_check import ClaimChecks
    from office_assistant.services.respond import RespondService

logger = Logger(service="respond")
tracer = observability.tracer("respond")
RESERVE_S = 15.0  # of the Lambda's time, kept to post the answer and store it after the last model call


def handle(event: dict[str, Any], respond: RespondService, claims: ClaimChecks | None = None) -> dict[str, Any]:
    started_at = time.time()
    step = RespondInput.model_validate(event)
    observability.correlate(logger, step.message)
    message = claims.message(step) if claims else step.message
    context = claims.gathered(step.context) if claims else step.context
    prepared = step.preparation is Preparation.DONE
    response = respond.respond(
        message, step.route_name, step.embedding, context.gathered(), step.notes_for_model, prepared
    )
    degraded = context.degraded_branches()
    if degraded:
        logger.warning("answered with degraded context", extra={"degraded_branches": degraded})
    tokens = response.prompt_tokens + response.completion_tokens
    observability.record_reply(response.route, degraded, tokens, step.message.ts, started_at)
    return RespondOutput(
        replied=response.replied,
        outcome=response.outcome,
        route=response.route,
        reply_text=response.reply_text,
        reply_message_id=response.reply_message_id,
        degraded_branches=degraded,
        relevant_message_ids=[m.message_id for m in context.relevance.relevant.messages],
        tool_calls=[ToolCallReport.model_validate(call, from_attributes=True) for call in response.tool_calls],
    ).model_dump(mode="json")


@observability.entry_point(logger, tracer)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    services = bootstrap.services()
    services.exactly_once.register_lambda_context(context)
    # Each model call gets at most the time this invocation has left (office_assistant.deadline), one attempt.
    with deadline.invocation_deadline(context.get_remaining_time_in_millis() / 1000, RESERVE_S):
        return handle(event, services.respond, services.claim_checks)


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("respond", RespondInput, RespondOutput)
