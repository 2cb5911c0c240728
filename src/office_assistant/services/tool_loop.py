"""The tool loop: call the model, run the tools it asks for, call it again, until it answers or the cap is hit."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ChatModelError
from office_assistant.ports import ChatReply
from office_assistant.services.long_answers import complete_answer

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.domain.routes import RouteSettings
    from office_assistant.ports import ChatModel
    from office_assistant.tools.toolset import ToolSet

logger = logging.getLogger(__name__)

MAX_TOOL_ROUNDS = 4
TOOL_TIME_BUDGET_S = 45.0  # Respond's Task has 90 s: after this, no more tool rounds, only the final answer


def complete_with_tools(
    chat_model: ChatModel,
    messages: list[dict[str, Any]],
    settings: RouteSettings,
    tools: ToolSet | None,
    max_rounds: int = MAX_TOOL_ROUNDS,
    time_budget_s: float = TOOL_TIME_BUDGET_S,
    clock: Callable[[], float] = time.monotonic,
    on_text: Callable[[str], None] | None = None,
) -> ChatReply:
    """The model's final text, with the token usage of every round summed; an answer cut by the token limit is
    continued (services.long_answers).

    After `max_rounds` rounds of tool calls, or once `time_budget_s` has passed (slow pages, a slow reasoning
    model), the model is asked once more with `tool_choice="none"`, so a model that keeps calling tools still
    ends with an answer within Respond's timeout (the legacy loop had no cap). Tool results live only in this
    call's message list: they never reach the store as assistant history. Raises ChatModelError.

    With `on_text`, every round is streamed and its text handed to `on_text` as it is written (a round that ends
    in tool calls usually writes none).
    """

    def call(conversation: list[dict[str, Any]], **options: Any) -> ChatReply:
        if on_text is None:
            return chat_model.complete(
                conversation, settings.model, settings.temperature, settings.max_tokens, **options
            )
        return chat_model.stream(
            conversation, settings.model, settings.temperature, settings.max_tokens, on_text, **options
        )

    if tools is None or not tools.tools:
        reply = call(messages)
        return complete_answer(chat_model, messages, settings, reply, on_text=on_text)
    conversation, schemas = list(messages), tools.schemas
    prompt_tokens = completion_tokens = 0
    deadline = clock() + time_budget_s
    for _ in range(max_rounds):
        if clock() > deadline:
            logger.warning("tool time budget spent", extra={"budget_s": time_budget_s})
            break
        reply = call(conversation, tools=schemas)
        prompt_tokens += reply.prompt_tokens
        completion_tokens += reply.completion_tokens
        if not reply.tool_calls:
            summed = ChatReply(
                reply.text, reply.model, prompt_tokens, completion_tokens, finish_reason=reply.finish_reason
            )
            return complete_answer(chat_model, conversation, settings, summed, schemas, on_text=on_text)
        conversation.append(_assistant_turn(reply))
        conversation += [{"role": "tool", "tool_call_id": c.id, "content": tools.run(c)} for c in reply.tool_calls]
    else:
        logger.warning("tool round cap reached", extra={"rounds": max_rounds})
    final = call(conversation, tools=schemas, tool_choice="none")
    if not final.text.strip():
        raise ChatModelError(f"chat model {settings.model!r} gave no answer after {max_rounds} tool rounds")
    summed = ChatReply(
        final.text,
        final.model,
        prompt_tokens + final.prompt_tokens,
        completion_tokens + final.completion_tokens,
        finish_reason=final.finish_reason,
    )
    return complete_answer(chat_model, conversation, settings, summed, schemas, on_text=on_text)


def _assistant_turn(reply: ChatReply) -> dict[str, Any]:
    """The assistant message that asked for the tools; the API requires it before their `tool` messages."""
    return {
        "role": "assistant",
        "content": reply.text or None,
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in reply.tool_calls
        ],
    }
