"""Respond step: mute gate, persist the user message, build the conversation, call the model, post, persist."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from office_assistant.domain.conversation import build_conversation
from office_assistant.domain.errors import ChatModelError, EmbeddingError, PlatformPostError
from office_assistant.domain.messages import Role, StoredMessage
from office_assistant.domain.outcome import Outcome
from office_assistant.services.reply_stream import StreamedReply
from office_assistant.services.tool_loop import complete_with_tools
from office_assistant.tools.toolset import ToolCallRecord

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from office_assistant.domain.context import GatheredContext
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import (
        ChatModel,
        ChatPlatform,
        Embedder,
        ExactlyOnce,
        MediaBucket,
        MessageStore,
        Platforms,
        PostedReply,
        Summarizer,
    )
    from office_assistant.services.pii import PiiPolicy
    from office_assistant.services.reply_stream import ReplyStreams
    from office_assistant.services.voice_reply import VoiceReplies
    from office_assistant.tools.toolbox import Toolbox

logger = logging.getLogger(__name__)

APOLOGY = "Sorry, I could not produce an answer just now. Your message is saved; please try again in a moment."
SUMMARY_SENTENCES = 5  # per older message, as the legacy summarised


@dataclass(frozen=True)
class Response:
    replied: bool
    outcome: Outcome
    route: str
    reply_text: str | None = None
    reply_message_id: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tool_calls: tuple[ToolCallRecord, ...] = ()

    def __post_init__(self) -> None:
        # An idempotency record replays the Response from JSON, where each call is a plain dict again.
        calls: tuple[Any, ...] = tuple(self.tool_calls)
        object.__setattr__(
            self, "tool_calls", tuple(c if isinstance(c, ToolCallRecord) else ToolCallRecord(**c) for c in calls)
        )


class RespondService:
    def __init__(
        self,
        store: MessageStore,
        embedder: Embedder,
        chat_model: ChatModel,
        platforms: Platforms,
        summarizer: Summarizer,
        book: RouteBook,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        media_bucket: MediaBucket | None = None,
        send_images: bool = False,
        toolbox: Toolbox | None = None,
        pii: PiiPolicy | None = None,
        once: ExactlyOnce | None = None,
        voice: VoiceReplies | None = None,
        streams: ReplyStreams | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chat_model = chat_model
        self.platforms = platforms
        self.summarizer = summarizer
        self.book = book
        self.clock = clock
        self.media_bucket = media_bucket
        self.send_images = send_images and media_bucket is not None
        self.toolbox = toolbox  # None: the model is offered no tools (a local model without function calling)
        self.pii = pii
        self.once = once  # None: every call answers (tests); deployed, each message is answered once
        self.voice = voice  # None: text replies only
        self.streams = streams  # None: every reply is posted when complete

    def respond(
        self,
        message: InboundMessage,
        route_name: str | None,
        embedding: Sequence[float] | None,
        gathered: GatheredContext,
        notes: Sequence[str] = (),
        prepared: bool = False,
    ) -> Response:
        """Answer one message once: a repeated call returns the first call's Response without side effects.

        `prepared`: the workflow's Prepare or Route step prepared the message, the PII policy applied included.
        """
        if self.once is None:
            return self._answer(message, route_name, embedding, gathered, notes, prepared)
        result = self.once.run(
            message.key, lambda: asdict(self._answer(message, route_name, embedding, gathered, notes, prepared))
        )
        return Response(**{**result, "outcome": Outcome(result["outcome"])})

    def _answer(
        self,
        message: InboundMessage,
        route_name: str | None,
        embedding: Sequence[float] | None,
        gathered: GatheredContext,
        notes: Sequence[str],
        prepared: bool,
    ) -> Response:
        """Answer one message. The user's message is stored before anything can fail, so it is never lost."""
        route = self.book.get(route_name)
        if not prepared and self.pii is not None:
            # Neither Prepare nor Route finished (RouteDegraded passed on the message as intake started it):
            # redact here, before the text is stored or sent. A prepared message was redacted already.
            message, pii_notes = self.pii.apply(message)
            notes = (*notes, *pii_notes)
        self._remember_user_message(message, embedding)
        if not message.reply_expected:
            return Response(replied=False, outcome=Outcome.NOT_ADDRESSED, route=route.name)
        if gathered.auxiliary.muted and not message.mentions_bot:
            if platform := self.platforms.by_name.get(message.platform.value):
                platform.clear_typing(message)  # Route showed it before the mute state was known
            return Response(replied=False, outcome=Outcome.MUTED, route=route.name)

        settings = route.settings
        conversation = build_conversation(
            message,
            settings,
            verbatim=gathered.history.verbatim,
            summaries=[
                (m, self.summarizer.summarise(m.text, SUMMARY_SENTENCES)) for m in gathered.history.to_summarise
            ],
            relevant=gathered.relevant.messages,
            erp_models=gathered.auxiliary.erp_models,
            now=self.clock(),
            notes=[*notes, *gathered.auxiliary.notes],
            image_urls=self._image_urls(message),
        )
        tools = self.toolbox.for_message(message, settings) if self.toolbox else None
        # An answer that goes out as audio alone is not streamed: its text must not show ahead of it.
        speaks_only = self.voice is not None and self.voice.speaks_only(message)
        sink = self.streams.reply_for(message) if self.streams and not speaks_only else StreamedReply()
        try:
            reply = complete_with_tools(self.chat_model, conversation, settings, tools, on_text=sink.on_text)
        except ChatModelError as error:
            logger.warning("chat model failed for route %s: %s", route.name, error)
            platform = self.platforms.for_message(message)
            posted = self._deliver(sink, platform, message, APOLOGY)  # a started stream ends as the apology
            platform.clear_typing(message)
            self._remember_reply_after_posting(message, APOLOGY)
            return Response(
                replied=True,
                outcome=Outcome.MODEL_FAILED,
                route=route.name,
                reply_text=APOLOGY,
                reply_message_id=posted.message_id,
                tool_calls=tuple(tools.calls) if tools else (),
            )
        except BaseException:
            sink.interrupt()  # e.g. a tool failed unexpectedly: leave no half-written answer open
            raise

        text = reply.text.strip() or "…"
        platform = self.platforms.for_message(message)
        try:
            posted = self._post_answer(sink, platform, message, text)
        except PlatformPostError:
            # Raised to the ASL, which retries Respond (idempotency lets it); the user's message is stored already.
            # A stream that was open is ended with a notice; the retry posts the answer without streaming.
            logger.error("reply not delivered", extra={"message_id": message.message_id})
            raise
        platform.clear_typing(message)
        self._remember_reply_after_posting(message, text)
        return Response(
            replied=True,
            outcome=Outcome.ANSWERED,
            route=route.name,
            reply_text=text,
            reply_message_id=posted.message_id,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
            tool_calls=tuple(tools.calls) if tools else (),
        )

    def _post_answer(
        self, sink: StreamedReply, platform: ChatPlatform, message: InboundMessage, text: str
    ) -> PostedReply:
        """The answer's text through the stream (or posted whole), and spoken too where the voice mode says."""

        def post_text(to: InboundMessage, body: str) -> PostedReply:
            return self._deliver(sink, platform, to, body)

        return self.voice.deliver(platform, message, text, post_text) if self.voice else post_text(message, text)

    @staticmethod
    def _deliver(sink: StreamedReply, platform: ChatPlatform, message: InboundMessage, text: str) -> PostedReply:
        """Post (or finish the stream with) `text`; a stream that cannot be finished is ended with a notice."""
        try:
            return sink.deliver(platform, message, text)
        except BaseException:
            sink.interrupt()
            raise

    def _image_urls(self, message: InboundMessage) -> list[str]:
        """Fresh presigned URLs of the message's stored images, for a vision-capable model only.

        Presigned here rather than in Route so they are valid when the model fetches them; a local server that
        rejects content parts never gets them (Settings.image_input).
        """
        if not self.send_images or self.media_bucket is None:
            return []
        keys = [a.bucket_key for a in message.attachments if a.kind == "image" and a.bucket_key]
        return [self.media_bucket.presigned_url(key) for key in keys if key]

    def _remember_user_message(self, message: InboundMessage, embedding: Sequence[float] | None) -> None:
        """Store the user's message; without an embedding (Route could not make one) it is kept all the same."""
        if embedding is None and message.text.strip():
            try:
                embedding = [float(x) for x in self.embedder.embed([message.text])[0]]
            except EmbeddingError as error:
                logger.warning("user message stored without an embedding: %s", error)
        stored = StoredMessage(
            chat_key=message.conversation_key,
            message_id=message.message_id,
            role=Role.USER,
            text=message.text,
            ts=message.ts,
            user_name=message.user_name,
            thread_id=message.thread_id,
        )
        self.store.add(stored, embedding)

    def _remember_reply_after_posting(self, message: InboundMessage, text: str) -> None:
        """Store the posted reply (the apology too, so history shows what the user saw); never raises."""
        try:
            self._remember_reply(message, text)
        except Exception:
            # The reply is out: raising now would make the retry post it a second time. History misses it.
            logger.exception("reply delivered but not stored", extra={"message_id": message.message_id})

    def _remember_reply(self, message: InboundMessage, text: str) -> None:
        stored = StoredMessage(
            chat_key=message.conversation_key,
            message_id=message.key.reply_message_id,
            role=Role.ASSISTANT,
            text=text,
            ts=max(self.clock().timestamp(), message.ts + 0.001),
            thread_id=message.thread_id,
        )
        self.store.add(stored, [float(x) for x in self.embedder.embed([text])[0]])
