"""browse_web_page: the main text of a public web page (legacy browse_internet, now refusing private addresses)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


MAX_TEXT_CHARS = 6000  # under the tool result cap (8000), so the model gets whole JSON with a `truncated` flag


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    assert context.ports.web_pages is not None  # offered only with a page reader
    page = context.ports.web_pages.read(arguments["url"])
    truncated = page.truncated or len(page.text) > MAX_TEXT_CHARS
    return {"url": page.url, "title": page.title, "text": page.text[:MAX_TEXT_CHARS], "truncated": truncated}


TOOL = ToolSpec(
    name="browse_web_page",
    description="Fetch a public web page (http or https) and return its title and main text.",
    parameters=object_schema(
        {
            "url": {
                "type": "string",
                "minLength": 8,
                "maxLength": 2000,
                "pattern": "^https?://",
                "description": "the page",
            }
        },
        required=("url",),
    ),
    run=_run,
    requires=("web_pages",),
    replaces=("browse_internet",),
)
