"""send_file: a text file the model writes (CSV, Markdown, JSON, …) uploaded into this chat, once per message
(legacy send_file_to_slack, now on Telegram too)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ToolServiceError
from office_assistant.tools.chat_files import keep_copy, platform_of, safe_filename
from office_assistant.tools.once import once
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext

CONTENT_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".json": "application/json",
    ".xml": "application/xml",
    ".yaml": "application/yaml",
    ".ics": "text/calendar",
    ".vcf": "text/vcard",
}


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    extension = PurePosixPath(arguments["filename"]).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise ToolServiceError(
            f"files of type {extension or '(none)'} are not sent; use one of {', '.join(CONTENT_TYPES)}"
        )
    filename = safe_filename(arguments["filename"], extension)
    title, content_type = arguments.get("title") or filename, CONTENT_TYPES[extension]
    data = arguments["content"].encode("utf-8")

    def send() -> dict[str, Any]:
        posted = platform_of(context).send_file(context.message, filename, data, title, content_type)
        keep_copy(context, filename, data, content_type)
        return {"sent": filename, "bytes": len(data), "message_id": posted.message_id}

    return once(context, "send_file", [filename, arguments["content"]], send)


TOOL = ToolSpec(
    name="send_file",
    description=f"Send a text file you write into this chat. Types: {', '.join(CONTENT_TYPES)}.",
    parameters=object_schema(
        {
            "filename": {"type": "string", "minLength": 3, "maxLength": 80, "description": "e.g. leads.csv"},
            "content": {"type": "string", "minLength": 1, "maxLength": 200_000},
            "title": {"type": "string", "maxLength": 120},
        },
        required=("filename", "content"),
    ),
    run=_run,
    requires=("uploads",),
    replaces=("send_file_to_slack",),
    writes=True,
)
