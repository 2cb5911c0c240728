"""Streamed replies: the model's first words reach the user while it is still writing, once per message.

Respond hands the model's text to a `StreamedReply`. The platform stream is opened on the first words, and only
after a claim in the state table: a Respond that runs again for the same message (an ASL retry after a failed
post, a duplicate execution) finds the claim taken and posts its reply the ordinary way, so no message ever gets a
second stream. A stream the first run could not finish is ended by it with a notice (`abort`) before it raises.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import ChatPlatform, PostedReply, ReplyStream, StateTable, StreamingPlatform

logger = logging.getLogger(__name__)

STREAM_CLAIM_TTL_S = 48 * 3600  # as long as Respond's idempotency records
INTERRUPTED = "(This answer was interrupted before it was finished; the complete answer follows.)"


def stream_claim_key(message: InboundMessage) -> str:
    return f"reply-stream:{message.platform.value}:{message.chat_id}:{message.message_id}"


class StreamedReply:
    """Where one message's reply is written: a platform stream opened on the first text, or a post at the end."""

    def __init__(self, opener: Callable[[], ReplyStream | None] | None = None) -> None:
        self._opener = opener
        self._stream: ReplyStream | None = None
        self._opened = False

    @property
    def on_text(self) -> Callable[[str], None] | None:
        """The callback for the model's text; None when this reply is not streamed (no model streaming then)."""
        return self._append if self._opener is not None else None

    @property
    def streaming(self) -> bool:
        return self._stream is not None

    def _append(self, text: str) -> None:
        if not self._opened:
            if not text.strip():
                return  # nothing visible yet: do not open a stream for whitespace
            self._opened = True
            assert self._opener is not None
            self._stream = self._opener()
        if self._stream is not None:
            self._stream.append(text)

    def deliver(self, platform: ChatPlatform, message: InboundMessage, text: str) -> PostedReply:
        """The final reply: it replaces the stream where one was opened, else it is posted; raises PlatformPostError."""
        if self._stream is not None:
            return self._stream.finish(text)
        return platform.post_reply(message, text)

    def interrupt(self, notice: str = INTERRUPTED) -> None:
        """End an open stream with `notice` (the run is failing); a no-op when nothing was streamed."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort(notice)


class ReplyStreams:
    """Opens reply streams on the platforms that have them, at most once per message (claimed in the state table)."""

    def __init__(
        self, platforms: Mapping[str, StreamingPlatform], claims: StateTable, ttl_s: int = STREAM_CLAIM_TTL_S
    ) -> None:
        self.platforms = dict(platforms)
        self.claims = claims
        self.ttl_s = ttl_s

    def reply_for(self, message: InboundMessage) -> StreamedReply:
        platform = self.platforms.get(message.platform.value)
        if platform is None:
            return StreamedReply()
        return StreamedReply(lambda: self._open(platform, message))

    def _open(self, platform: StreamingPlatform, message: InboundMessage) -> ReplyStream | None:
        stream = platform.open_stream(message)
        if stream is None:
            return None
        try:
            claimed = self.claims.claim(stream_claim_key(message), self.ttl_s)
        except Exception:
            logger.warning("stream claim failed; posting the reply unstreamed", exc_info=True)
            return None
        if not claimed:
            logger.info("reply already streamed once for this message; posting it unstreamed")
            return None
        return stream
