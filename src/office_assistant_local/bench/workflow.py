"""Pre-processing latency: the serial references against the workflow on the local engine, with injected latency.

All runs call the same branch functions (`functions/*/handler.py` `handle`) on the same services. The adapters
underneath are the embedded ones (SQLite store, DynamoDB state table on moto) plus a hashing embedder and a
fixed classifier, so what the Route step costs is the injected draw, not a model. Respond only records its input:
the model call is not pre-processing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from office_assistant.workflow.tasks import TASKS
from office_assistant_local.bench.conversations import (
    ConversationShape,
    seed_conversations,
    serial_context,
    workflow_input,
)
from office_assistant_local.bench.latency import DelayedEmbedder, DelayedStateTable, DelayedStore, LatencyPlan
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import numpy.typing as npt

    from office_assistant.domain.messages import InboundMessage
    from office_assistant_local.bench.latency import Draws, LatencyProfile
    from office_assistant_local.engine.execution import ExecutionResult

DIMENSIONS = 384


class HashingEmbedder:
    """Bag-of-words vectors of the store's dimension: no model, so the Route step costs only its draw."""

    dimensions = DIMENSIONS

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for word in text.lower().split():
                row[zlib.crc32(word.encode()) % self.dimensions] += 1.0
            norm = float(np.linalg.norm(row))
            row[:] = row / norm if norm else row
        return rows


class DefaultRouteClassifier:
    """Always 'no match': every message takes the default route (history, relevance and mute, no ERP)."""

    def classify(self, embedding: Sequence[float]) -> tuple[str | None, float | None]:
        return None, None


class MemoryStateTable:
    """An in-process StateTable for the zero-latency overhead run: what is left is the orchestration itself."""

    def __init__(self) -> None:
        self.muted: set[str] = set()
        self.claims: set[str] = set()

    def is_muted(self, chat_key: str) -> bool:
        return chat_key in self.muted

    def set_muted(self, chat_key: str, muted: bool) -> None:
        (self.muted.add if muted else self.muted.discard)(chat_key)

    def claim(self, key: str, ttl_seconds: int) -> bool:
        if key in self.claims:
            return False
        self.claims.add(key)
        return True

    def release(self, key: str) -> None:
        self.claims.discard(key)


@dataclass
class Corpus:
    messages: list[InboundMessage]
    draws: dict[str, Draws]  # message id -> draws
    plan: LatencyPlan = field(default_factory=LatencyPlan)


def bench_container(data_dir: Path, aws_endpoint_url: str | None, plan: LatencyPlan) -> Container:
    """A Container on embedded adapters, each latency-bearing port wrapped by the plan's delays.

    With `aws_endpoint_url` the state table is DynamoDB on that (moto) server; without, it is in-process.
    """
    from office_assistant.adapters.message_store.sqlite import SqliteMessageStore

    settings = Settings(data_dir=data_dir, aws_endpoint_url=aws_endpoint_url)
    state: Any = MemoryStateTable()
    if aws_endpoint_url:
        from office_assistant.adapters.aws_clients import endpoint_client
        from office_assistant.adapters.state_table.dynamodb import DynamoDbStateTable
        from office_assistant_local.aws import prepare_local_resources

        prepare_local_resources(settings)
        client = endpoint_client("dynamodb", aws_endpoint_url)
        state = DynamoDbStateTable(settings.state_table, boto3_client=client)
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
    return Container(
        settings,
        store=DelayedStore(SqliteMessageStore(settings.sqlite_file), plan),
        state_table=DelayedStateTable(state, plan),
        embedder=DelayedEmbedder(HashingEmbedder(), plan),
        classifier=DefaultRouteClassifier(),
        erp=None,
        media_fetchers={},
        transcriber=None,
    )


def seed_corpus(container: Container, profile: LatencyProfile, count: int, first_chat: int = 1) -> Corpus:
    """`count` chats with a random past (0-24 messages) each, and one new message per chat with its draws."""
    shape = ConversationShape(max_turns=24, first_event_id=800_000)
    messages = seed_conversations(container, profile.seed, count, shape, first_chat)
    draws = profile.draws([m.message_id for m in messages])
    corpus = Corpus(messages, draws)
    for message in messages:
        corpus.plan.add(message.conversation_key, message.text, draws[message.message_id])
    return corpus


def run_serial(container: Container, message: InboundMessage) -> float:
    """ms until Respond would start when the branches run one after another (`conversations.serial_context`)."""
    return serial_context(container, message)[1]


class RespondRecorder:
    """The Respond task during the benchmark: keeps its last input (the RSS probe replays it) and replies nothing."""

    def __init__(self) -> None:
        self.last_event: dict[str, Any] | None = None

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.last_event = event
        return {"replied": False, "outcome": "recorded", "route": "n/a"}


def _bound(handle: Any, service: Any) -> Any:
    def invoke(event: dict[str, Any], context: Any) -> Any:
        return handle(event, service)

    return invoke


def workflow_handlers(container: Container, respond: RespondRecorder) -> dict[str, Any]:
    """The pre-processing tasks' `handle` bound to the container's services (as `wiring.handlers_for`); Respond
    is the recorder, so no chat model or platform is built."""
    handlers: dict[str, Any] = {
        task.name: _bound(handler_module(task).handle, getattr(container, task.name))
        for task in TASKS
        if task.name != "respond"
    }
    return handlers | {"respond": respond}


def run_workflow(handlers: dict[str, Any], message: InboundMessage) -> ExecutionResult:
    from office_assistant.workflow.definition import load_local
    from office_assistant_local.engine import run_state_machine

    result = run_state_machine(load_local(), handlers, workflow_input(message))
    if result.status != "SUCCEEDED":
        raise RuntimeError(f"bench execution failed: {result.error}: {result.cause}")
    return result


def preprocessing_ms(result: ExecutionResult) -> float:
    """First state entered (the HasMedia choice) → Respond StateEntered, from the execution history (ms precision):
    Prepare and Route included for a message with media."""
    respond = result.state("Respond")
    if not result.states or respond is None:
        raise RuntimeError("execution has no states or no Respond state")
    return (respond.started_at - result.states[0].started_at).total_seconds() * 1000


def execution_ms(result: ExecutionResult) -> float:
    return (result.stopped_at - result.started_at).total_seconds() * 1000
