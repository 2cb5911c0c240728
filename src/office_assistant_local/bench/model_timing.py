"""The streaming bench's view into the model call: when each streamed request was sent and its first words came.

A ChatModel wrapper in the way of bench/latency.py's port wrappers: it delegates every call unchanged and only
notes the moments, so the bench can split the wait for a reply's first words into the part before the model is
asked, the model's own wait (prompt evaluation and the first token) and the delivery to the platform.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from office_assistant.ports import ChatModel, ChatReply


@dataclass
class StreamedCall:
    """One streamed request: wall-clock seconds it was sent and its first visible text came; pieces streamed."""

    sent: float
    first_text: float | None = None
    pieces: int = 0
    finish_reason: str | None = None


class TimedChatModel:
    """ChatModel that hands every call to `inner` and records each streamed one in `calls`."""

    def __init__(self, inner: ChatModel, clock: Callable[[], float] = time.time) -> None:
        self.inner = inner
        self.clock = clock
        self.calls: list[StreamedCall] = []

    def complete(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: Literal["auto", "none"] | None = None,
    ) -> ChatReply:
        return self.inner.complete(messages, model, temperature, max_tokens, tools, tool_choice)

    def stream(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        on_text: Callable[[str], None],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: Literal["auto", "none"] | None = None,
    ) -> ChatReply:
        call = StreamedCall(self.clock())
        self.calls.append(call)

        def noted(text: str) -> None:
            call.pieces += 1
            if call.first_text is None and text.strip():
                call.first_text = self.clock()
            on_text(text)

        reply = self.inner.stream(messages, model, temperature, max_tokens, noted, tools, tool_choice)
        call.finish_reason = reply.finish_reason
        return reply

    def since(self, moment: float) -> list[StreamedCall]:
        """The streamed calls sent at or after `moment`, in order."""
        return [call for call in self.calls if call.sent >= moment]
