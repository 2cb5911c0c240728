"""message_at_time: the message of this chat at an exact time (legacy get_message_by_sort_id)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.chat_messages import TIME_FORMAT_HELP, history_entry, parse_time
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext

TOLERANCE_S = 1.0  # a time the model copies from a history entry may have lost its fraction of a second


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    moment = parse_time(arguments["time"])
    chat = context.message.conversation_key
    found = context.ports.store.between(chat, moment - TOLERANCE_S, moment + TOLERANCE_S, 10)
    found.sort(key=lambda m: abs(m.ts - moment))
    return [history_entry(m) for m in found[:3]]


TOOL = ToolSpec(
    name="message_at_time",
    description="The message of this chat sent at an exact time (as a history entry's `time` or `ts` shows it).",
    parameters=object_schema(
        {"time": {"type": "string", "maxLength": 40, "description": f"when it was sent: {TIME_FORMAT_HELP}"}},
        required=("time",),
    ),
    run=_run,
    replaces=("get_message_by_sort_id",),
)
