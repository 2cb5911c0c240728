"""The ports: what the services need from the outside world, as Protocols.

Production and embedded adapters of one port live side by side under `adapters/<port>/`; `bootstrap` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import numpy as np
    import numpy.typing as npt

    from office_assistant.domain.messages import Attachment, InboundMessage, Role, ScoredMessage, StoredMessage
    from office_assistant.domain.pii import Redaction

    Vector = npt.NDArray[np.float32]


class MessageStore(Protocol):
    """User and assistant messages per chat, with an embedding for similarity search."""

    def add(self, message: StoredMessage, embedding: Sequence[float] | None) -> None:
        """Store a message; adding the same (chat_key, message_id, role) twice keeps one copy."""

    def latest(self, chat_key: str, limit: int) -> list[StoredMessage]:
        """The chat's newest `limit` messages, returned oldest first."""

    def similar(self, chat_key: str, embedding: Sequence[float], k: int) -> list[ScoredMessage]:
        """The chat's `k` messages most similar to `embedding` (cosine), best first."""

    def count(self, chat_key: str, role: Role | None = None) -> int:
        """How many messages the chat has (of one role, when given)."""


class Embedder(Protocol):
    """Text → unit-length float32 vectors."""

    @property
    def dimensions(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vector:
        """One row per text, L2-normalised."""


class RouteClassifier(Protocol):
    """Picks the route of a message from its embedding."""

    def classify(self, embedding: Sequence[float]) -> tuple[str | None, float | None]:
        """(route name, confidence), or (None, None) when no route is close enough."""


@dataclass(frozen=True)
class ToolCall:
    """A function the model asked to call; `arguments` is the JSON text the model wrote (it may be invalid)."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ChatReply:
    """The model's answer: text, or tool calls to run before it answers (then `text` may be empty)."""

    text: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tool_calls: tuple[ToolCall, ...] = ()


class ChatModel(Protocol):
    def complete(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: Literal["auto", "none"] | None = None,
    ) -> ChatReply:
        """One chat completion offering `tools` (OpenAI function schemas); raises ChatModelError if none comes."""

    def stream(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        on_text: Callable[[str], None],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: Literal["auto", "none"] | None = None,
    ) -> ChatReply:
        """As `complete`, handing each piece of the answer's text to `on_text` as the model writes it."""


class StateTable(Protocol):
    """Small key-value state: mute flags, dedupe claims."""

    def is_muted(self, chat_key: str) -> bool: ...

    def set_muted(self, chat_key: str, muted: bool) -> None: ...

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Record `key` once: True the first time, False while an earlier claim lives."""

    def release(self, key: str) -> None:
        """Forget a claim, so a delivery whose processing could not start can be retried."""


class MediaBucket(Protocol):
    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def presigned_url(self, key: str, expires_in: int = 3600) -> str: ...


@dataclass(frozen=True)
class PostedReply:
    message_id: str
    chunks: int = 1


class ChatPlatform(Protocol):
    """Sends replies to one platform."""

    def post_reply(self, message: InboundMessage, text: str) -> PostedReply:
        """Post `text` as the answer to `message` (in its thread where the platform has threads)."""

    def show_typing(self, message: InboundMessage) -> None:
        """Show that an answer is being prepared (best effort: never raises)."""

    def clear_typing(self, message: InboundMessage) -> None:
        """Take the indicator away once answered, where it does not expire by itself (best effort)."""


class ReplyStream(Protocol):
    """One reply shown to the user while the model writes it; nothing is sent before the first `append`."""

    def append(self, text: str) -> None:
        """More of the answer; the adapter batches and paces the platform calls. Best effort: never raises."""

    def finish(self, text: str) -> PostedReply:
        """The final reply, in the platform's formatting, in place of what was streamed; raises PlatformPostError."""

    def abort(self, notice: str) -> None:
        """End a stream that will not be finished with `notice`, so no partial answer is left open (never raises)."""


@runtime_checkable
class StreamingPlatform(Protocol):
    """A ChatPlatform that can show a reply while it is written."""

    def open_stream(self, message: InboundMessage) -> ReplyStream | None:
        """A stream for the reply to `message`, or None where the platform cannot stream there; sends nothing."""


class MediaFetcher(Protocol):
    """Downloads an attachment from the platform it came from (the platform's credentials stay inside)."""

    def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        """The file's bytes; raises MediaError when it cannot be had or is larger than `max_bytes`."""


class Transcriber(Protocol):
    def transcribe(self, audio: bytes, filename: str) -> str:
        """The speech in `audio` as text; raises MediaError when no transcript can be had."""


class ErpClient(Protocol):
    def mapped_models(self) -> dict[str, Any]:
        """The ERP's model map (external names, aliases, fields) that the odoo route shows the model."""

    def search_records(
        self, model: str, domain: list[Any] | None = None, fields: list[str] | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Records of `model` matching `domain` (Odoo domain syntax); raises ErpError when the ERP refuses."""

    def create_record(self, model: str, values: dict[str, Any]) -> int:
        """Create one record of `model`; its id. Raises ErpError when the ERP refuses."""


class Summarizer(Protocol):
    def summarise(self, text: str, sentences: int) -> str:
        """The `sentences` most representative sentences of `text`, in document order."""


class WorkflowStarter(Protocol):
    def start(self, name: str, payload: dict[str, Any]) -> str:
        """Start one workflow execution named `name`; returns its id (execution ARN)."""


@dataclass(frozen=True)
class Platforms:
    """The chat platforms by name; a platform with no credentials configured is absent."""

    by_name: dict[str, ChatPlatform] = field(default_factory=dict)

    def for_message(self, message: InboundMessage) -> ChatPlatform:
        return self.by_name[message.platform.value]


class PiiRedactor(Protocol):
    def redact(self, text: str) -> Redaction:
        """`text` with each personal-data finding replaced by `<TYPE>`; raises PiiError when it cannot check."""
