"""Slack: turn Events API deliveries into InboundMessages, and post replies with slack_sdk's WebClient."""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackClientError

from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.adapters.chat_platforms.slack_mrkdwn import escape_text, to_messages, to_mrkdwn
from office_assistant.domain.errors import DeliveryUnknownError, PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from office_assistant.adapters.chat_platforms.slack_stream import SlackReplyStream

logger = logging.getLogger(__name__)

# Message subtypes that carry a user's words; every other subtype (edits, deletions, joins, bot posts) is ignored.
ANSWERED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
WORKING_REACTION = "eyes"
MAX_SHARES = 5  # forwarded messages read per event
MAX_SHARE_CHARS = 4000
MAX_BLOCK_DEPTH = 8

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
    if not math.isfinite(float(ts)):
        raise ValueError("ts must be a finite number")
    text = "\n\n".join(part for part in (event.get("text") or "", *shared_messages(event)) if part.strip())
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


def shared_messages(event: dict[str, Any]) -> list[str]:
    """The forwarded or shared messages in an event's `attachments`, each as `[Forwarded message from X]: …`.

    Their text, else the words of their message blocks, else their fallback; the author as a `<@U…>` mention
    when only the id is known (the Route step turns it into a name). Link previews (no `is_share`) are left out:
    their URL is in the text already.
    """
    attachments = event.get("attachments") or []
    if not isinstance(attachments, list):
        raise ValueError("attachments must be a list")
    shared = []
    for item in attachments[:MAX_SHARES]:
        if not isinstance(item, dict) or not (item.get("is_share") or item.get("is_msg_unfurl")):
            continue
        body = _first_text(item.get("text"), _blocks_text(item.get("message_blocks")), item.get("fallback"))
        if not body:
            continue
        author_id = item.get("author_id")
        author = _first_text(
            item.get("author_subname"),
            item.get("author_name"),
            f"<@{author_id}>" if isinstance(author_id, str) and author_id else None,
        )
        heading = f"[Forwarded message from {author}]" if author else "[Forwarded message]"
        shared.append(f"{heading}:\n{body[:MAX_SHARE_CHARS]}")
    return shared


def _first_text(*candidates: Any) -> str:
    return next((c.strip() for c in candidates if isinstance(c, str) and c.strip()), "")


def _blocks_text(message_blocks: Any) -> str:
    """The words of a share's `message_blocks` (rich_text elements, section texts), lines kept apart."""
    if not isinstance(message_blocks, list):
        return ""
    lines: list[str] = []
    for entry in message_blocks:
        message = entry.get("message") if isinstance(entry, dict) else None
        blocks = message.get("blocks") if isinstance(message, dict) else None
        for block in blocks if isinstance(blocks, list) else ():
            lines.append(_element_text(block, depth=0))
    return "\n".join(line for line in lines if line.strip())


def _element_text(element: Any, depth: int) -> str:
    if not isinstance(element, dict) or depth > MAX_BLOCK_DEPTH:
        return ""
    kind = element.get("type")
    if kind in {"text", "mrkdwn", "plain_text"}:
        return str(element.get("text") or "")
    if kind == "link":
        return str(element.get("text") or element.get("url") or "")
    if kind == "user":
        return f"<@{element.get('user_id', '')}>"
    if kind == "emoji":
        return f":{element.get('name', '')}:"
    if isinstance(element.get("text"), dict):
        return _element_text(element["text"], depth + 1)
    children = element.get("elements")
    if not isinstance(children, list):
        return ""
    separator = "\n" if kind in {"rich_text", "rich_text_list"} else ""
    return separator.join(_element_text(child, depth + 1) for child in children)


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
    if not math.isfinite(float(value)):
        raise ValueError("thread_ts must be a finite number")
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
    """image/* → image, audio/* → audio, video/* → video (its sound is transcribed), anything else → document."""
    major = mime_type.partition("/")[0]
    return major if major in {"image", "audio", "video"} else "document"


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

    def send_file(
        self, message: InboundMessage, filename: str, data: bytes, title: str, content_type: str
    ) -> PostedReply:
        """Share a file in the message's channel and thread through Slack's external upload flow
        (files.getUploadURLExternal, the upload, files.completeUploadExternal: the steps of slack_sdk's
        `files_upload_v2`, taken one by one so that a failure can be placed).

        Until the file is uploaded, nothing can have been shared: a failure raises PlatformPostError. When
        completeUploadExternal fails, files.info tells whether the file is in the channel after all (a lost
        answer: the reply is delivered); raises DeliveryUnknownError when that cannot be ruled out. Slack infers
        the type from the file itself, so `content_type` is not sent. Needs the `files:write` scope.
        """
        thread_ts = reply_thread_ts(message)
        try:
            ticket = self.client.files_getUploadURLExternal(filename=filename, length=len(data))
            file_id, upload_url = str(ticket["file_id"]), str(ticket["upload_url"])
            uploaded = self.client._upload_file(  # the upload step of files_upload_v2, with the client's settings
                url=upload_url,
                data=data,
                logger=logger,
                timeout=self.client.timeout,
                proxy=self.client.proxy,
                ssl=self.client.ssl,
            )
        except (SlackClientError, OSError, KeyError) as exc:
            raise PlatformPostError(f"Slack file upload to {message.chat_id} failed: {exc}") from exc
        if uploaded.status != 200:
            raise PlatformPostError(f"Slack file upload to {message.chat_id} failed: HTTP {uploaded.status}")
        try:
            self.client.files_completeUploadExternal(
                files=[{"id": file_id, "title": title}], channel_id=message.chat_id, thread_ts=thread_ts
            )
        except (SlackClientError, OSError) as exc:
            self._shared_after_all(message, file_id, exc)
        logger.info("shared Slack file", extra={"channel": message.chat_id, "thread_ts": thread_ts, "file": file_id})
        return PostedReply(message_id=file_id)

    def _shared_after_all(self, message: InboundMessage, file_id: str, failure: Exception) -> None:
        """Return if files.info shows `file_id` shared in the message's channel; else raise, DeliveryUnknownError
        unless Slack itself answered that it did not share the file (an `ok: false` with a client error)."""
        try:
            file: dict[str, Any] = self.client.files_info(file=file_id).get("file") or {}
            shares: dict[str, Any] = file.get("shares") or {}
        except (SlackClientError, OSError) as exc:
            raise DeliveryUnknownError(f"Slack file {file_id} may be shared ({failure}); files.info: {exc}") from exc
        if any(message.chat_id in (by_channel or {}) for by_channel in shares.values()):
            logger.info("Slack file shared although its completion failed", extra={"file": file_id})
            return
        response = getattr(failure, "response", None)
        if response is not None and response.status_code < 500 and response.get("ok") is False:
            raise PlatformPostError(f"Slack did not share file {file_id} in {message.chat_id}: {failure}") from failure
        raise DeliveryUnknownError(f"Slack file {file_id} may still be shared in {message.chat_id}: {failure}")

    def send_audio(self, message: InboundMessage, filename: str, data: bytes, title: str) -> PostedReply:
        """Spoken audio as an MP3 file in the message's channel and thread (Slack plays it inline)."""
        return self.send_file(message, filename, data, title, "audio/mpeg")

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
