"""Slack: turn Events API deliveries into InboundMessages, and post replies with slack_sdk's WebClient."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackClientError

from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from slack_sdk import WebClient

logger = logging.getLogger(__name__)

# Message subtypes that carry a user's words; every other subtype (edits, deletions, joins, bot posts) is ignored.
ANSWERED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def parse_event(body: dict[str, Any], bot_user_id: str) -> InboundMessage | Ignored:
    """An `event_callback` body → the message to answer, or Ignored with the reason."""
    event = body.get("event")
    if body.get("type") != "event_callback" or not isinstance(event, dict):
        return Ignored(f"not an event callback: {body.get('type')!r}")
    event_type = event.get("type")
    if event_type not in {"message", "app_mention"}:
        return Ignored(f"event type {event_type!r}")
    subtype = event.get("subtype")
    if event.get("bot_id") or subtype == "bot_message":
        return Ignored("bot message")
    if subtype not in ANSWERED_SUBTYPES:
        return Ignored(f"message subtype {subtype!r}")
    user, channel, ts, event_id = event.get("user"), event.get("channel"), event.get("ts"), body.get("event_id")
    if not user:
        return Ignored("no user")
    if not (channel and ts and event_id):
        return Ignored("missing channel, ts or event_id")
    text = event.get("text") or ""
    attachments = tuple(
        _attachment(f) for f in event.get("files") or () if isinstance(f, dict) and f.get("url_private")
    )
    if not text.strip() and not attachments:
        return Ignored("no text or files")
    is_direct = event.get("channel_type") == "im"
    mentioned = event_type == "app_mention" or (bool(bot_user_id) and f"<@{bot_user_id}>" in text)
    return InboundMessage(
        platform=Platform.SLACK,
        event_id=str(event_id),
        message_id=str(ts),
        chat_id=str(channel),
        user_id=str(user),
        user_name=str(user),  # a later issue resolves display names through users.info
        text=text,
        ts=float(ts),
        thread_id=event.get("thread_ts") or None,
        mentions_bot=mentioned or is_direct,
        is_direct=is_direct,
        attachments=attachments,
    )


def _attachment(file: dict[str, Any]) -> Attachment:
    mime_type = str(file.get("mimetype") or "")
    return Attachment(
        kind=attachment_kind(mime_type),
        ref=str(file["url_private"]),
        mime_type=mime_type,
        name=str(file.get("name") or ""),
        size=int(file.get("size") or 0),
    )


def attachment_kind(mime_type: str) -> str:
    """image/* → image, audio/* → audio, anything else → document."""
    major = mime_type.partition("/")[0]
    return major if major in {"image", "audio"} else "document"


def reply_thread_ts(message: InboundMessage) -> str | None:
    """Answer in the user's thread; start one under a channel mention; answer at top level otherwise."""
    if message.thread_id:
        return message.thread_id
    if message.mentions_bot and not message.is_direct:
        return message.message_id
    return None


def escape_text(text: str) -> str:
    """Escape the three characters Slack treats as control sequences, so a reply cannot ping <!channel> or users."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackPlatform:
    """ChatPlatform on Slack's Web API (`chat.postMessage`), through a ready-made WebClient."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post_reply(self, message: InboundMessage, text: str) -> PostedReply:
        """Post `text` in the message's channel (and thread); returns the posted message's ts."""
        thread_ts = reply_thread_ts(message)
        try:
            response = self.client.chat_postMessage(
                channel=message.chat_id, text=escape_text(text), thread_ts=thread_ts
            )
        except (SlackClientError, OSError) as exc:
            raise PlatformPostError(f"Slack chat.postMessage to {message.chat_id} failed: {exc}") from exc
        ts = response.get("ts")
        if not ts:
            raise PlatformPostError(f"Slack chat.postMessage to {message.chat_id} answered without a ts")
        logger.info("posted Slack reply", extra={"channel": message.chat_id, "thread_ts": thread_ts, "ts": ts})
        return PostedReply(message_id=str(ts))
