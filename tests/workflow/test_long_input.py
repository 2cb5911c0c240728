"""Long input through the real webhook and ASL with OpenAI embeddings at the wire: Route never breaks on length,
and when embedding fails anyway, Respond still gets everything the media work extracted."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.adapters.embeddings.token_limit import TokenLimit
from office_assistant.workflow.payloads import RespondOutput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback, message_text
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment


@pytest.fixture
def openai_api() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, openai_api: ChatCompletionsLoopback) -> Iterator[LocalEnvironment]:
    environ = {
        "OA_OPENAI_BASE_URL": openai_api.base_url,
        "OA_OPENAI_API_KEY": "sk-loopback",
        "OA_EMBEDDINGS": "openai",
        "OA_EMBEDDING_DIMENSIONS": "32",
    }
    with local_environment(tmp_path, real_services=environ) as environment:
        bootstrap.configure(environment.container)
        yield environment
        bootstrap.reset()


def _share_documents(env: LocalEnvironment, text: str, documents: int, channel: str) -> ExecutionResult:
    """A Slack file_share with `documents` reports of about 20,000 characters each (the per-document cap)."""
    body = "".join(f"Line {n}: Acme ordered {n % 40} chairs and paid invoice INV-{n:05d}.\n" for n in range(400))
    files = []
    for index in range(documents):
        url = env.slack.add_file(f"F0LONG{index}", f"report-{index}.txt", body.encode())
        files.append(
            {
                "id": f"F0LONG{index}",
                "name": f"report-{index}.txt",
                "mimetype": "text/plain",
                "size": len(body),
                "url_private": url,
            }
        )
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text)
    payload = json.loads(event["body"])
    payload["event"].update(subtype="file_share", files=files)
    response = handler_module(WEBHOOK).lambda_handler(
        SlackSender(SLACK_SIGNING_SECRET).signed(json.dumps(payload)), LocalLambdaContext("webhook")
    )
    assert response["statusCode"] == 200, response
    result = env.starter.wait(env.starter.started[-1])
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result


def _last_conversation(openai_api: ChatCompletionsLoopback) -> list[dict[str, Any]]:
    return openai_api.completion_requests()[-1]["messages"]  # type: ignore[no-any-return]


def test_route_embeds_a_message_longer_than_the_embedding_limit_cut_to_it(
    env: LocalEnvironment, openai_api: ChatCompletionsLoopback
) -> None:
    result = _share_documents(env, "please summarise these reports", documents=3, channel="CLONG1")

    assert [s.name for s in result.states if s.name.startswith("Route")] == ["Route"]  # not RouteDegraded
    output = RespondOutput.model_validate(result.output)
    assert output.outcome == "answered"
    limit = TokenLimit(8191)
    embedded = [text for request in openai_api.embedding_requests() for text in request["input"]]
    assert max(limit.count(text) for text in embedded) == 8191  # the long message, cut to the limit
    current = message_text(_last_conversation(openai_api)[-1]["content"])
    assert current.count("[Document report-") == 3 and limit.count(current) > 8191  # the model reads it whole


def test_respond_keeps_the_extracted_documents_when_embedding_fails_in_route(
    env: LocalEnvironment, openai_api: ChatCompletionsLoopback
) -> None:
    _share_documents(env, "warm up the router", documents=0, channel="CLONG2")
    openai_api.fail_next(2, status=500)  # the Route step's embeddings call and the client's one retry

    result = _share_documents(env, "what do these reports say?", documents=2, channel="CLONG2")

    assert RespondOutput.model_validate(result.output).outcome == "answered"
    conversation = _last_conversation(openai_api)
    assert message_text(conversation[-1]["content"]).count("[Document report-") == 2
    notes = [m["content"] for m in conversation if str(m["content"]).startswith("Notes about this message")]
    assert notes and "routing failed" in notes[0]
    stored = env.container.store.latest("slack:CLONG2", 10)
    assert any("[Document report-1.txt]" in m.text for m in stored)
