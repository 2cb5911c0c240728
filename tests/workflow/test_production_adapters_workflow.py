"""The workflow on production adapters at the wire: Weaviate and OpenAI embeddings + chat through their real
clients, against loopback servers, selected the way a local run against the real services selects them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.adapters.message_store.weaviate import WeaviateMessageStore
from office_assistant.workflow.payloads import RespondOutput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.weaviate import WeaviateLoopback
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from office_assistant_local.environment import LocalEnvironment

DIMENSIONS = 64


@pytest.fixture
def services() -> Iterator[tuple[ChatCompletionsLoopback, WeaviateLoopback]]:
    with ChatCompletionsLoopback() as openai_api, WeaviateLoopback() as weaviate:
        yield openai_api, weaviate


@pytest.fixture
def env(tmp_path: Path, services: tuple[ChatCompletionsLoopback, WeaviateLoopback]) -> Iterator[LocalEnvironment]:
    openai_api, weaviate = services
    environ = {
        "OA_OPENAI_BASE_URL": openai_api.base_url,
        "OA_OPENAI_API_KEY": "sk-loopback",
        "OA_EMBEDDINGS": "openai",
        "OA_EMBEDDING_DIMENSIONS": str(DIMENSIONS),
        "OA_MESSAGE_STORE": "weaviate",
        "OA_WEAVIATE_URL": weaviate.url,
        "OA_WEAVIATE_GRPC_URL": f"http://127.0.0.1:{weaviate.grpc_port}",
        "OA_SLACK_BOT_TOKEN": "xoxb-must-not-be-taken",
    }
    with local_environment(tmp_path, real_services=environ) as environment:
        bootstrap.configure(environment.container)
        yield environment
        bootstrap.reset()
        store = environment.container.store
        if isinstance(store, WeaviateMessageStore):
            store.close()


def _say(env: LocalEnvironment, text: str) -> RespondOutput:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event("C5", "U0ALICE", text)
    response: dict[str, Any] = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))
    assert response["statusCode"] == 200, response
    result = env.starter.wait(env.starter.started[-1])
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return RespondOutput.model_validate(result.output)


def test_a_message_is_answered_with_weaviate_and_openai_embeddings_at_the_wire(
    env: LocalEnvironment, services: tuple[ChatCompletionsLoopback, WeaviateLoopback]
) -> None:
    openai_api, weaviate = services

    output = _say(env, "What did we decide about the Bluebird budget?")

    assert (output.replied, output.outcome, output.degraded_branches) == (True, "answered", [])
    assert env.chat_server is None  # no local model server: chat goes to the configured endpoint
    assert env.settings.slack_bot_token != "xoxb-must-not-be-taken"  # platforms stay on their stand-ins
    embedded = [text for request in openai_api.embedding_requests() for text in request["input"]]
    assert "What did we decide about the Bluebird budget?" in embedded
    assert {request["dimensions"] for request in openai_api.embedding_requests()} == {DIMENSIONS}
    assert openai_api.completion_requests()[-1]["messages"][-1]["content"].endswith("Bluebird budget?")
    stored = sorted(obj["properties"]["role"] for obj in weaviate.stored("Messages").values())
    assert stored == ["assistant", "user"]
    assert weaviate.grpc_requests("Search"), "history and relevance query Weaviate over gRPC"
    assert env.slack.posted("C5")[-1].text == output.reply_text
