"""slack_list_users: the workspace's people (legacy get_users)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import SLACK_ONLY, ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    assert context.ports.workspace is not None  # offered only with the Slack workspace
    return context.ports.workspace.users(arguments.get("limit", 100))


TOOL = ToolSpec(
    name="slack_list_users",
    description="The people in this Slack workspace: id, user name, real and display name.",
    parameters=object_schema({"limit": {"type": "integer", "minimum": 1, "maximum": 500}}),
    run=_run,
    platforms=SLACK_ONLY,
    requires=("workspace",),
    replaces=("get_users",),
)
