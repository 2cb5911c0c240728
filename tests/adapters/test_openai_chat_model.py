"""OpenAI-compatible chat model: the real openai client against the loopback Chat Completions server."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from office_assistant.adapters.chat_model import OpenAiCompatibleChatModel, build_openai_client
from office_assistant.domain.errors import ChatModelError
from office_assistant.ports import ChatReply, ToolCall
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.recorder import RecordedRequest, RecordingServer, Reply

if TYPE_CHECKING:
    from collections.abc import Iterator

API_KEY = "sk-loopback"
MESSAGES = [
    {"role": "system", "content": "You are a helpful office assistant."},
    {"role": "assistant", "content": "Earlier: the Q3 invoices were sent."},
    {"role": "user", "content": "When are the Q3 invoices due?", "name": "alice"},
]
MUTE_TOOL = {
    "type": "function",
    "function": {
        "name": "set_mute",
        "description": "Mute or unmute this chat.",
        "parameters": {"type": "object", "properties": {"muted": {"type": "boolean"}}, "required": ["muted"]},
    },
}


class NoChoicesServer(RecordingServer):
    """An OpenAI-compatible server that answers a completion with no choices."""

    def handle(self, request: RecordedRequest) -> Reply:
        return Reply(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []})


@pytest.fixture
def server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback(api_key=API_KEY) as loopback:
        yield loopback


@pytest.fixture
def model(server: ChatCompletionsLoopback) -> OpenAiCompatibleChatModel:
    return OpenAiCompatibleChatModel(build_openai_client(server.base_url, API_KEY, timeout_s=5.0))


def test_complete_sends_model_temperature_max_tokens_and_messages(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    model.complete(MESSAGES, "gpt-4.1", 0.9, 5500)

    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.body == {"model": "gpt-4.1", "messages": MESSAGES, "temperature": 0.9, "max_tokens": 5500}


def test_complete_returns_the_reply_text_model_and_usage(model: OpenAiCompatibleChatModel) -> None:
    reply = model.complete(MESSAGES, "gpt-4.1", 0.9, 5500)

    assert reply == ChatReply(
        text="echo[gpt-4.1]: When are the Q3 invoices due?",
        model="gpt-4.1",
        prompt_tokens=18,  # whitespace words of the three messages
        completion_tokens=7,
        finish_reason="stop",
    )


def test_complete_returns_a_reply_cut_at_max_tokens(model: OpenAiCompatibleChatModel) -> None:
    reply = model.complete(MESSAGES, "gpt-4.1", 0.9, 3)

    assert (reply.text, reply.completion_tokens) == ("echo[gpt-4.1]: When are", 3)
    assert reply.finish_reason == "length" and reply.cut_by_length


def test_complete_retries_a_server_error_once_then_raises_chat_model_error(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.fail_next(2, status=503, message="The engine is currently overloaded")

    with pytest.raises(ChatModelError, match="HTTP 503.*overloaded"):
        model.complete(MESSAGES, "gpt-4.1", 0.9, 100)

    assert len(server.completion_requests()) == 2


def test_complete_recovers_when_the_retry_succeeds(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.fail_next(1, status=500)

    reply = model.complete(MESSAGES, "gpt-4.1", 0.9, 100)

    assert reply.text.startswith("echo[gpt-4.1]")


def test_complete_raises_chat_model_error_on_a_bad_request_without_retrying(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.fail_next(1, status=400, message="Invalid 'messages[2].name'")

    with pytest.raises(ChatModelError, match="HTTP 400"):
        model.complete(MESSAGES, "gpt-4.1", 0.9, 100)

    assert len(server.completion_requests()) == 1


def test_complete_raises_chat_model_error_for_a_wrong_api_key(server: ChatCompletionsLoopback) -> None:
    model = OpenAiCompatibleChatModel(build_openai_client(server.base_url, "sk-wrong", timeout_s=5.0))

    with pytest.raises(ChatModelError, match="HTTP 401"):
        model.complete(MESSAGES, "gpt-4.1", 0.9, 100)


def test_complete_raises_chat_model_error_when_the_server_is_unreachable() -> None:
    with ChatCompletionsLoopback() as stopped:
        base_url = stopped.base_url
    model = OpenAiCompatibleChatModel(build_openai_client(base_url, API_KEY, timeout_s=5.0))

    with pytest.raises(ChatModelError, match="APIConnectionError"):
        model.complete(MESSAGES, "gpt-4.1", 0.9, 100)


def test_complete_raises_chat_model_error_when_no_choice_comes_back() -> None:
    with NoChoicesServer() as server:
        model = OpenAiCompatibleChatModel(build_openai_client(f"{server.url}/v1", API_KEY, timeout_s=5.0))

        with pytest.raises(ChatModelError, match="no choices"):
            model.complete(MESSAGES, "gpt-4.1", 0.9, 100)


def test_build_openai_client_uses_api_openai_com_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")

    client = build_openai_client(None, API_KEY, timeout_s=5.0)

    assert str(client.base_url) == "https://api.openai.com/v1/"
    assert client.max_retries == 1


def test_complete_sends_the_tools_and_returns_the_tool_calls_the_model_makes(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_tool_calls(("set_mute", {"muted": True}), ("set_mute", "{not json"))

    reply = model.complete(MESSAGES, "gpt-4.1", 0.9, 100, tools=[MUTE_TOOL])

    [request] = server.completion_requests()
    assert request["tools"] == [MUTE_TOOL] and "tool_choice" not in request
    ids = [call.id for call in reply.tool_calls]
    assert reply.tool_calls == (
        ToolCall(ids[0], "set_mute", '{"muted": true}'),
        ToolCall(ids[1], "set_mute", "{not json"),
    )
    assert reply.text == "" and len(set(ids)) == 2


def test_complete_sends_tool_choice_none_and_gets_text_instead_of_a_tool_call(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_tool_calls(("set_mute", {"muted": True}))

    reply = model.complete(MESSAGES, "gpt-4.1", 0.9, 100, tools=[MUTE_TOOL], tool_choice="none")

    assert server.completion_requests()[0]["tool_choice"] == "none"
    assert (reply.text, reply.tool_calls) == ("echo[gpt-4.1]: When are the Q3 invoices due?", ())


def test_complete_raises_chat_model_error_when_a_tool_message_answers_no_call(
    model: OpenAiCompatibleChatModel,
) -> None:
    orphan = {"role": "tool", "tool_call_id": "call_1", "content": "{}"}

    with pytest.raises(ChatModelError, match="HTTP 400.*preceeding message with 'tool_calls'"):
        model.complete([*MESSAGES, orphan], "gpt-4.1", 0.9, 100, tools=[MUTE_TOOL])


class FailingStreamServer(RecordingServer):
    """Streams a few words, then an `error` event, as OpenAI reports a failure in the middle of a stream."""

    def handle(self, request: RecordedRequest) -> Reply:
        head = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m"}
        chunk = head | {"choices": [{"index": 0, "delta": {"content": "Half an "}, "finish_reason": None}]}
        error = {"error": {"message": "The server had an error while processing your request.", "type": "server"}}
        body = f"data: {json.dumps(chunk)}\n\ndata: {json.dumps(error)}\n\n".encode()
        return Reply(200, None, {"Content-Type": "text/event-stream"}, raw=body)


def test_stream_hands_each_piece_of_text_to_the_callback_and_returns_the_whole_reply(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    pieces: list[str] = []

    reply = model.stream(MESSAGES, "gpt-4.1", 0.9, 5500, pieces.append)

    assert server.completion_requests()[0]["stream"] is True
    assert server.completion_requests()[0]["stream_options"] == {"include_usage": True}
    assert len(pieces) > 3
    assert "".join(pieces) == reply.text == "echo[gpt-4.1]: When are the Q3 invoices due?"
    assert reply.completion_tokens == 7 and reply.prompt_tokens > 0


def test_stream_assembles_the_tool_calls_of_a_streamed_round(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_tool_calls(("set_mute", {"muted": True}))
    pieces: list[str] = []

    reply = model.stream(MESSAGES, "gpt-4.1", 0.9, 5500, pieces.append, tools=[MUTE_TOOL])

    assert pieces == []
    [call] = reply.tool_calls
    assert call.name == "set_mute" and call.arguments == '{"muted": true}' and call.id.startswith("call_loopback_")


def test_stream_raises_chat_model_error_on_a_refused_request(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.fail_next(1, status=400, message="bad request")

    with pytest.raises(ChatModelError, match="HTTP 400"):
        model.stream(MESSAGES, "gpt-4.1", 0.9, 5500, lambda _: None)


def test_stream_that_fails_midway_is_a_chat_model_error_after_the_text_it_gave() -> None:
    pieces: list[str] = []
    with FailingStreamServer() as server:
        model = OpenAiCompatibleChatModel(build_openai_client(f"{server.url}/v1", API_KEY, timeout_s=5.0))
        with pytest.raises(ChatModelError, match="had an error"):
            model.stream(MESSAGES, "m", 0.9, 50, pieces.append)

    assert pieces == ["Half an "]
