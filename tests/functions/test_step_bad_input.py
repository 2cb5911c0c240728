"""Bad input to each step handler: a malformed event fails with a validation error naming what is wrong, before
anything is stored, posted, claimed or sent to the model (the ASL's Retry/Catch decide what happens next)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import ValidationError

from office_assistant import bootstrap
from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.state_table import DynamoDbStateTable, ensure_table
from office_assistant.bootstrap import Container
from office_assistant.domain.outcome import Outcome
from office_assistant.ports import Platforms
from office_assistant.settings import Settings
from office_assistant.workflow.payloads import (
    AuxiliaryOutput,
    HistoryOutput,
    RelevanceOutput,
    RespondOutput,
    RouteDecision,
    RouteOutput,
)
from office_assistant.workflow.tasks import TASKS
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.wiring import handler_module
from tests.builders import a_message, a_route_book
from tests.fakes import (
    FirstSentencesSummarizer,
    HashingEmbedder,
    InMemoryMediaBucket,
    InMemoryMessageStore,
    RecordingChatModel,
    RecordingPlatform,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

pytestmark = pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time left")


class ChatClassifier:
    def classify(self, embedding: Sequence[float]) -> tuple[str | None, float | None]:
        return "chat", 0.9


class World:
    """The container's fakes, plus the moto table that holds claims, mute flags and idempotency records."""

    def __init__(self, local_aws: str, model: RecordingChatModel | None = None) -> None:
        self.table = f"state-{uuid.uuid4().hex}"
        self.dynamodb = endpoint_client("dynamodb", local_aws)
        ensure_table(self.dynamodb, self.table)
        self.store = InMemoryMessageStore()
        self.platform = RecordingPlatform()
        self.model = model or RecordingChatModel()
        self.bucket = InMemoryMediaBucket()
        settings = Settings(state_table=self.table, aws_endpoint_url=local_aws, aws_region="us-east-1")
        self.container = Container(
            settings,
            route_book=a_route_book(),
            store=self.store,
            embedder=HashingEmbedder(),
            classifier=ChatClassifier(),
            state_table=DynamoDbStateTable(self.table, boto3_client=self.dynamodb),
            media_bucket=self.bucket,
            chat_model=self.model,
            platforms=Platforms({"slack": self.platform, "telegram": self.platform}),
            erp=None,
            summarizer=FirstSentencesSummarizer(),
            media_fetchers={},
            transcriber=None,
            speech=None,
        )

    def written(self) -> dict[str, Any]:
        """Everything a step could have left behind; all empty when it wrote nothing."""
        items = self.dynamodb.scan(TableName=self.table)["Items"]
        return {
            "stored": self.store.count("slack:C1"),
            "posted": self.platform.posts,
            "indicators": self.platform.indicators,
            "model_calls": self.model.calls,
            "images": self.bucket.objects,
            "table_items": items,
        }


NOTHING = {"stored": 0, "posted": [], "indicators": [], "model_calls": [], "images": {}, "table_items": []}


@pytest.fixture
def world(local_aws: str) -> Iterator[World]:
    world = World(local_aws)
    bootstrap.configure(world.container)
    yield world
    bootstrap.reset()


def _handler(name: str) -> Any:
    return handler_module(next(task for task in TASKS if task.name == name)).lambda_handler


def _good_step_input() -> dict[str, Any]:
    message = a_message("please answer me", chat_id="C1", mentions_bot=True)
    return RouteOutput(message=message, route=RouteDecision(name="chat", matched="chat")).model_dump(mode="json")


def _good_respond_input() -> dict[str, Any]:
    empty = {"degraded": False}
    return {**_good_step_input(), "context": {"history": empty, "relevance": empty, "auxiliary": empty}}


def _without(payload: dict[str, Any], *path: str) -> dict[str, Any]:
    """A copy of `payload` without the field at `path`."""
    copy: dict[str, Any] = {**payload}
    inner = copy
    for key in path[:-1]:
        inner[key] = {**inner[key]}
        inner = inner[key]
    del inner[path[-1]]
    return copy


def _with(payload: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    """A copy of `payload` with the field at `path` set to `value`."""
    copy: dict[str, Any] = {**payload}
    inner = copy
    for key in path[:-1]:
        inner[key] = {**inner[key]}
        inner = inner[key]
    inner[path[-1]] = value
    return copy


MESSAGE_CASES = {
    "empty event": ({}, "message"),
    "message is not an object": ({"message": "hello"}, "message"),
    "unknown platform": (_with(_good_step_input(), "irc", "message", "platform"), "platform"),
    "no chat id": (_without(_good_step_input(), "message", "chat_id"), "chat_id"),
    "timestamp is text": (_with(_good_step_input(), "yesterday", "message", "ts"), "ts"),
}
BRANCH_CASES = {
    **MESSAGE_CASES,
    "route without a name": (_with(_good_step_input(), {"matched": None}, "route"), "route.name"),
    "embedding of words": (_with(_good_step_input(), ["a", "b"], "embedding"), "embedding"),
}
RESPOND_CASES = {
    **BRANCH_CASES,
    "no context": (_good_step_input(), "context"),
    "a branch missing": (_without(_good_respond_input(), "context", "relevance"), "relevance"),
    "history of the wrong shape": (
        _with(_good_respond_input(), {"verbatim": "everything"}, "context", "history", "window"),
        "verbatim",
    ),
    "mute flag not a boolean": (
        _with(_good_respond_input(), {"muted": "perhaps"}, "context", "auxiliary", "findings"),
        "muted",
    ),
}


@pytest.mark.parametrize(("event", "field"), MESSAGE_CASES.values(), ids=MESSAGE_CASES.keys())
def test_route_rejects_a_malformed_event_with_a_validation_error_and_writes_nothing(
    world: World, event: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        _handler("route")(event, LocalLambdaContext("route"))

    assert field in str(raised.value)
    assert world.written() == NOTHING


@pytest.mark.parametrize("step", ["history", "relevance", "auxiliary"])
@pytest.mark.parametrize(("event", "field"), BRANCH_CASES.values(), ids=BRANCH_CASES.keys())
def test_a_branch_rejects_a_malformed_event_with_a_validation_error_and_writes_nothing(
    world: World, step: str, event: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        _handler(step)(event, LocalLambdaContext(step))

    assert field in str(raised.value)
    assert world.written() == NOTHING


@pytest.mark.parametrize(("event", "field"), RESPOND_CASES.values(), ids=RESPOND_CASES.keys())
def test_respond_rejects_a_malformed_event_with_a_validation_error_and_writes_nothing(
    world: World, event: dict[str, Any], field: str
) -> None:
    if "context" not in event and field != "context":
        event = {**event, "context": _good_respond_input()["context"]}

    with pytest.raises(ValidationError) as raised:
        _handler("respond")(event, LocalLambdaContext("respond"))

    assert field in str(raised.value)
    assert world.written() == NOTHING


@pytest.mark.parametrize("step", ["route", "history", "relevance", "auxiliary"])
def test_the_well_formed_event_the_bad_cases_are_made_from_is_accepted(world: World, step: str) -> None:
    output = _handler(step)(_good_step_input(), LocalLambdaContext(step))

    model = {"route": RouteOutput, "history": HistoryOutput, "relevance": RelevanceOutput}.get(step, AuxiliaryOutput)
    assert model.model_validate(output).model_dump(mode="json") == output
    if step == "route":
        assert RouteOutput.model_validate(output).route_name == "chat"
    else:
        assert output["degraded"] is False


def test_the_well_formed_respond_event_the_bad_cases_are_made_from_is_answered(world: World) -> None:
    output = _handler("respond")(_good_respond_input(), LocalLambdaContext("respond"))

    assert RespondOutput.model_validate(output).outcome is Outcome.ANSWERED
    assert [text for _, text in world.platform.posts] == [world.model.answer]
