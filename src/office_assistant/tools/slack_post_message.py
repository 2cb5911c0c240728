"""slack_post_message: post to this chat or an allowed channel, once per message (legacy send_slack_message
could post anywhere)."""

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
    channel, text = writable_channel(context, arguments["channel"]), arguments["text"]
    return once(
        context, "slack_post", [channel, text], lambda: {"channel": channel, "ts": workspace.post(channel, text)}
    )


TOOL = ToolSpec(
    name="slack_post_message",
    description=(
        "Post a message to a Slack channel: this chat, or one of the channels an admin allowed. Your answer is "
        "posted here anyway; use this only to tell another channel something."
    ),
    parameters=object_schema(
        {"channel": CHANNEL_ID, "text": {"type": "string", "minLength": 1, "maxLength": 4000}},
        required=("channel", "text"),
    ),
    run=_run,
    platforms=SLACK_ONLY,
    requires=("workspace",),
    replaces=("send_slack_message",),
    writes=True,
)
