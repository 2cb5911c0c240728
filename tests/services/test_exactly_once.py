"""Respond once per message: the Powertools ExactlyOnce adapter on the (moto) state table, in the respond service."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.exactly_once import PowertoolsExactlyOnce
from office_assistant.adapters.state_table import ensure_table
from office_assistant.domain.context import AuxiliaryFindings, GatheredContext, HistoryWindow, RelevantMessages
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Role
from office_assistant.ports import Platforms
from office_assistant.services.respond import RespondService
from office_assistant_local.commands.faults import FlakyPlatform
from tests.builders import a_message, a_route_book
from tests.fakes import (
    FirstSentencesSummarizer,
    HashingEmbedder,
    InMemoryMessageStore,
    RecordingChatModel,
    RecordingPlatform,
)

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage

pytestmark = pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time left")

GATHERED = GatheredContext(HistoryWindow(), RelevantMessages(), AuxiliaryFindings())


class BlockingChatModel(RecordingChatModel):
    """Holds the first call until released, so a second call meets an in-progress record."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def complete(self, messages: list[dict[str, Any]], model: str, temperature: float, max_tokens: int) -> Any:
        self.entered.set()
        self.release.wait(10)
        return super().complete(messages, model, temperature, max_tokens)


@pytest.fixture
def table(local_aws: str) -> tuple[str, Any]:
    client = endpoint_client("dynamodb", local_aws)
    name = f"state-{uuid.uuid4().hex}"
    ensure_table(client, name)
    return name, client


def _once(table: tuple[str, Any], platform: Any = None, model: Any = None) -> tuple[RespondService, Any, Any]:
    store = InMemoryMessageStore()
    platform = platform or RecordingPlatform()
    name, client = table
    service = RespondService(
        store,
        HashingEmbedder(),
        model or RecordingChatModel(),
        Platforms({"slack": platform, "telegram": platform}),
        FirstSentencesSummarizer(),
        a_route_book(),
        once=PowertoolsExactlyOnce(name, boto3_client=client),
    )
    return service, store, platform


def _stored(store: InMemoryMessageStore, message: InboundMessage) -> list[Role]:
    return [m.role for m in store.latest(message.conversation_key, 10)]


def test_exactly_once_posts_one_reply_when_respond_runs_twice_for_a_message(table: tuple[str, Any]) -> None:
    once, store, platform = _once(table)
    message = a_message("hello there")

    first = once.respond(message, "chat", None, GATHERED)
    second = once.respond(message, "chat", None, GATHERED)

    assert second == first
    assert len(platform.posts) == 1
    assert _stored(store, message) == [Role.USER, Role.ASSISTANT]


def test_exactly_once_answers_two_messages_with_different_ids(table: tuple[str, Any]) -> None:
    once, _, platform = _once(table)
    message = a_message("hello there")

    once.respond(message, "chat", None, GATHERED)
    once.respond(replace(message, message_id=message.message_id + "-2"), "chat", None, GATHERED)

    assert len(platform.posts) == 2


def test_exactly_once_lets_a_retry_answer_when_the_post_failed(table: tuple[str, Any]) -> None:
    recording = RecordingPlatform()
    once, store, _ = _once(table, platform=FlakyPlatform(recording, 1))
    message = a_message("hello there")

    with pytest.raises(PlatformPostError):
        once.respond(message, "chat", None, GATHERED)
    assert _stored(store, message) == [Role.USER], "the user's message is kept even though the post failed"
    once.respond(message, "chat", None, GATHERED)

    assert len(recording.posts) == 1
    assert _stored(store, message) == [Role.USER, Role.ASSISTANT]


def test_exactly_once_refuses_a_duplicate_while_the_first_is_in_progress(table: tuple[str, Any]) -> None:
    model = BlockingChatModel()
    once, _, platform = _once(table, model=model)
    message = a_message("hello there")

    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(once.respond, message, "chat", None, GATHERED)
        assert model.entered.wait(10)
        with pytest.raises(IdempotencyAlreadyInProgressError):
            once.respond(message, "chat", None, GATHERED)
        model.release.set()
        first.result()

    assert len(platform.posts) == 1
