"""Telegram replies shown while they are written: a draft in private chats, an edited message in groups.

Private chats get `sendMessageDraft` (Bot API 9.3): an ephemeral preview that the final `sendMessage` replaces
(Telegram drops a draft after 30 s, so an abandoned one cannot linger). Groups have no drafts: the first words are
posted as a message, edited with `editMessageText` at most about once a second (Telegram's per-chat pace), and the
final edit gives it today's HTML; a reply over 4096 characters continues in further messages as `post_reply`'s.
Previews are plain text: half-written markdown is not valid HTML.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from office_assistant.adapters.chat_platforms.telegram import MAX_MESSAGE_CHARS, int_id
from office_assistant.domain.errors import PlatformPostError
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.adapters.chat_platforms.telegram import TelegramPlatform
    from office_assistant.domain.messages import InboundMessage

logger = logging.getLogger(__name__)

DRAFT_INTERVAL_S = 0.3  # drafts are made for streaming; this only batches tokens
EDIT_INTERVAL_S = 1.0  # "at most about one edit a second" in groups


def _preview(text: str) -> str:
    """What a preview can show: at most one message's characters (the rest appears with the final reply)."""
    return text[:MAX_MESSAGE_CHARS]


def _with_notice(text: str, notice: str) -> str:
    """The text shown so far, cut to leave room for `notice` after it."""
    return f"{text[: MAX_MESSAGE_CHARS - len(notice) - 2]}\n\n{notice}"


class _PacedStream:
    """Collects the text and calls `_show` with all of it, the first time at once, then at most every interval."""

    interval_s: float

    def __init__(self, platform: TelegramPlatform, message: InboundMessage, clock: Callable[[], float]) -> None:
        self.platform = platform
        self.message = message
        self._clock = clock
        self._text = ""
        self._last_shown = float("-inf")
        self._broken = False

    def append(self, text: str) -> None:
        self._text += text
        if self._broken or not self._text.strip() or self._clock() - self._last_shown < self.interval_s:
            return
        try:
            self._show(_preview(self._text))
        except PlatformPostError as exc:
            logger.warning("Telegram preview failed; the reply is finished without it: %s", exc)
            self._broken = True
            return
        self._last_shown = self._clock()

    def _show(self, text: str) -> None:
        raise NotImplementedError

    def _thread(self, payload: dict[str, Any]) -> dict[str, Any]:
        if self.message.thread_id:
            payload["message_thread_id"] = int_id(self.message.thread_id)
        return payload


class TelegramDraftStream(_PacedStream):
    """ReplyStream on sendMessageDraft, finished by an ordinary sendMessage reply."""

    interval_s = DRAFT_INTERVAL_S

    def __init__(
        self, platform: TelegramPlatform, message: InboundMessage, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(platform, message, clock)
        # Non-zero and the same for every update of this reply, so Telegram animates one draft.
        self.draft_id = (int(message.message_id) if message.message_id.isdigit() else 0) % 2_147_483_647 or 1

    def _show(self, text: str) -> None:
        self._draft(text)

    def _draft(self, text: str) -> None:
        payload = self._thread({"chat_id": int_id(self.message.chat_id), "draft_id": self.draft_id, "text": text})
        status, answer = self.platform.call_api("sendMessageDraft", payload)
        if not answer.get("ok"):
            raise PlatformPostError(f"Telegram sendMessageDraft failed: HTTP {status} {answer.get('description', '')}")

    def finish(self, text: str) -> PostedReply:
        return self.platform.post_reply(self.message, text)

    def abort(self, notice: str) -> None:
        if self._last_shown == float("-inf"):
            return
        try:
            self._draft(_with_notice(self._text, notice))
        except PlatformPostError as exc:
            logger.info("Telegram interrupted draft not marked (it expires by itself): %s", exc)


class TelegramEditStream(_PacedStream):
    """ReplyStream on a posted message edited as the text grows; the final edit carries the HTML reply."""

    interval_s = EDIT_INTERVAL_S

    def __init__(
        self, platform: TelegramPlatform, message: InboundMessage, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(platform, message, clock)
        self.message_id: str | None = None

    def _show(self, text: str) -> None:
        if self.message_id is None:
            payload = self._thread(
                {
                    "chat_id": int_id(self.message.chat_id),
                    "text": text,
                    "reply_to_message_id": int_id(self.message.message_id),
                    "allow_sending_without_reply": True,
                }
            )
            self.message_id = self.platform.send_payload(payload, text)
        else:
            self._edit({"text": text}, text)

    def _edit(self, fields: dict[str, Any], plain_text: str) -> str:
        assert self.message_id is not None
        payload = {"chat_id": int_id(self.message.chat_id), "message_id": int_id(self.message_id)} | fields
        return self.platform.send_payload(payload, plain_text, method="editMessageText")

    def finish(self, text: str) -> PostedReply:
        if self.message_id is None:
            return self.platform.post_reply(self.message, text)
        (first, first_plain), *rest = self.platform.reply_payloads(self.message, text)
        self._edit({"text": first["text"], "parse_mode": first["parse_mode"]}, first_plain)
        for payload, plain in rest:
            self.platform.send_payload(payload, plain)
        return PostedReply(message_id=self.message_id, chunks=1 + len(rest))

    def abort(self, notice: str) -> None:
        if self.message_id is None:
            return
        try:
            self._edit({"text": _with_notice(self._text, notice)}, notice)
        except PlatformPostError as exc:
            logger.warning("Telegram interrupted reply could not be marked: %s", exc)
