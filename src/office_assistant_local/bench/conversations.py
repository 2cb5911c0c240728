"""The seeded conversations and the serial reference that the benchmark and the parity test share.

`seed_conversations` stores a random past per chat and returns each chat's next, unanswered message;
`serial_context` runs the pre-processing branch functions one after another in one process, as the legacy Lambda
did, and says what they gathered and how long that took. The benchmark times it (with the legacy's own query
count injected, see `bench/latency.py`); the parity test compares what it gathered with the workflow's.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from office_assistant.domain.messages import InboundMessage, Platform, Role, StoredMessage
from office_assistant.workflow.payloads import GatherContextOutput, WorkflowInput
from office_assistant.workflow.tasks import TASKS
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from office_assistant.bootstrap import Container

TOPICS = (
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
)
ANSWERS = ("Noted.", "Sure, here it is.", "I have added that.", "Done, anything else?", "Good question.")
PRE_PROCESSING = ("history", "relevance", "auxiliary")  # the branches, in the legacy's order after the route


@dataclass(frozen=True)
class ConversationShape:
    """How the seeded chats look: up to `max_turns` past messages, a `muted_share` of the chats muted."""

    max_turns: int = 14
    muted_share: float = 0.0
    first_event_id: int = 900_000


def seed_conversations(
    container: Container, seed: int, count: int, shape: ConversationShape = ConversationShape(), first_chat: int = 1
) -> list[InboundMessage]:
    """`count` Telegram chats with a seeded random past each; the next message of every chat, in chat order."""
    rng = random.Random(seed)
    messages = []
    for chat in range(first_chat, first_chat + count):
        chat_key = f"telegram:{chat}"
        past = [
            StoredMessage(
                chat_key,
                f"{chat}-{turn}",
                Role.USER if turn % 2 == 0 else Role.ASSISTANT,
                rng.choice(TOPICS) if turn % 2 == 0 else rng.choice(ANSWERS),
                1_700_000_000.0 + turn,
                "Ana",
            )
            for turn in range(rng.randint(0, shape.max_turns))
        ]
        if past:
            vectors = container.embedder.embed([m.text for m in past])
            for stored, vector in zip(past, vectors, strict=True):
                container.store.add(stored, vector.tolist())
        if shape.muted_share and rng.random() < shape.muted_share:
            container.state_table.set_muted(chat_key, True)
        messages.append(
            InboundMessage(
                platform=Platform.TELEGRAM,
                event_id=str(shape.first_event_id + chat),
                message_id=f"{chat}-new",
                chat_id=str(chat),
                user_id="7",
                user_name="Ana",
                text=f"message {chat}: {rng.choice(TOPICS)}",
                ts=1_700_000_100.0,
            )
        )
    return messages


def workflow_input(message: InboundMessage) -> dict[str, Any]:
    """The execution input the webhook would start the workflow with."""
    return WorkflowInput(message=message).model_dump(mode="json")


def serial_context(container: Container, message: InboundMessage) -> tuple[GatherContextOutput, float]:
    """The serial reference: route, then history, relevance and auxiliary one after another, in one process.

    Returns what was gathered and the wall time (ms) until Respond would start.
    """
    modules = {task.name: handler_module(task) for task in TASKS}
    payload = workflow_input(message)
    started = time.perf_counter()
    routed = modules["route"].handle(payload, container.route)
    gathered = {name: modules[name].handle(routed, getattr(container, name)) for name in PRE_PROCESSING}
    elapsed_ms = (time.perf_counter() - started) * 1000
    return GatherContextOutput.model_validate(gathered), elapsed_ms
