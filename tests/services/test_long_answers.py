"""Answers cut by max_tokens: continued through the real openai client against the loopback, then marked as cut."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant.adapters.chat_model import build_openai_client
from office_assistant.adapters.chat_model.openai_compatible import OpenAiCompatibleChatModel
from office_assistant.domain.routes import RouteSettings
from office_assistant.services.long_answers import CONTINUE_PROMPT, CUT_NOTE, complete_answer
from office_assistant.services.tool_loop import complete_with_tools
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

SETTINGS = RouteSettings(2, 5, 5, "system", "", "gpt-4.1", 0.7, max_tokens=5)
CONVERSATION = [{"role": "user", "content": "write the memo"}]


@pytest.fixture
def server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as loopback:
        yield loopback


@pytest.fixture
def model(server: ChatCompletionsLoopback) -> OpenAiCompatibleChatModel:
    return OpenAiCompatibleChatModel(build_openai_client(server.base_url, "sk-loopback", 5.0))


def test_a_cut_answer_is_continued_until_the_model_finishes(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_text("one two three four five six")  # cut after five words
    server.queue_text(" six seven.")

    reply = complete_with_tools(model, list(CONVERSATION), SETTINGS, None)

    assert (reply.text, reply.finish_reason) == ("one two three four five six seven.", "stop")
    first, second = server.completion_requests()
    assert second["messages"] == [
        *CONVERSATION,
        {"role": "assistant", "content": "one two three four five"},
        {"role": "user", "content": CONTINUE_PROMPT},
    ]
    assert first["messages"] == CONVERSATION
    assert reply.completion_tokens == 5 + 2


def test_a_streamed_answer_streams_its_continuation_too(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_text("one two three four five six")  # cut after five words
    server.queue_text(" six seven.")
    shown: list[str] = []

    reply = complete_with_tools(model, list(CONVERSATION), SETTINGS, None, on_text=shown.append)

    assert "".join(shown) == reply.text == "one two three four five six seven."
    assert [request.get("stream") for request in server.completion_requests()] == [True, True]


def test_an_answer_still_cut_after_the_cap_is_marked_as_cut(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    for _ in range(3):
        server.queue_text("a b c d e f g")

    reply = complete_with_tools(model, list(CONVERSATION), SETTINGS, None)

    assert len(server.completion_requests()) == 3  # the answer and two continuations
    assert reply.finish_reason == "length"
    assert reply.text == "a b c d ea b c d ea b c d e\n\n" + CUT_NOTE


def test_a_failed_continuation_keeps_the_first_part_marked_as_cut(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_text("a b c d e f g")
    first = model.complete(list(CONVERSATION), "gpt-4.1", 0.7, 5)
    server.fail_next(2, status=500)

    reply = complete_answer(model, list(CONVERSATION), SETTINGS, first)

    assert reply.text == "a b c d e\n\n" + CUT_NOTE


def test_continuations_stop_when_the_time_budget_is_spent(
    server: ChatCompletionsLoopback, model: OpenAiCompatibleChatModel
) -> None:
    server.queue_text("a b c d e f g")
    first = model.complete(list(CONVERSATION), "gpt-4.1", 0.7, 5)
    ticks = iter([0.0, 31.0])

    reply = complete_answer(model, list(CONVERSATION), SETTINGS, first, clock=lambda: next(ticks))

    assert len(server.completion_requests()) == 1
    assert reply.text.endswith(CUT_NOTE)


def test_an_answer_that_finished_is_returned_as_it_came(model: OpenAiCompatibleChatModel) -> None:
    reply = complete_with_tools(model, list(CONVERSATION), SETTINGS, None)

    assert reply.finish_reason == "stop" and CUT_NOTE not in reply.text
