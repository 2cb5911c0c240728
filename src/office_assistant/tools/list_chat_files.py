"""list_chat_files: the files stored for this chat, sent by users or by the assistant (legacy list_files)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from office_assistant.tools.chat_files import KINDS, chat_prefix
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    bucket = context.ports.media_bucket
    assert bucket is not None  # offered only with a media bucket
    limit = arguments.get("limit", 20)
    found = []
    for kind in KINDS:
        prefix = chat_prefix(context.message, kind)
        found += [(kind, prefix, obj) for obj in bucket.list_objects(prefix, limit)]
    found.sort(key=lambda item: item[2].last_modified, reverse=True)
    return [
        {
            "name": obj.key.removeprefix(prefix),
            "from": "assistant" if kind == "files" else "user",
            "bytes": obj.size,
            "stored": datetime.fromtimestamp(obj.last_modified, UTC).isoformat(timespec="seconds"),
        }
        for kind, prefix, obj in found[:limit]
    ]


TOOL = ToolSpec(
    name="list_chat_files",
    description="The files stored for this chat (images users sent, documents I sent), newest first.",
    parameters=object_schema({"limit": {"type": "integer", "minimum": 1, "maximum": 100}}),
    run=_run,
    requires=("media_bucket",),
    replaces=("list_files",),
)
