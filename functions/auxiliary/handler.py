"""Auxiliary step: mute state, and the ERP's model map on routes that need it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, observability, snapstart
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


@observability.entry_point(logger, tracer)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    services = bootstrap.services()
    return handle(event, services.auxiliary, services.claim_checks)


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("auxiliary", RouteOutput, AuxiliaryOutput)
