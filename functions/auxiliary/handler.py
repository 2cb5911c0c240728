"""Auxiliary step: mute state, and the ERP's model map on routes that need it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, observability
from office_assistant.workflow.payloads import AuxiliaryOutput, RouteOutput

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.auxiliary import AuxiliaryService
    from office_assistant.services.claim_check import ClaimChecks

logger = Logger(service="auxiliary")
tracer = observability.tracer("auxiliary")


@observability.timed_branch("Auxiliary")
def handle(event: dict[str, Any], auxiliary: AuxiliaryService, claims: ClaimChecks | None = None) -> dict[str, Any]:
    step = RouteOutput.model_validate(event)
    findings = auxiliary.findings(step.message.conversation_key, step.route_name)
    output = AuxiliaryOutput(findings=findings)
    return (claims.branch(output, step.message, "auxiliary") if claims else output).model_dump(mode="json")


@logger.inject_lambda_context(correlation_id_path=observability.CORRELATION_ID_PATH)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    observability.annotate_trace(tracer, logger.get_correlation_id(), observability.route_name(event))
    services = bootstrap.services()
    return handle(event, services.auxiliary, services.claim_checks)
