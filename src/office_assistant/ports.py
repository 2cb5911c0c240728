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
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from office_assistant.domain.messages import (
        Attachment,
        InboundMessage,
        MessageKey,
        Role,
        ScoredMessage,
        StoredMessage,
    )
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

    def between(self, chat_key: str, start_ts: float, end_ts: float, limit: int) -> list[StoredMessage]:
        """The chat's messages with `start_ts <= ts <= end_ts`, oldest first, the first `limit` of them."""


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
    finish_reason: str | None = None  # "length": the answer was cut by max_tokens

    @property
    def cut_by_length(self) -> bool:
        return self.finish_reason == "length"


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


class ExactlyOnce(Protocol):
    """Runs a message's work once, however often the step is retried or the workflow re-executed."""

    def run(self, key: MessageKey, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """`work()`'s JSON result; a repeat for `key` returns the first result without calling `work`.

        While the first call for `key` is still running, a second raises (the ASL retries it with backoff); a
        call whose `work` raised leaves nothing behind, so a retry runs afresh.
        """

    def register_lambda_context(self, context: LambdaContext) -> None:
        """Tie in-progress records to this invocation, so a crashed run does not block its retries for long."""


@dataclass(frozen=True)
class StoredObject:
    """One object in the media bucket, as listed."""

    key: str
    size: int
    last_modified: float  # epoch seconds


class MediaBucket(Protocol):
    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes:
        """The object's bytes (claim-checked workflow data); raises when there is no such object."""

    def presigned_url(self, key: str, expires_in: int = 3600) -> str: ...

    def list_objects(self, prefix: str, limit: int = 100) -> list[StoredObject]:
        """The objects whose key starts with `prefix`, newest first, at most `limit`."""


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

    def send_file(
        self, message: InboundMessage, filename: str, data: bytes, title: str, content_type: str
    ) -> PostedReply:
        """Upload a file into the message's chat (its thread where there are threads): Slack's external
        upload flow through slack_sdk (`files_upload_v2`), Telegram `sendDocument`."""

    def send_audio(self, message: InboundMessage, filename: str, data: bytes, title: str) -> PostedReply:
        """Post spoken audio into the message's chat: Slack upload as above, Telegram `sendAudio`."""


class SpeechSynthesizer(Protocol):
    """Text → speech (OpenAI text-to-speech through the openai client deployed; absent offline)."""

    def synthesize(self, text: str) -> bytes:
        """`text` spoken, as MP3 bytes; raises MediaError when no audio can be had."""


@dataclass(frozen=True)
class UserProfile:
    """A platform user's names: `real_name` as the directory has it, `display_name` the handle they chose."""

    user_id: str
    real_name: str = ""
    display_name: str = ""

    @property
    def name(self) -> str:
        """The name to show: the display name, else the real name, else the id."""
        return self.display_name or self.real_name or self.user_id


class UserDirectory(Protocol):
    """Looks up a platform user's names (Slack `users.info`)."""

    def lookup(self, user_id: str) -> UserProfile | None:
        """The user's profile, or None when it cannot be had (unknown user, API error): never raises."""


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


class DocumentReader(Protocol):
    """Reads the text out of a document file (csv, xlsx, docx, pdf, plain text)."""

    def extract_text(self, data: bytes, mime_type: str, name: str, max_chars: int) -> str:
        """The document's text, cut to `max_chars`; raises MediaError for any file it cannot read."""


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

    def update_record(self, model: str, record_id: int, values: dict[str, Any]) -> bool:
        """Write `values` on one record; True when Odoo wrote them. Raises ErpError when the ERP refuses."""

    def delete_record(self, model: str, record_id: int) -> bool:
        """Delete (unlink) one record. Raises ErpError when the ERP refuses."""

    def post_record(self, model: str, record_id: int) -> dict[str, Any]:
        """Run the custom module's post action on one record (confirm an order, post an invoice)."""

    def print_record(self, model: str, record_id: int, report: str | None = None) -> str:
        """A download URL of the record's PDF report (the module's /api/generate_pdf)."""

    def products(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        """Products whose name or internal reference matches `query`, with price and stock."""


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    snippet: str


class WebSearch(Protocol):
    """Web search (Google Programmable Search deployed, a loopback stand-in locally)."""

    def search(self, query: str, count: int = 5) -> list[SearchResult]:
        """The top `count` results for `query`; raises ToolServiceError when the service fails."""


@dataclass(frozen=True)
class WebPage:
    url: str  # after redirects
    title: str
    text: str  # the main text, extracted from the page
    content_type: str
    truncated: bool = False


class WebPageReader(Protocol):
    """Fetch one public web page and extract its main text."""

    def read(self, url: str) -> WebPage:
        """Raises FetchRefusedError for a URL it will not fetch, ToolServiceError when the fetch fails."""


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    country: str = ""
    region: str = ""
    timezone: str = ""


class WeatherService(Protocol):
    """Geocoding and current weather plus a daily forecast (Open-Meteo)."""

    def geocode(self, name: str, count: int = 3) -> list[Place]: ...

    def forecast(self, latitude: float, longitude: float, days: int = 3) -> dict[str, Any]:
        """Current conditions and `days` of daily forecast, with units; raises ToolServiceError."""


class SlackWorkspace(Protocol):
    """The Slack workspace beyond replying: people, channels, posting elsewhere (slack_sdk deployed and locally)."""

    def users(self, limit: int = 200) -> list[dict[str, Any]]: ...

    def channels(self, limit: int = 200) -> list[dict[str, Any]]: ...

    def post(self, channel: str, text: str) -> str:
        """Post `text` to `channel`; the new message's ts."""

    def create_channel(self, name: str, private: bool = False) -> dict[str, Any]: ...

    def invite(self, channel: str, user_ids: Sequence[str]) -> dict[str, Any]: ...

    def set_purpose(self, channel: str, purpose: str) -> dict[str, Any]: ...


class PdfRenderer(Protocol):
    def render(self, title: str, markdown: str) -> bytes:
        """A PDF of `markdown` under `title`; raises ToolServiceError when it cannot be rendered."""


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
