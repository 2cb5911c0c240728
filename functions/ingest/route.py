"""Prepare and Route states: work in the message's media, pick its route and embed it once for the rest of the
workflow. One function for both (no second cold start); the Prepare state's Parameters say `stage: prepare`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, deadline, observability, snapstart
from office_assistant.workflow.payloads import (
    Preparation,
    PrepareOutput,
    RouteDecision,
    RouteInput,
    RouteOutput,
    Stage,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.claim_check import ClaimChecks
    from office_assistant.services.routing import RoutingService

logger = Logger(service="route")
RESERVE_S = 1.0  # of the Lambda's time, kept to build and return the output after the last outside call
tracer = observability.tracer("route")


def handle(event: dict[str, Any], routing: RoutingService, claims: ClaimChecks | None = None) -> dict[str, Any]:
    step = RouteInput.model_validate(event)
    message = claims.message(step) if claims else step.message
    output: PrepareOutput | RouteOutput
    if step.stage is Stage.PREPARE:
        prepared = routing.prepare(message)
        output = PrepareOutput(
            message=prepared.message,
            has_media=step.has_media,
            preparation=Preparation.DONE,
            notes=[*step.notes, *prepared.notes],
        )
    else:
        routed = routing.route(message, step.preparation)
        output = RouteOutput(
            message=routed.message or message,
            has_media=step.has_media,
            preparation=Preparation.DONE,
            notes=[*step.notes, *routed.notes],
            route=RouteDecision(name=routed.route.name, matched=routed.matched, confidence=routed.confidence),
            embedding=list(routed.embedding) if routed.embedding is not None else None,
        )
    return (claims.prepared(output) if claims else output).model_dump(mode="json")


@observability.entry_point(logger, tracer)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Downloads, Whisper and the embedding get at most the time this invocation has left (office_assistant.deadline).
    with deadline.invocation_deadline(context.get_remaining_time_in_millis() / 1000, RESERVE_S):
        services = bootstrap.services()
        return handle(event, services.route, services.claim_checks)


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("route", RouteInput, PrepareOutput, RouteDecision, RouteOutput)
