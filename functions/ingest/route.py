"""Route state: work in the message's media, pick its route and embed it once for the rest of the workflow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, observability
from office_assistant.workflow.payloads import RouteDecision, RouteOutput, WorkflowInput

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.claim_check import ClaimChecks
    from office_assistant.services.routing import RoutingService

logger = Logger(service="route")
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


@logger.inject_lambda_context(correlation_id_path=observability.CORRELATION_ID_PATH)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    services = bootstrap.services()
    output = handle(event, services.route, services.claim_checks)
    observability.annotate_trace(tracer, logger.get_correlation_id(), observability.route_name(output))
    return output
