"""Where the Slack tools may write: the chat being answered, and the channels on the OA_SLACK_POST_CHANNELS list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ToolServiceError

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext

CHANNEL_ID: dict[str, Any] = {
    "type": "string",
    "pattern": "^[CDG][A-Z0-9]{2,20}$",
    "description": "a Slack channel id (C…/G…/D…), as slack_list_channels shows it",
}


def writable_channel(context: ToolContext, channel: str) -> str:
    """`channel` when a tool may post or change it; ToolServiceError naming the allowed ones otherwise."""
    allowed = {context.message.chat_id, *context.ports.post_channels}
    if channel not in allowed:
        listed = ", ".join(sorted(context.ports.post_channels)) or "none"
        raise ToolServiceError(
            f"channel {channel} is not allowed: only this chat ({context.message.chat_id}) and the channels an "
            f"admin allowed ({listed})"
        )
    return channel
