"""ask_reasoning_model on the real openai client (loopback), and the history-by-time tools on the message's chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant.adapters.chat_model import OpenAiCompatibleChatModel, build_openai_client
from office_assistant.domain.messages import Platform
from office_assistant.tools import ReasoningModel
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from tests.builders import a_message, a_stored_message
from tests.tools.conftest import plain_ports, run, toolset

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as loopback:
        yield loopback


def _reasoning(server: ChatCompletionsLoopback, model: str = "o3-mini") -> ReasoningModel:
    client = build_openai_client(server.base_url, "sk-loopback", timeout_s=5.0)
    return ReasoningModel(OpenAiCompatibleChatModel(client), model)


def test_ask_reasoning_model_sends_only_the_question_with_reasoning_model_parameters(
    server: ChatCompletionsLoopback,
) -> None:
    server.queue_text("x = 5, because 3·5 + 7 = 22.")
    tools = toolset(plain_ports(reasoning=_reasoning(server)), "ask_reasoning_model")

    result = run(tools, "ask_reasoning_model", {"question": "Solve 3x + 7 = 22."})

    assert result == {"result": {"model": "o3-mini", "answer": "x = 5, because 3·5 + 7 = 22."}}
    [request] = server.completion_requests()
    assert request["messages"] == [{"role": "user", "content": "Solve 3x + 7 = 22."}]
    assert request["max_completion_tokens"] == 4000
    assert "temperature" not in request and "max_tokens" not in request


def test_a_failing_reasoning_model_becomes_an_error_message(server: ChatCompletionsLoopback) -> None:
    server.fail_next(count=3, status=500)
    tools = toolset(plain_ports(reasoning=_reasoning(server)), "ask_reasoning_model")

    result = run(tools, "ask_reasoning_model", {"question": "hard"})

    assert result["error"].startswith("the reasoning model failed: chat model 'o3-mini' answered HTTP 500")


def test_ask_reasoning_model_refuses_an_empty_question_and_is_not_offered_without_a_model(
    server: ChatCompletionsLoopback,
) -> None:
    tools = toolset(plain_ports(reasoning=_reasoning(server)), "ask_reasoning_model")

    assert run(tools, "ask_reasoning_model", {"question": ""})["error"].endswith("question: '' should be non-empty")
    assert server.completion_requests() == []
    assert toolset(plain_ports(), "ask_reasoning_model").names == []


def _history_ports() -> object:
    ports = plain_ports()
    for n, (chat, ts) in enumerate(
        [("slack:C1", 100.25), ("slack:C1", 160.0), ("slack:C2", 100.25), ("slack:C1", 400.0)]
    ):
        ports.store.add(a_stored_message(f"message {n}", ts=ts, chat_key=chat, message_id=f"m{n}"), None)
    return ports


def test_message_at_time_finds_the_message_sent_then_in_this_chat_only() -> None:
    tools = toolset(_history_ports(), "message_at_time", message=a_message(chat_id="C1"))  # type: ignore[arg-type]

    result = run(tools, "message_at_time", {"time": "1970-01-01T00:01:40Z"})

    assert [m["text"] for m in result["result"]] == ["message 0"]
    assert result["result"][0]["ts"] == 100.25


def test_messages_between_lists_this_chats_messages_in_the_range_oldest_first() -> None:
    tools = toolset(_history_ports(), "messages_between", message=a_message(chat_id="C1"))  # type: ignore[arg-type]

    result = run(tools, "messages_between", {"start": "100", "end": "1970-01-01T00:05:00+00:00", "limit": 1})

    assert result == {
        "result": {
            "messages": [
                {
                    "time": "1970-01-01T00:01:40+00:00",
                    "ts": 100.25,
                    "role": "user",
                    "user": "alice",
                    "text": "message 0",
                }
            ],
            "more": True,
        }
    }


def test_the_history_tools_read_a_telegram_chat_by_its_own_key() -> None:
    ports = plain_ports()
    ports.store.add(a_stored_message("hallo", ts=50.0, chat_key="telegram:C1"), None)
    ports.store.add(a_stored_message("hi", ts=50.0, chat_key="slack:C1"), None)
    tools = toolset(ports, "messages_between", message=a_message(chat_id="C1", platform=Platform.TELEGRAM))

    result = run(tools, "messages_between", {"start": "0", "end": "100"})

    assert [m["text"] for m in result["result"]["messages"]] == ["hallo"]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"start": "yesterday", "end": "100"}, "not a time: 'yesterday'; use ISO 8601"),
        ({"start": "200", "end": "100"}, "the range ends before it starts"),
    ],
)
def test_times_that_cannot_be_read_become_error_messages(arguments: dict[str, str], error: str) -> None:
    tools = toolset(plain_ports(), "messages_between")

    assert run(tools, "messages_between", arguments)["error"].startswith(error)
