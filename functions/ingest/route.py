"""Route state: work in the message's media, pick its route and embed it once for the rest of the workflow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, deadline, observability, snapstart
from office_assistant.workflow.payloads import RouteDecision, RouteOutput, WorkflowInput

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.claim_check import ClaimChecks
    from office_assistant.services.routing import RoutingService

logger = Logger(service="route")
RESERVE_S = 1.0  # of the Lambda's time, kept to build and return the output after the last outside call
tracer = observability.tracer("route")


def handle(event: dict[str, Any], routing: RoutingService, claims: ClaimChecks | None = None) -> dict[str, Any]:
    step = WorkflowInput.model_validate(event)
    message = claims.message(step) if claims else step.message
    routed = routing.route(message)
    decision = RouteDecision(name=routed.route.name, matched=routed.matched, confidence=routed.confidence)
    output = RouteOutput(
        message=routed.message or message,
        route=decision,
        embedding=list(routed.embedding) if routed.embedding is not None else None,
        notes=list(routed.notes),
    )
    return (claims.route_output(output) if claims else output).model_dump(mode="json")


@observability.entry_point(logger, tracer)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Downloads, Whisper and the embedding get at most the time this invocation has left (office_assistant.deadline).
    with deadline.invocation_deadline(context.get_remaining_time_in_millis() / 1000, RESERVE_S):
        services = bootstrap.services()
        return handle(event, services.route, services.claim_checks)


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("route", WorkflowInput, RouteDecision, RouteOutput)
