"""Telegram: turn Bot API updates into InboundMessages, and send replies through the Bot API over httpx."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import httpx

from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.adapters.chat_platforms.slack import attachment_kind
from office_assistant.adapters.chat_platforms.telegram_html import to_html
from office_assistant.domain.errors import DeliveryUnknownError, PlatformPostError
from office_assistant.domain.messages import Attachment, InboundMessage, Platform
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.ports import ReplyStream

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org"
MAX_MESSAGE_CHARS = 4096  # sendMessage: "1-4096 characters after entities parsing"
PARSE_ERROR = "can't parse entities"
NOT_MODIFIED = "message is not modified"
# httpx errors raised before the request reached the Bot API: nothing can have been delivered. Any other (a read
# timeout, a dropped connection, a garbled answer) may come after Telegram sent the message.
NOT_SENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.LocalProtocolError,
    httpx.UnsupportedProtocol,
)
_TOKEN_IN_URL = re.compile(r"/bot\d+:[^/\s]+/")  # Bot API tokens are <bot id>:<secret>


def parse_update(update: dict[str, Any], bot_username: str) -> InboundMessage | Ignored:
    """A webhook update → the message to answer, or Ignored with the reason.

    Edits (`edited_message`) are acknowledged and ignored: the original was answered already, and answering each
    typo fix again would repeat the conversation; Slack's `message_changed` is treated the same way.
    """
    if "edited_message" in update:
        return Ignored("edited message: the original was answered")
    message = update.get("message")
    if not isinstance(message, dict):
        kinds = sorted(k for k in update if k != "update_id")
        return Ignored(f"update without a message: {', '.join(kinds) or 'empty'}")
    sender, chat = message.get("from"), message.get("chat")
    if not isinstance(sender, dict) or not isinstance(chat, dict):
        return Ignored("message without a sender or chat")
    if sender.get("is_bot"):
        return Ignored("bot message")
    ids = (message.get("message_id"), message.get("date"), chat.get("id"), sender.get("id"))
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in ids):
        raise ValueError("message_id, date, chat.id and from.id must be integers")
    if not all(isinstance(message.get(k) or "", str) for k in ("text", "caption")):
        raise ValueError("text and caption must be strings")
    text = message.get("text") or message.get("caption") or _sticker_text(message.get("sticker")) or ""
    if text and (origin := _forwarded_from(message)):
        text = f"[Forwarded message from {origin}]:\n{text}"
    attachments = tuple(_attachments(message))
    if not text.strip() and not attachments:
        kinds = sorted(k for k in message if k in TEXTLESS_KINDS)
        return Ignored("no text or media" + (f": {', '.join(kinds)}" if kinds else ""))
    is_direct = chat.get("type") == "private"
    thread_id = message.get("message_thread_id") if message.get("is_topic_message") else None
    return InboundMessage(
        platform=Platform.TELEGRAM,
        event_id=str(update["update_id"]),
        message_id=str(message["message_id"]),
        chat_id=str(chat["id"]),
        user_id=str(sender["id"]),
        user_name=str(sender.get("first_name") or ""),
        text=text,
        ts=float(message["date"]),
        thread_id=str(thread_id) if thread_id is not None else None,
        mentions_bot=is_direct or _mentions(message, bot_username) or _replies_to_bot(message, bot_username),
        is_direct=is_direct,
        attachments=attachments,
    )


# Message field → attachment kind ("": by MIME type) and the MIME type when the update names none.
MEDIA_FIELDS = (
    ("voice", "audio", "audio/ogg"),
    ("audio", "audio", "audio/mpeg"),
    ("video", "video", "video/mp4"),
    ("video_note", "video", "video/mp4"),  # round video messages: always MPEG-4
    ("document", "", ""),
)
# Text-less message kinds that are acknowledged and not answered (a sticker is answered, see _sticker_text).
TEXTLESS_KINDS = frozenset({"location", "venue", "contact", "poll", "dice", "game", "animation", "sticker", "story"})


def _forwarded_from(message: dict[str, Any]) -> str:
    """Who wrote a forwarded message (`forward_origin`: a user, a hidden user, a chat or a channel); "" if none."""
    origin = message.get("forward_origin")
    if not isinstance(origin, dict):
        return ""
    user, chat = origin.get("sender_user"), origin.get("sender_chat") or origin.get("chat")
    if isinstance(user, dict):
        name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    elif isinstance(chat, dict):
        name = str(chat.get("title") or chat.get("username") or "")
    else:
        name = str(origin.get("sender_user_name") or "")
    return name or "someone"


def _sticker_text(sticker: Any) -> str:
    """A sticker as words the model can answer (its emoji): the legacy answered every text-less message, as
    "Smiley"; other text-less kinds (location, contact, poll, dice) are ignored instead."""
    if not isinstance(sticker, dict):
        return ""
    emoji = sticker.get("emoji")
    return f"[sticker {emoji}]" if isinstance(emoji, str) and emoji.strip() else "[sticker]"


def _attachments(message: dict[str, Any]) -> Iterator[Attachment]:
    photos = message.get("photo") or []
    if photos:
        largest = photos[-1]  # PhotoSize array, smallest first
        yield Attachment("image", str(largest["file_id"]), "image/jpeg", "", int(largest.get("file_size") or 0))
    for field, kind, default_mime in MEDIA_FIELDS:
        media = message.get(field)
        if isinstance(media, dict) and media.get("file_id"):
            mime_type = str(media.get("mime_type") or default_mime)
            kind = kind or attachment_kind(mime_type)
            yield Attachment(
                kind,
                str(media["file_id"]),
                mime_type,
                str(media.get("file_name") or ""),
                int(media.get("file_size") or 0),
            )


def _entity_text(text: str, entity: dict[str, Any]) -> str:
    """The entity's slice of `text`; Telegram counts offsets and lengths in UTF-16 code units."""
    utf16 = text.encode("utf-16-le")
    start, length = int(entity.get("offset", 0)), int(entity.get("length", 0))
    return utf16[2 * start : 2 * (start + length)].decode("utf-16-le", errors="replace")


def _mentions(message: dict[str, Any], bot_username: str) -> bool:
    """True when an @mention (or a /command@bot) in the text or caption names this bot."""
    if not bot_username:
        return False
    handle = "@" + bot_username.lstrip("@").lower()
    for text_field, entities_field in (("text", "entities"), ("caption", "caption_entities")):
        text = message.get(text_field) or ""
        for entity in message.get(entities_field) or ():
            kind = entity.get("type")
            value = _entity_text(text, entity).lower()
            if (kind == "mention" and value == handle) or (kind == "bot_command" and value.endswith(handle)):
                return True
    return False


def _replies_to_bot(message: dict[str, Any], bot_username: str) -> bool:
    replied_from = (message.get("reply_to_message") or {}).get("from") or {}
    if not replied_from.get("is_bot"):
        return False
    username = str(replied_from.get("username") or "").lower()
    return not bot_username or username == bot_username.lstrip("@").lower()


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Cut `text` into chunks of at most `limit` characters, at a line break (else a space) where there is one.

    The separator a chunk is cut at is dropped; chunks that would hold only whitespace are left out.
    """
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = _cut_point(window)
        chunks.append(window[:cut])
        rest = rest[cut + 1 :] if cut < limit else rest[limit:]
    chunks.append(rest)
    return [chunk for chunk in chunks if chunk.strip()]


def _cut_point(window: str) -> int:
    """The last line break, else the last space, in the window's second half; else its end (a hard cut)."""
    for separator in ("\n", " "):
        position = window.rfind(separator)
        if position > len(window) // 2:
            return position
    return len(window)


def redact_token(text: str, token: str) -> str:
    """`text` with the bot token removed (it is part of every Bot API URL)."""
    redacted = text.replace(token, "<token>") if token else text
    return _TOKEN_IN_URL.sub("/bot<token>/", redacted)


class _RedactBotTokens(logging.Filter):
    """httpx logs each request URL at INFO; a Bot API URL contains the token, so the filter rewrites it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN_IN_URL.search(message):
            record.msg, record.args = _TOKEN_IN_URL.sub("/bot<token>/", message), None
        return True


def _redact_httpx_logs() -> None:
    """Install the token filter on httpx's logger once per process (it is stateless)."""
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactBotTokens) for f in httpx_logger.filters):
        httpx_logger.addFilter(_RedactBotTokens())


def int_id(value: str) -> int | str:
    return int(value) if value.lstrip("-").isdigit() else value


class TelegramPlatform:
    """ChatPlatform on the Bot API's sendMessage: markdown as Telegram HTML, split at 4096, a reply to the user."""

    def __init__(self, http_client: httpx.Client, token: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http_client
        self._token = token
        self.base_url = base_url.rstrip("/")
        _redact_httpx_logs()

    def __repr__(self) -> str:
        return f"TelegramPlatform(base_url={self.base_url!r})"

    def post_reply(self, message: InboundMessage, text: str) -> PostedReply:
        """Send `text` as one or more messages, the first a reply to `message`; returns the first message's id."""
        ids = [self.send_payload(payload, chunk) for payload, chunk in self.reply_payloads(message, text)]
        return PostedReply(message_id=ids[0], chunks=len(ids))

    def reply_payloads(self, message: InboundMessage, text: str) -> list[tuple[dict[str, Any], str]]:
        """The sendMessage payloads of a reply (HTML, split at 4096, the first a reply), each with its plain text."""
        if not text.strip():
            raise PlatformPostError("refusing to send an empty Telegram message")
        payloads = []
        in_code = False  # a code block cut between chunks is reopened in the next one
        for index, chunk in enumerate(split_text(text)):
            payload: dict[str, Any] = {
                "chat_id": int_id(message.chat_id),
                "text": to_html("```\n" + chunk if in_code else chunk),
                "parse_mode": "HTML",
            }
            in_code ^= sum(1 for line in chunk.split("\n") if line.lstrip().startswith("```")) % 2 == 1
            if index == 0:
                # still accepted next to its successor reply_parameters; sends anyway if the user deleted the message
                payload["reply_to_message_id"] = int_id(message.message_id)
                payload["allow_sending_without_reply"] = True
            if message.thread_id:
                payload["message_thread_id"] = int_id(message.thread_id)
            payloads.append((payload, chunk))
        return payloads

    def open_stream(self, message: InboundMessage) -> ReplyStream:
        """A draft (sendMessageDraft) in a private chat; in a group, a posted message edited as text arrives."""
        from office_assistant.adapters.chat_platforms.telegram_stream import TelegramDraftStream, TelegramEditStream

        if message.is_direct:
            return TelegramDraftStream(self, message)
        return TelegramEditStream(self, message)

    def send_file(
        self, message: InboundMessage, filename: str, data: bytes, title: str, content_type: str
    ) -> PostedReply:
        """sendDocument: the file as a reply to `message`, `title` as its caption."""
        return self._upload("sendDocument", "document", message, (filename, data, content_type), {"caption": title})

    def send_audio(self, message: InboundMessage, filename: str, data: bytes, title: str) -> PostedReply:
        """sendAudio: an MP3 Telegram shows in its player, as a reply to `message` (sendVoice wants OGG/Opus)."""
        return self._upload("sendAudio", "audio", message, (filename, data, "audio/mpeg"), {"title": title})

    def _upload(
        self,
        method: str,
        field: str,
        message: InboundMessage,
        file: tuple[str, bytes, str],
        extra: dict[str, str],
    ) -> PostedReply:
        fields = {
            "chat_id": message.chat_id,
            "reply_to_message_id": message.message_id,
            "allow_sending_without_reply": "true",
            **extra,
        }
        if message.thread_id:
            fields["message_thread_id"] = message.thread_id
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            response = self.http.post(url, data=fields, files={field: file})
            answer = response.json()
        except httpx.HTTPError as exc:
            detail = redact_token(f"{type(exc).__name__}: {exc}", self._token)
            error = PlatformPostError if isinstance(exc, NOT_SENT_ERRORS) else DeliveryUnknownError
            raise error(f"Telegram {method} could not be sent: {detail}") from None
        except ValueError:
            answer = {}
        result = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(result, dict) or "message_id" not in result:
            description = answer.get("description", "") if isinstance(answer, dict) else ""
            refused = 400 <= response.status_code < 500 and isinstance(answer, dict) and answer.get("ok") is False
            error = PlatformPostError if refused else DeliveryUnknownError  # a 5xx or a garbled answer may be late
            raise error(f"Telegram {method} to {message.chat_id} failed: HTTP {response.status_code} {description}")
        return PostedReply(message_id=str(result["message_id"]))

    def show_typing(self, message: InboundMessage) -> None:
        """sendChatAction "typing": Telegram shows it for 5 s or until the bot's next message."""
        payload: dict[str, Any] = {"chat_id": int_id(message.chat_id), "action": "typing"}
        if message.thread_id:
            payload["message_thread_id"] = int_id(message.thread_id)
        try:
            status, answer = self.call_api("sendChatAction", payload)
        except PlatformPostError as exc:
            logger.info("Telegram sendChatAction failed: %s", exc)
            return
        if not answer.get("ok"):
            logger.info("Telegram sendChatAction refused: HTTP %s %s", status, answer.get("description", ""))

    def clear_typing(self, message: InboundMessage) -> None:
        """Nothing to do: the typing status ends with the reply or after 5 s."""

    def send_payload(self, payload: dict[str, Any], plain_text: str, method: str = "sendMessage") -> str:
        """sendMessage (or editMessageText) with HTML, retried as plain text when Telegram cannot parse it; the id."""
        status, answer = self.call_api(method, payload)
        if status == 400 and PARSE_ERROR in str(answer.get("description", "")):
            logger.warning("Telegram could not parse the HTML reply; sending it as plain text")
            plain = {k: v for k, v in payload.items() if k != "parse_mode"} | {"text": plain_text}
            status, answer = self.call_api(method, plain)
        if method == "editMessageText" and status == 400 and NOT_MODIFIED in str(answer.get("description", "")):
            return str(payload["message_id"])  # the edit asked for the text the message already has
        result = answer.get("result")
        if not answer.get("ok") or not isinstance(result, dict) or "message_id" not in result:
            raise PlatformPostError(
                f"Telegram {method} to {payload['chat_id']} failed: HTTP {status} "
                f"{answer.get('error_code', '')} {answer.get('description', '')}".rstrip()
            )
        return str(result["message_id"])

    def call_api(self, method: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST one Bot API method; (HTTP status, answer). Raises PlatformPostError when nothing comes back."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            response = self.http.post(url, json=payload)
        except httpx.HTTPError as exc:
            detail = redact_token(f"{type(exc).__name__}: {exc}", self._token)
            raise PlatformPostError(f"Telegram {method} could not be sent: {detail}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        return response.status_code, answer
