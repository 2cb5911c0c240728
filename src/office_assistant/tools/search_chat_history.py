"""search_chat_history: this chat's earlier messages by meaning, or the latest ones (legacy get_embedding's use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.chat_messages import history_entry
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.domain.messages import StoredMessage
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    """This chat's messages, without the one being answered (it is already in the conversation)."""
    message, ports = context.message, context.ports
    query, limit = str(arguments.get("query", "")), int(arguments.get("limit", 5))
    found: list[tuple[StoredMessage, float | None]]
    if query.strip():
        embedding = [float(x) for x in ports.embedder.embed([query])[0]]
        found = [
            (s.message, round(s.score, 3)) for s in ports.store.similar(message.conversation_key, embedding, limit + 1)
        ]
    else:
        found = [(m, None) for m in ports.store.latest(message.conversation_key, limit + 1)]
    kept = [(m, score) for m, score in found if m.message_id != message.message_id][:limit]
    return [history_entry(m, score) for m, score in kept]


TOOL = ToolSpec(
    name="search_chat_history",
    description="Search this chat's earlier messages by meaning, or list the latest ones when the query is empty.",
    parameters=object_schema(
        {
            "query": {"type": "string", "maxLength": 500, "description": "what to look for; empty: the latest"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 20, "description": "how many messages"},
        }
    ),
    run=_run,
    replaces=("get_embedding",),
    note="get_embedding is covered here: the tool embeds the query itself; the model never needs raw vectors",
)
