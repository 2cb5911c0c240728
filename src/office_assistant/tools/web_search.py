"""web_search: search the web (legacy google_search); results as title, URL, snippet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, str]]:
    assert context.ports.web_search is not None  # offered only with a search service
    results = context.ports.web_search.search(arguments["query"], arguments.get("count", 5))
    return [{"title": r.title, "url": r.url, "snippet": r.snippet} for r in results]


TOOL = ToolSpec(
    name="web_search",
    description="Search the web. Returns the top results as title, URL and snippet; read a page with browse_web_page.",
    parameters=object_schema(
        {
            "query": {"type": "string", "minLength": 1, "maxLength": 300, "description": "what to search for"},
            "count": {"type": "integer", "minimum": 1, "maximum": 10, "description": "how many results (5)"},
        },
        required=("query",),
    ),
    run=_run,
    requires=("web_search",),
    replaces=("google_search",),
)
