"""slack_create_channel: create a channel, once per message (legacy create_slack_channel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.once import once
from office_assistant.tools.spec import SLACK_ONLY, ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    workspace = context.ports.workspace
    assert workspace is not None  # offered only with the Slack workspace
    name, private = arguments["name"], arguments.get("private", False)
    return once(context, "slack_create_channel", [name, private], lambda: workspace.create_channel(name, private))


TOOL = ToolSpec(
    name="slack_create_channel",
    description="Create a Slack channel; returns its id (invite people with slack_invite_to_channel).",
    parameters=object_schema(
        {
            "name": {
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9_-]{0,79}$",
                "description": "lower case letters, digits, - and _; at most 80 characters",
            },
            "private": {"type": "boolean", "description": "a private channel (false)"},
        },
        required=("name",),
    ),
    run=_run,
    platforms=SLACK_ONLY,
    requires=("workspace", "slack_actions:create_channel"),
    replaces=("create_slack_channel",),
    writes=True,
)
