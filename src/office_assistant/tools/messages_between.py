"""messages_between: this chat's messages in a time range (legacy get_messages_in_range)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ToolServiceError
from office_assistant.tools.chat_messages import TIME_FORMAT_HELP, history_entry, parse_time
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    start, end = parse_time(arguments["start"]), parse_time(arguments["end"])
    if end < start:
        raise ToolServiceError("the range ends before it starts")
    limit = int(arguments.get("limit", 20))
    found = context.ports.store.between(context.message.conversation_key, start, end, limit + 1)
    found = [m for m in found if m.message_id != context.message.message_id]
    return {"messages": [history_entry(m) for m in found[:limit]], "more": len(found) > limit}


TOOL = ToolSpec(
    name="messages_between",
    description="This chat's messages sent between two times, oldest first.",
    parameters=object_schema(
        {
            "start": {"type": "string", "maxLength": 40, "description": f"from: {TIME_FORMAT_HELP}"},
            "end": {"type": "string", "maxLength": 40, "description": f"to (inclusive): {TIME_FORMAT_HELP}"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "the most messages"},
        },
        required=("start", "end"),
    ),
    run=_run,
    replaces=("get_messages_in_range",),
)
