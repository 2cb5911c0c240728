"""Replies to a source without a chat of its own (email) posted into one Slack channel, as the legacy notified it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from office_assistant.adapters.chat_platforms.slack import SlackPlatform
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import PostedReply


class SlackChannelPlatform:
    """ChatPlatform that posts every reply at the top level of `channel` through a SlackPlatform."""

    def __init__(self, slack: SlackPlatform, channel: str) -> None:
        self.slack = slack
        self.channel = channel

    def _in_channel(self, message: InboundMessage) -> InboundMessage:
        # direct, unthreaded: reply_thread_ts gives None, so each email gets its own top-level post
        return replace(message, chat_id=self.channel, thread_id=None, is_direct=True)

    def post_reply(self, message: InboundMessage, text: str) -> PostedReply:
        return self.slack.post_reply(self._in_channel(message), text)

    def send_file(
        self, message: InboundMessage, filename: str, data: bytes, title: str, content_type: str
    ) -> PostedReply:
        return self.slack.send_file(self._in_channel(message), filename, data, title, content_type)

    def send_audio(self, message: InboundMessage, filename: str, data: bytes, title: str) -> PostedReply:
        return self.slack.send_audio(self._in_channel(message), filename, data, title)

    def show_typing(self, message: InboundMessage) -> None:
        """Nothing to show: the email's sender is not in the channel, and there is no user message to react to."""

    def clear_typing(self, message: InboundMessage) -> None:
        """Nothing was shown."""
