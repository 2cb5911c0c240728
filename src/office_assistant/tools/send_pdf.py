"""send_pdf: Markdown rendered as a PDF and uploaded into this chat, once per message (legacy send_as_pdf always
went to Slack)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.chat_files import keep_copy, platform_of, safe_filename
from office_assistant.tools.once import once
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext

PDF = "application/pdf"


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    renderer = context.ports.pdf
    assert renderer is not None  # offered only with a renderer
    title, markdown = arguments["title"], arguments["markdown"]
    filename = safe_filename(arguments.get("filename") or title, ".pdf")

    def send() -> dict[str, Any]:
        data = renderer.render(title, markdown)
        posted = platform_of(context).send_file(context.message, filename, data, title, PDF)
        keep_copy(context, filename, data, PDF)
        return {"sent": filename, "bytes": len(data), "message_id": posted.message_id}

    return once(context, "send_pdf", [filename, title, markdown], send)


TOOL = ToolSpec(
    name="send_pdf",
    description="Render Markdown as a PDF document and send it into this chat (reports, letters, summaries).",
    parameters=object_schema(
        {
            "title": {
                "type": "string",
                "minLength": 1,
                "maxLength": 120,
                "description": "shown on top and in the chat",
            },
            "markdown": {"type": "string", "minLength": 1, "maxLength": 100_000, "description": "the document"},
            "filename": {"type": "string", "maxLength": 80, "description": "file name (default: from the title)"},
        },
        required=("title", "markdown"),
    ),
    run=_run,
    requires=("pdf", "uploads"),
    replaces=("send_as_pdf",),
    writes=True,
)
