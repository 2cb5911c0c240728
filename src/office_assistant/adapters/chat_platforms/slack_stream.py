"""A Slack reply streamed in its thread with slack_sdk's ChatStream, then set to today's mrkdwn blocks.

ChatStream sends chat.startStream on the first flush, chat.appendStream after, chat.stopStream at the end. We
flush at most every `interval_s` (the first words at once), so a long answer costs a few calls, not one per token.
Once stopped, chat.update gives the message the same text and blocks a non-streamed reply gets, and a reply longer
than one message continues in the thread as `post_reply` does.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackClientError

from office_assistant.adapters.chat_platforms.slack_mrkdwn import to_messages, to_mrkdwn
from office_assistant.domain.errors import PlatformPostError
from office_assistant.ports import PostedReply

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_sdk import WebClient
    from slack_sdk.web.chat_stream import ChatStream

    from office_assistant.domain.messages import InboundMessage

logger = logging.getLogger(__name__)

APPEND_INTERVAL_S = 0.5  # chat.appendStream is rate limited per message; two calls a second stay well inside it


class SlackReplyStream:
    """ReplyStream on chat.startStream / appendStream / stopStream in the reply thread `thread_ts`."""

    def __init__(
        self,
        client: WebClient,
        message: InboundMessage,
        thread_ts: str,
        team_id: str | None,
        fallback_post: Callable[[InboundMessage, str], PostedReply],
        interval_s: float = APPEND_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.message = message
        self.thread_ts = thread_ts
        self.team_id = team_id
        self._fallback_post = fallback_post
        self.interval_s = interval_s
        self._clock = clock
        self._streamer: ChatStream | None = None
        self._pending = ""
        self._shown = ""
        self._last_flush = float("-inf")
        self._broken = False

    def append(self, text: str) -> None:
        if self._broken:
            return
        self._pending += text
        if self._clock() - self._last_flush >= self.interval_s:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        try:
            if self._streamer is None:
                # buffer_size=1: ChatStream sends every append; the pacing is ours.
                self._streamer = self.client.chat_stream(
                    channel=self.message.chat_id,
                    thread_ts=self.thread_ts,
                    recipient_user_id=self.message.user_id,
                    recipient_team_id=self.team_id,
                    buffer_size=1,
                )
            self._streamer.append(markdown_text=self._pending)
        except (SlackClientError, OSError) as exc:
            logger.warning("Slack stream append failed; the reply is finished without it: %s", type(exc).__name__)
            self._broken = True
            return
        self._shown += self._pending
        self._pending = ""
        self._last_flush = self._clock()

    @property
    def _ts(self) -> str | None:
        return self._streamer.ts if self._streamer is not None else None

    def finish(self, text: str) -> PostedReply:
        ts = self._ts
        if ts is None:
            return self._fallback_post(self.message, text)  # nothing reached Slack: an ordinary reply
        self._stop()
        parts = to_messages(to_mrkdwn(text))
        (fallback, blocks), rest = parts[0], parts[1:]
        try:
            self.client.chat_update(channel=self.message.chat_id, ts=ts, text=fallback, blocks=blocks)
            for more_fallback, more_blocks in rest:
                self.client.chat_postMessage(
                    channel=self.message.chat_id, text=more_fallback, blocks=more_blocks, thread_ts=self.thread_ts
                )
        except (SlackClientError, OSError) as exc:
            raise PlatformPostError(f"Slack streamed reply in {self.message.chat_id} not finished: {exc}") from exc
        logger.info("finished Slack streamed reply", extra={"channel": self.message.chat_id, "ts": ts})
        return PostedReply(message_id=ts, chunks=len(parts))

    def _stop(self) -> None:
        """chat.stopStream; a stream Slack already closed (it expires) is updated all the same."""
        if self._streamer is None:
            return
        try:
            self._streamer.stop()
        except (SlackClientError, OSError) as exc:
            logger.info("Slack chat.stopStream failed: %s", type(exc).__name__)

    def abort(self, notice: str) -> None:
        ts = self._ts
        if ts is None:
            return
        self._stop()
        try:
            text = f"{self._shown}\n\n_{notice}_" if self._shown.strip() else notice
            self.client.chat_update(channel=self.message.chat_id, ts=ts, text=text)
        except (SlackClientError, OSError) as exc:
            logger.warning("Slack interrupted stream could not be marked: %s", type(exc).__name__)
