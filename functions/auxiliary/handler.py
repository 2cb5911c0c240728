"""Auxiliary step: mute state, and the ERP's model map on routes that need it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, observability, snapstart
from office_assistant.workflow.payloads import AuxiliaryOutput, RouteOutput

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.auxiliary import AuxiliaryService

logger = Logger(service="auxiliary")
tracer = observability.tracer("auxiliary")


@observability.timed_branch("Auxiliary")
def handle(event: dict[str, Any], auxiliary: AuxiliaryService) -> dict[str, Any]:
    step = RouteOutput.model_validate(event)
    findings = auxiliary.findings(step.message.conversation_key, step.route_name)
    return AuxiliaryOutput(findings=findings).model_dump(mode="json")


@observability.entry_point(logger, tracer)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle(event, bootstrap.services().auxiliary)


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("auxiliary", RouteOutput, AuxiliaryOutput)
