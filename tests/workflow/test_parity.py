"""Parity: the context the parallel workflow gathers equals the one the legacy serial order gathers.

Over 30+ seeded conversations, the real ASL runs Route → (History | Relevance | Auxiliary) on the local engine,
and the same branch functions are then called one after another in one process, as the legacy Lambda did. The
Respond step only records its input, so both runs read the same store.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.domain.messages import InboundMessage, Platform, Role, StoredMessage
from office_assistant.workflow.definition import load_local
from office_assistant.workflow.payloads import GatherContextOutput, RespondInput, WorkflowInput
from office_assistant.workflow.tasks import TASKS
from office_assistant_local.engine import run_state_machine
from office_assistant_local.wiring import handler_module, handlers_for

if TYPE_CHECKING:
    from office_assistant_local.environment import LocalEnvironment

CONVERSATIONS = 32
TOPICS = [
    "the quarterly budget review is moved to Thursday",
    "our customer Acme ordered 40 more chairs",
    "the printer on the second floor is jammed again",
    "please draft a welcome email for the new intern",
    "how far is the airport from the office by train",
    "what is 15 percent of 2400 euros",
    "the project codename is Bluebird",
    "lunch today is pizza in the kitchen",
    "can you find the latest invoice for Globex in Odoo",
    "remind me to call the landlord about the heating",
    "write a short poem about Mondays",
    "the offsite will be in Lisbon in May",
]
ANSWERS = ["Noted.", "Sure, here it is.", "I have added that.", "Done, anything else?", "Good question."]


def _seed(env: LocalEnvironment, rng: random.Random, chat: int) -> InboundMessage:
    """Store a random past conversation in chat `chat` and return its next, unanswered message."""
    chat_key = f"telegram:{chat}"
    past: list[StoredMessage] = []
    for turn in range(rng.randint(0, 14)):
        text = rng.choice(TOPICS) if turn % 2 == 0 else rng.choice(ANSWERS)
        role = Role.USER if turn % 2 == 0 else Role.ASSISTANT
        past.append(StoredMessage(chat_key, f"{chat}-{turn}", role, text, 1_700_000_000.0 + turn, "Ana"))
    if past:
        vectors = env.container.embedder.embed([m.text for m in past])
        for message, vector in zip(past, vectors, strict=True):
            env.container.store.add(message, vector.tolist())
    if rng.random() < 0.3:
        env.container.state_table.set_muted(chat_key, True)
    return InboundMessage(
        platform=Platform.TELEGRAM,
        event_id=str(900_000 + chat),
        message_id=f"{chat}-new",
        chat_id=str(chat),
        user_id="7",
        user_name="Ana",
        text=rng.choice(TOPICS),
        ts=1_700_000_100.0,
    )


def _serial_context(env: LocalEnvironment, payload: dict[str, Any]) -> GatherContextOutput:
    """The legacy order: route, then history, then relevance, then auxiliary, one after another."""
    modules = {task.name: handler_module(task) for task in TASKS}
    routed = modules["route"].handle(payload, env.container.route)
    return GatherContextOutput.model_validate(
        {
            "history": modules["history"].handle(routed, env.container.history),
            "relevance": modules["relevance"].handle(routed, env.container.relevance),
            "auxiliary": modules["auxiliary"].handle(routed, env.container.auxiliary),
        }
    )


@pytest.fixture
def conversations(env: LocalEnvironment) -> list[InboundMessage]:
    rng = random.Random(20261129)
    return [_seed(env, rng, chat) for chat in range(1, CONVERSATIONS + 1)]


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
        payload = WorkflowInput(message=message).model_dump(mode="json")
        result = run_state_machine(load_local(), handlers, payload)
        assert result.status == "SUCCEEDED", (result.error, result.cause)
        parallel = captured[-1].context
        serial = _serial_context(env, payload)
        if parallel != serial:
            mismatches.append(message.chat_id)

    assert len(captured) == CONVERSATIONS >= 30
    assert mismatches == []
    gathered = [c.context for c in captured]
    assert not any(c.degraded_branches() for c in gathered)
    assert sum(bool(c.history.window.verbatim) for c in gathered) >= CONVERSATIONS // 2, "the corpus exercises history"
    assert sum(bool(c.relevance.relevant.messages) for c in gathered) >= CONVERSATIONS // 2, "and relevance"
    assert any(c.auxiliary.findings.muted for c in gathered), "and mute"
