"""Answers cut by the token limit: ask the model to go on, up to a cap, then say that the answer was cut.

The legacy posted whatever came back; an answer that stopped at `max_tokens` read as complete.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ChatModelError
from office_assistant.ports import ChatReply

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from office_assistant.domain.routes import RouteSettings
    from office_assistant.ports import ChatModel

logger = logging.getLogger(__name__)

MAX_CONTINUATIONS = 2
# Continuations stop once this much time has gone by: Respond has 90 s (ASL) and each call up to 60 s.
CONTINUATION_BUDGET_S = 30.0
CONTINUE_PROMPT = "Continue exactly where your previous message stopped. Do not repeat anything and do not restart."
CUT_NOTE = "_(This answer was cut off at the length limit; ask me to continue.)_"


def complete_answer(
    chat_model: ChatModel,
    conversation: list[dict[str, Any]],
    settings: RouteSettings,
    reply: ChatReply,
    tools: Sequence[dict[str, Any]] | None = None,
    max_continuations: int = MAX_CONTINUATIONS,
    budget_s: float = CONTINUATION_BUDGET_S,
    clock: Callable[[], float] = time.monotonic,
    on_text: Callable[[str], None] | None = None,
) -> ChatReply:
    """`reply` with its continuations appended while it was cut by length; still cut after the cap: CUT_NOTE.

    Tools, when the conversation offered them, are offered again with `tool_choice="none"`: a continuation is
    text. A failed continuation keeps what came so far, marked as cut, rather than losing the answer. With
    `on_text` (a streamed reply), the continuations are streamed to it too, so the words keep coming instead of
    stopping at the cut until the whole rest is written.
    """
    if not reply.cut_by_length:
        return reply
    started = clock()
    parts, prompt_tokens, completion_tokens = [reply.text], reply.prompt_tokens, reply.completion_tokens
    options: dict[str, Any] = {"tools": tools, "tool_choice": "none"} if tools else {}
    last = reply
    for _ in range(max_continuations):
        if clock() - started > budget_s:
            break
        turns = [{"role": "assistant", "content": "".join(parts)}, {"role": "user", "content": CONTINUE_PROMPT}]
        request = ([*conversation, *turns], settings.model, settings.temperature, settings.max_tokens)
        try:
            if on_text is None:
                last = chat_model.complete(*request, **options)
            else:
                last = chat_model.stream(*request, on_text, **options)
        except ChatModelError as error:
            logger.warning("continuation failed, posting the answer as cut: %s", error)
            break
        parts.append(last.text)
        prompt_tokens += last.prompt_tokens
        completion_tokens += last.completion_tokens
        if not last.cut_by_length:
            return ChatReply("".join(parts), reply.model, prompt_tokens, completion_tokens, finish_reason="stop")
    logger.warning("answer cut at the length limit", extra={"continuations": len(parts) - 1})
    text = "".join(parts).rstrip() + "\n\n" + CUT_NOTE
    return ChatReply(text, reply.model, prompt_tokens, completion_tokens, finish_reason="length")
