"""Parity: the context the parallel workflow gathers equals the one the legacy serial order gathers.

Over 30+ seeded conversations, the real ASL runs Route → (History | Relevance | Auxiliary) on the local engine,
and the same branch functions are then called one after another in one process, as the legacy Lambda did. The
conversations and that serial reference are the benchmark's (`office_assistant_local.bench.conversations`). The
Respond step only records its input, so both runs read the same store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.workflow.definition import load_local
from office_assistant.workflow.payloads import RespondInput
from office_assistant_local.bench.conversations import (
    ConversationShape,
    seed_conversations,
    serial_context,
    workflow_input,
)
from office_assistant_local.engine import run_state_machine
from office_assistant_local.wiring import handlers_for

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage
    from office_assistant_local.environment import LocalEnvironment

CONVERSATIONS = 32


@pytest.fixture
def conversations(env: LocalEnvironment) -> list[InboundMessage]:
    shape = ConversationShape(max_turns=14, muted_share=0.3)
    return seed_conversations(env.container, 20261129, CONVERSATIONS, shape)


def test_parallel_workflow_gathers_the_same_context_as_the_serial_order(
    env: LocalEnvironment, conversations: list[InboundMessage]
) -> None:
    captured: list[RespondInput] = []

    def capture(event: dict[str, Any], context: Any) -> dict[str, Any]:
        captured.append(RespondInput.model_validate(event))
        return {"replied": False, "outcome": "captured", "route": "n/a"}

    handlers = handlers_for(env.container) | {"respond": capture}
    mismatches = []
    for message in conversations:
        result = run_state_machine(load_local(), handlers, workflow_input(message))
        assert result.status == "SUCCEEDED", (result.error, result.cause)
        parallel = captured[-1].context
        serial, _ = serial_context(env.container, message)
        if parallel != serial:
            mismatches.append(message.chat_id)

    assert len(captured) == CONVERSATIONS >= 30
    assert mismatches == []
    gathered = [c.context for c in captured]
    assert not any(c.degraded_branches() for c in gathered)
    assert sum(bool(c.history.window.verbatim) for c in gathered) >= CONVERSATIONS // 2, "the corpus exercises history"
    assert sum(bool(c.relevance.relevant.messages) for c in gathered) >= CONVERSATIONS // 2, "and relevance"
    assert any(c.auxiliary.findings.muted for c in gathered), "and mute"
