"""mute_status: whether the assistant is muted in the current chat (legacy manage_mute_status, reading half)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"muted": context.ports.state.is_muted(context.message.conversation_key)}


TOOL = ToolSpec(
    name="mute_status",
    description="Whether the assistant is muted in this chat (then it answers only when mentioned).",
    parameters=object_schema({}),
    run=_run,
    replaces=("manage_mute_status",),
)
