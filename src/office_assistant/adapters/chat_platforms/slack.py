"""Slack: turn Events API deliveries into InboundMessages, and post replies with slack_sdk's WebClient."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackClientError

from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.adapters.chat_platforms.slack_mrkdwn import escape_text, to_messages, to_mrkdwn
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from office_assistant.adapters.chat_platforms.slack_stream import SlackReplyStream

logger = logging.getLogger(__name__)

# Message subtypes that carry a user's words; every other subtype (edits, deletions, joins, bot posts) is ignored.
ANSWERED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
WORKING_REACTION = "eyes"

__all__ = ["SlackPlatform", "attachment_kind", "escape_text", "parse_event", "reply_thread_ts"]


def parse_event(body: dict[str, Any], bot_user_id: str) -> InboundMessage | Ignored:
    """An `event_callback` body → the message to answer, or Ignored with the reason."""
    event = body.get("event")
    if body.get("type") != "event_callback" or not isinstance(event, dict):
        return Ignored(f"not an event callback: {body.get('type')!r}")
    event_type = event.get("type")
    if reason := _not_a_user_message(event, bot_user_id):
        return Ignored(reason)
    user, channel, ts, event_id = event.get("user"), event.get("channel"), event.get("ts"), body.get("event_id")
    if not (channel and ts and event_id):
        return Ignored("missing channel, ts or event_id")
    if not all(isinstance(v, str) for v in (user, channel, ts, event_id)) or not isinstance(event.get("text", ""), str):
        raise ValueError("user, channel, ts, event_id and text must be strings")
    text = event.get("text") or ""
    files = event.get("files") or []
    if not isinstance(files, list):
        raise ValueError("files must be a list")
    attachments = tuple(_attachment(f) for f in files if isinstance(f, dict) and isinstance(f.get("url_private"), str))
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
        thread_id=_thread_ts(event.get("thread_ts")),
        mentions_bot=mentioned or is_direct,
        is_direct=is_direct,
        attachments=attachments,
    )


def _not_a_user_message(event: dict[str, Any], bot_user_id: str) -> str | None:
    """Why an event is not a user's message to answer (other event types, edits, joins, bots), or None."""
    event_type, subtype = event.get("type"), event.get("subtype")
    if event_type not in {"message", "app_mention"}:
        return f"event type {str(event_type)[:40]!r}"
    if event.get("bot_id") or subtype == "bot_message":
        return "bot message"
    if subtype not in ANSWERED_SUBTYPES:
        return f"message subtype {str(subtype)[:40]!r}"
    if not event.get("user"):
        return "no user"
    if bot_user_id and event.get("user") == bot_user_id:
        return "bot message"
    return None


def _thread_ts(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("thread_ts must be a string")
    float(value)
    return value


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


class SlackPlatform:
    """ChatPlatform on Slack's Web API (`chat.postMessage`), through a ready-made WebClient."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._team_id: str | None = None

    def open_stream(self, message: InboundMessage) -> SlackReplyStream | None:
        """A chat stream for a reply that goes to a thread (Slack streams only thread replies); else None."""
        from office_assistant.adapters.chat_platforms.slack_stream import SlackReplyStream

        thread_ts = reply_thread_ts(message)
        if thread_ts is None:
            return None
        return SlackReplyStream(self.client, message, thread_ts, self._team(), self.post_reply)

    def _team(self) -> str | None:
        """The workspace id a channel stream needs as `recipient_team_id` (auth.test, once per warm container)."""
        if self._team_id is None:
            try:
                self._team_id = str(self.client.auth_test().get("team_id") or "") or None
            except (SlackClientError, OSError) as exc:
                logger.info("Slack auth.test failed: %s", type(exc).__name__)
        return self._team_id

    def post_reply(self, message: InboundMessage, text: str) -> PostedReply:
        """Post `text` (markdown → mrkdwn blocks) in the message's channel and thread; returns the first ts.

        A reply longer than one message's 50 blocks continues in further messages in the same place.
        """
        thread_ts = reply_thread_ts(message)
        ids = []
        for fallback, blocks in to_messages(to_mrkdwn(text)):
            try:
                response = self.client.chat_postMessage(
                    channel=message.chat_id, text=fallback, blocks=blocks, thread_ts=thread_ts
                )
            except (SlackClientError, OSError) as exc:
                raise PlatformPostError(f"Slack chat.postMessage to {message.chat_id} failed: {exc}") from exc
            ts = response.get("ts")
            if not ts:
                raise PlatformPostError(f"Slack chat.postMessage to {message.chat_id} answered without a ts")
            ids.append(str(ts))
        logger.info("posted Slack reply", extra={"channel": message.chat_id, "thread_ts": thread_ts, "ts": ids[0]})
        return PostedReply(message_id=ids[0], chunks=len(ids))

    def show_typing(self, message: InboundMessage) -> None:
        """A 👀 reaction on the user's message: Slack has no typing indicator for bots outside assistant threads.

        Unlike the legacy's "Thinking..." post, a reaction left behind by a frozen function is harmless.
        """
        self._reaction("reactions_add", message)

    def clear_typing(self, message: InboundMessage) -> None:
        self._reaction("reactions_remove", message)

    def _reaction(self, method: str, message: InboundMessage) -> None:
        try:
            getattr(self.client, method)(channel=message.chat_id, timestamp=message.message_id, name=WORKING_REACTION)
        except (SlackClientError, OSError) as exc:
            logger.info("Slack %s failed: %s", method, type(exc).__name__)
