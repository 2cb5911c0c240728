"""Intake: drop duplicate deliveries, then start one workflow execution per new message."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from office_assistant.workflow.payloads import WorkflowInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import StateTable, WorkflowStarter
    from office_assistant.services.claim_check import ClaimChecks

logger = logging.getLogger(__name__)

DEDUPE_TTL_S = 48 * 3600  # Slack retries for minutes, Telegram for up to 24 h


@dataclass(frozen=True)
class Accepted:
    execution_id: str


@dataclass(frozen=True)
class Duplicate:
    key: str


class IntakeService:
    """`claims` given: a large message, or one whose chat is redacted (`private`), starts the workflow by reference."""

    def __init__(
        self,
        state: StateTable,
        starter: WorkflowStarter,
        dedupe_ttl_s: int = DEDUPE_TTL_S,
        claims: ClaimChecks | None = None,
        private: Callable[[InboundMessage], bool] = lambda message: False,
    ) -> None:
        self.state = state
        self.starter = starter
        self.dedupe_ttl_s = dedupe_ttl_s
        self.claims = claims
        self.private = private

    def accept(self, message: InboundMessage) -> Accepted | Duplicate:
        """Start the workflow for a message seen for the first time.

        The claim is on the message, not the delivery: a Slack retry and the same message delivered both as
        `message` and `app_mention` share it, so each message is answered once. If the execution cannot be
        started, the claim is released so the platform's retry gets through.
        """
        key = message.key.dedupe_key
        if not self.state.claim(key, self.dedupe_ttl_s):
            return Duplicate(key)
        try:
            step = (
                self.claims.workflow_input(message, self.private(message))
                if self.claims is not None
                else WorkflowInput(message=message)
            )
            execution_id = self.starter.start(message.key.execution_name, step.model_dump(mode="json"))
        except Exception:
            self.state.release(key)
            raise
        return Accepted(execution_id)
