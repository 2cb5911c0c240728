"""The tool loop's caps: rounds and time; after either, one last call without tools gives the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.ports import ChatReply, ToolCall
from office_assistant.services.tool_loop import complete_with_tools
from tests.builders import a_message, a_route_book
from tests.tools.conftest import plain_ports, toolset

if TYPE_CHECKING:
    from collections.abc import Sequence

CHAT = a_route_book().get("chat").settings


class AlwaysCallsTools:
    """A chat model that asks for mute_status every time tools are allowed, and answers when they are not."""

    def __init__(self) -> None:
        self.tool_choices: list[str | None] = []

    def complete(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> ChatReply:
        self.tool_choices.append(tool_choice)
        if tool_choice == "none":
            return ChatReply("final answer", model)
        return ChatReply("", model, tool_calls=(ToolCall(f"c{len(self.tool_choices)}", "mute_status", "{}"),))


class SteppingClock:
    def __init__(self, step_s: float) -> None:
        self.now, self.step_s = 0.0, step_s

    def __call__(self) -> float:
        self.now += self.step_s
        return self.now


def test_the_loop_stops_after_the_round_cap_and_asks_for_a_final_answer() -> None:
    model, tools = AlwaysCallsTools(), toolset(plain_ports(), "mute_status")

    reply = complete_with_tools(model, [{"role": "user", "content": "hi"}], CHAT, tools, max_rounds=3)

    assert reply.text == "final answer"
    assert model.tool_choices == [None, None, None, "none"]
    assert len(tools.calls) == 3


def test_the_loop_stops_calling_tools_once_the_time_budget_is_spent() -> None:
    model, tools = AlwaysCallsTools(), toolset(plain_ports(), "mute_status", message=a_message())

    reply = complete_with_tools(
        model, [{"role": "user", "content": "hi"}], CHAT, tools, time_budget_s=25.0, clock=SteppingClock(10.0)
    )

    assert reply.text == "final answer"
    assert model.tool_choices == [None, None, "none"]
