"""slack_invite_to_channel: invite people to a channel, once per message (legacy invite_users_to_slack_channel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.once import once
from office_assistant.tools.slack_channels import CHANNEL_ID
from office_assistant.tools.spec import SLACK_ONLY, ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    workspace = context.ports.workspace
    assert workspace is not None  # offered only with the Slack workspace
    channel, users = arguments["channel"], sorted(set(arguments["user_ids"]))
    return once(context, "slack_invite", [channel, users], lambda: workspace.invite(channel, users))


TOOL = ToolSpec(
    name="slack_invite_to_channel",
    description="Invite people (by user id, see slack_list_users) to a Slack channel I am a member of.",
    parameters=object_schema(
        {
            "channel": CHANNEL_ID,
            "user_ids": {
                "type": "array",
                "items": {"type": "string", "pattern": "^[UW][A-Z0-9]{2,20}$"},
                "minItems": 1,
                "maxItems": 30,
            },
        },
        required=("channel", "user_ids"),
    ),
    run=_run,
    platforms=SLACK_ONLY,
    requires=("workspace", "slack_actions:invite"),
    replaces=("invite_users_to_slack_channel",),
    writes=True,
)
