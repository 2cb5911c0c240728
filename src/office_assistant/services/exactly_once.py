"""Answer each platform message at most once, however often Step Functions runs Respond for it.

Async Express executions are at-least-once and a Respond Task can be retried: Powertools Idempotency keys the
whole respond call by (platform, chat, message id). A finished call replays its stored Response (no second post,
no second stored copy); a call in progress raises ``IdempotencyAlreadyInProgressError``, which the ASL retries with
backoff, so a duplicate waits for the first instead of racing it; a call that raised leaves no record, so the
ASL's retry answers afresh.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function

from office_assistant.domain.outcome import Outcome
from office_assistant.services.respond import Response

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.domain.context import GatheredContext
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.services.respond import RespondService

logger = logging.getLogger(__name__)

IDEMPOTENCY_TTL_S = 48 * 3600  # as long as the webhook's dedupe claims: longer than any platform re-sends
KEY_PREFIX = "respond"
KEY_FIELDS = "[platform, chat, message_id]"


class ExactlyOnceRespond:
    """`RespondService.respond` behind Powertools Idempotency; same call signature."""

    def __init__(
        self, respond: RespondService, persistence: BasePersistenceLayer, expires_after_seconds: int = IDEMPOTENCY_TTL_S
    ) -> None:
        self.service = respond
        self.config = IdempotencyConfig(
            event_key_jmespath=KEY_FIELDS,
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
        )
        self._once = idempotent_function(
            self._respond,
            data_keyword_argument="key",
            persistence_store=persistence,
            config=self.config,
            key_prefix=KEY_PREFIX,
        )

    def register_lambda_context(self, context: LambdaContext) -> None:
        """Lets an in-progress record expire with the invocation, so a crashed Respond does not block retries."""
        self.config.register_lambda_context(context)

    def respond(
        self,
        message: InboundMessage,
        route_name: str | None,
        embedding: Sequence[float] | None,
        gathered: GatheredContext,
        notes: Sequence[str] = (),
    ) -> Response:
        """Answer `message` once; a repeated call returns the first call's Response without side effects."""
        result: dict[str, Any] = self._once(
            key=message.key.idempotency_key,
            message=message,
            route_name=route_name,
            embedding=embedding,
            gathered=gathered,
            notes=notes,
        )
        return Response(**{**result, "outcome": Outcome(result["outcome"])})

    def _respond(
        self,
        *,
        key: dict[str, str],
        message: InboundMessage,
        route_name: str | None,
        embedding: Sequence[float] | None,
        gathered: GatheredContext,
        notes: Sequence[str],
    ) -> dict[str, Any]:
        logger.debug("responding", extra={"idempotency_key": key})
        return asdict(self.service.respond(message, route_name, embedding, gathered, notes))
