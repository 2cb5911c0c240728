"""set_mute: mute or unmute the assistant in the current chat (legacy manage_mute_status, setting half)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    context.ports.state.set_muted(context.message.conversation_key, arguments["muted"])
    return {"muted": arguments["muted"]}


TOOL = ToolSpec(
    name="set_mute",
    description="Mute or unmute the assistant in this chat. While muted it answers only when mentioned.",
    parameters=object_schema(
        {
            "muted": {
                "type": "boolean",
                "description": "true: stop answering in this chat unless mentioned; false: answer again",
            }
        },
        required=("muted",),
    ),
    run=_run,
    replaces=("manage_mute_status",),
)
