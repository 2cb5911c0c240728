"""Relevance step: the chat's past messages most similar to this one, reusing Route's embedding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from office_assistant import bootstrap, observability, snapstart
from office_assistant.workflow.payloads import RelevanceOutput, RouteOutput

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.services.claim_check import ClaimChecks
    from office_assistant.services.relevance import RelevanceService

logger = Logger(service="relevance")
# Weaviate is not botocore; the one AWS call, the Weaviate secret once per container, is not worth the ~0.1 s
# that instrumenting botocore adds to every cold start.
tracer = observability.tracer("relevance", patch_modules=())


@observability.timed_branch("Relevance")
def handle(event: dict[str, Any], relevance: RelevanceService, claims: ClaimChecks | None = None) -> dict[str, Any]:
    step = RouteOutput.model_validate(event)
    found = relevance.relevant(step.message.conversation_key, step.route_name, step.embedding, step.message.message_id)
    output = RelevanceOutput(relevant=found)
    return (claims.branch(output, step.message, "relevance") if claims else output).model_dump(mode="json")


@observability.entry_point(logger, tracer)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    services = bootstrap.services()
    return handle(event, services.relevance, services.claim_checks)


# In Lambda only: build the service during init, so a cold start (or a SnapStart snapshot) holds it.
snapstart.prepare("relevance", RouteOutput, RelevanceOutput)
