"""slack_set_channel_purpose: set the description of this chat or an allowed channel, once per message (legacy
set_slack_channel_description)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.once import once
from office_assistant.tools.slack_channels import CHANNEL_ID, writable_channel
from office_assistant.tools.spec import SLACK_ONLY, ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    workspace = context.ports.workspace
    assert workspace is not None  # offered only with the Slack workspace
    channel, purpose = writable_channel(context, arguments["channel"]), arguments["purpose"]
    return once(context, "slack_purpose", [channel, purpose], lambda: workspace.set_purpose(channel, purpose))


TOOL = ToolSpec(
    name="slack_set_channel_purpose",
    description="Set the description (purpose) of this Slack channel or of a channel an admin allowed.",
    parameters=object_schema(
        {"channel": CHANNEL_ID, "purpose": {"type": "string", "minLength": 1, "maxLength": 250}},
        required=("channel", "purpose"),
    ),
    run=_run,
    platforms=SLACK_ONLY,
    requires=("workspace", "slack_actions:set_purpose"),
    replaces=("set_slack_channel_description",),
    writes=True,
)
