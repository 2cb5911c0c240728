"""A deterministic loopback OpenAI Chat Completions API, so the real openai client can be tested offline and fast."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import random
import re
import struct
from typing import TYPE_CHECKING, Any

from office_assistant_local.standins.recorder import RecordingServer, Reply, multipart_parts

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant_local.standins.recorder import RecordedRequest

MODEL_ID = "loopback-echo"
ECHO_CHARS = 80
CREATED = 1_700_000_000  # fixed, so answers are reproducible
EMBEDDING_DIMENSIONS = {"text-embedding-3-large": 3072}  # other models: 1536, as text-embedding-3-small and ada-002
MAX_EMBEDDING_INPUTS = 2048  # OpenAI's limit per request
MAX_EMBEDDING_TOKENS = 8192  # OpenAI's 400 names 8192; its documented input limit is 8191


def _error(
    status: int, message: str, kind: str, param: str | None = None, headers: dict[str, str] | None = None
) -> Reply:
    return Reply(status, {"error": {"message": message, "type": kind, "param": param, "code": None}}, headers or {})


def message_text(content: Any) -> str:
    """The text of a message's content: a string, or the text parts of a content-parts list."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def _last_tool_results(messages: list[dict[str, Any]]) -> list[Any]:
    """The decoded `tool` message contents after the last assistant turn (JSON, or the raw text)."""
    results: list[Any] = []
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        content = message_text(message.get("content"))
        try:
            results.append(json.loads(content))
        except ValueError:
            results.append(content)
    return list(reversed(results))


def echo_reply(model: str, messages: list[dict[str, Any]]) -> str:
    """What the server answers: the route's model and the start of the last user message."""
    last_user: dict[str, Any] = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    return f"echo[{model}]: {message_text(last_user.get('content'))[:ECHO_CHARS]}"


def count_tokens(text: str) -> int:
    """A stand-in tokenizer: whitespace-separated words."""
    return len(text.split())


def embedding_tokens(text: str) -> int:
    """An embeddings input's length as OpenAI counts it: cl100k_base tokens (the bundled offline copy)."""
    from office_assistant.adapters.embeddings.token_limit import TokenLimit

    return TokenLimit(MAX_EMBEDDING_TOKENS).count(text)


def loopback_embedding(text: str, dimensions: int) -> list[float]:
    """A unit-length vector seeded by the text's hash: the same text always gets the same vector."""
    rng = random.Random(hashlib.sha256(text.encode()).digest())
    vector = [rng.gauss(0.0, 1.0) for _ in range(dimensions)]
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def _embeddings(body: Any) -> Reply:
    """`POST /v1/embeddings` with OpenAI's checks: string inputs, no empty string, `dimensions` on v3 models only."""
    if not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return _error(400, "you must provide a model parameter", "invalid_request_error", "model")
    model, raw = body["model"], body.get("input")
    texts = [raw] if isinstance(raw, str) else raw
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
        return _error(400, "'$.input' is invalid. Please check the API reference.", "invalid_request_error", "input")
    for text in texts:
        if (tokens := embedding_tokens(text)) > MAX_EMBEDDING_TOKENS:
            message = (
                f"This model's maximum context length is {MAX_EMBEDDING_TOKENS} tokens, however you requested "
                f"{tokens} tokens (input). Please reduce your prompt; or completion length."
            )
            return _error(400, message, "invalid_request_error", "input")
    if len(texts) > MAX_EMBEDDING_INPUTS:
        return _error(400, f"'$.input' must have at most {MAX_EMBEDDING_INPUTS} items", "invalid_request_error")
    dimensions = body.get("dimensions")
    if dimensions is not None and not model.startswith("text-embedding-3"):
        return _error(400, "This model does not support specifying dimensions.", "invalid_request_error")
    if dimensions is None:
        dimensions = EMBEDDING_DIMENSIONS.get(model, 1536)
    if not isinstance(dimensions, int) or dimensions < 1:
        return _error(400, "'dimensions' must be a positive integer", "invalid_request_error", "dimensions")
    base64_encoded = body.get("encoding_format") == "base64"  # the openai client asks for base64 by default
    data = []
    for index, text in enumerate(texts):
        vector = loopback_embedding(text, dimensions)
        encoded: Any = base64.b64encode(struct.pack(f"<{dimensions}f", *vector)).decode() if base64_encoded else vector
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    tokens = sum(count_tokens(t) for t in texts)
    return Reply(
        200,
        {"object": "list", "data": data, "model": model, "usage": {"prompt_tokens": tokens, "total_tokens": tokens}},
    )


def _tool_sequence_error(messages: list[dict[str, Any]]) -> str | None:
    """OpenAI's 400 for a broken tool exchange: every tool call answered by a `tool` message, and nothing else."""
    pending: list[str] = []
    for message in messages:
        if message.get("role") == "tool":
            if message.get("tool_call_id") not in pending:
                return "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."
            pending.remove(message["tool_call_id"])
            continue
        if pending:
            return (
                "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                f"'tool_call_id'. The following tool_call_ids did not have response messages: {', '.join(pending)}"
            )
        if message.get("role") == "assistant":
            pending = [str(call.get("id")) for call in message.get("tool_calls") or [] if isinstance(call, dict)]
    return None


def _transcribe(request: RecordedRequest) -> Reply:
    """`POST /v1/audio/transcriptions` as Whisper answers it; the "speech" is the uploaded file read as UTF-8 text."""
    parts = multipart_parts(request)
    if "file" not in parts:
        return _error(400, "you must provide a file", "invalid_request_error", "file")
    if "model" not in parts:
        return _error(400, "you must provide a model parameter", "invalid_request_error", "model")
    audio = parts["file"][1]
    try:
        text = audio.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "Audio file might be corrupted or unsupported", "invalid_request_error", "file")
    return Reply(200, {"text": text.strip()})


TTS_VOICES = frozenset({"alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse"})
MAX_SPEECH_INPUT = 4096  # characters, OpenAI's limit for /v1/audio/speech
SPEECH_MAGIC = b"ID3\x04\x00loopback-mp3:"  # an MP3 file starts with an ID3 tag; the spoken text follows


def _speech(body: Any) -> Reply:
    """`POST /v1/audio/speech` with OpenAI's checks; the "MP3" is SPEECH_MAGIC followed by the input text."""
    if not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return _error(400, "you must provide a model parameter", "invalid_request_error", "model")
    text, voice = body.get("input"), body.get("voice")
    if not isinstance(text, str) or not text:
        return _error(400, "'input' must be a non-empty string", "invalid_request_error", "input")
    if len(text) > MAX_SPEECH_INPUT:
        return _error(400, f"'input' must be at most {MAX_SPEECH_INPUT} characters", "invalid_request_error", "input")
    if voice not in TTS_VOICES:
        return _error(400, f"Invalid value for 'voice': {voice!r}", "invalid_request_error", "voice")
    if body.get("response_format", "mp3") != "mp3":
        return _error(400, "the loopback speaks mp3 only", "invalid_request_error", "response_format")
    return Reply(200, None, {"Content-Type": "audio/mpeg"}, raw=SPEECH_MAGIC + text.encode("utf-8"))


def _streamed(reply: Reply, body: dict[str, Any]) -> Reply:
    """With `stream: true`, the completion as server-sent events: one `chat.completion.chunk` per word of the
    content (the pieces add up to the content exactly, leading spaces too), a tool call in one chunk each, a last
    chunk with the finish reason, the usage chunk when `stream_options.include_usage` asks for it, then
    `data: [DONE]`."""
    if not body.get("stream"):
        return reply
    completion = reply.body
    choice = completion["choices"][0]
    message, finish_reason = choice["message"], choice["finish_reason"]
    head = {"id": completion["id"], "object": "chat.completion.chunk", "created": CREATED, "model": completion["model"]}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return head | {"choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": piece}) for piece in re.findall(r"\s*\S+\s*|\s+", message.get("content") or "")]
    for index, call in enumerate(message.get("tool_calls") or []):
        events.append(chunk({"tool_calls": [{"index": index, **call}]}))
    events.append(chunk({}, finish_reason))
    if (body.get("stream_options") or {}).get("include_usage"):
        events.append(head | {"choices": [], "usage": completion["usage"]})
    raw = "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"
    return Reply(200, None, {"Content-Type": "text/event-stream"}, raw=raw.encode())


class ChatCompletionsLoopback(RecordingServer):
    """`POST /v1/chat/completions` answers `echo[<model>]: <last user message, first 80 chars>` with usage.

    Completions are cut to `max_tokens` words (finish_reason "length"). `fail_next` makes the next requests fail
    with an HTTP status and an OpenAI-shaped error body. `GET /v1/models` lists one model. `queue_tool_calls` and
    `queue_text` script the next answers, for the tool loop; a broken tool exchange gets OpenAI's 400.
    `POST /v1/embeddings` answers hash-seeded unit vectors (see `loopback_embedding`); `/v1/audio/transcriptions`
    reads the uploaded file as the speech; `/v1/audio/speech` answers an "MP3" holding the text (see `_speech`).
    `stream: true` gets the same answer as server-sent chunks.
    """

    def __init__(self, api_key: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.api_key = api_key
        self._ids = itertools.count(1)
        self._failures: list[Reply] = []
        # text, (name, arguments JSON) tool calls, or a function writing the text from the tool results received
        self._script: list[str | list[tuple[str, str]] | Callable[[list[Any]], str]] = []

    @property
    def base_url(self) -> str:
        """The base URL for the openai client."""
        return f"{self.url}/v1"

    def fail_next(self, count: int = 1, status: int = 500, message: str = "The server had an error") -> None:
        """Answer the next `count` requests with `status` instead of a completion.

        The answers carry OpenAI's ``retry-after-ms`` header with a short delay, so a client's retries stay fast.
        """
        kind = "server_error" if status >= 500 else "invalid_request_error"
        with self._lock:
            self._failures.extend([_error(status, message, kind, headers={"retry-after-ms": "10"})] * count)

    def queue_tool_calls(self, *calls: tuple[str, dict[str, Any] | str]) -> None:
        """Answer the next completion that offers tools with these calls: (name, arguments as a dict or raw text).

        A request with no tools or `tool_choice="none"` leaves the script alone and gets the echo, as a real
        model cannot call tools then.
        """
        with self._lock:
            self._script.append([(name, a if isinstance(a, str) else json.dumps(a)) for name, a in calls])

    def queue_text(self, text: str) -> None:
        """Answer the next completion with `text` instead of the echo."""
        with self._lock:
            self._script.append(text)

    def queue_text_from_tool_results(self, compose: Callable[[list[Any]], str]) -> None:
        """Answer the next completion with `compose(results)`: the JSON-decoded contents of the `tool` messages
        that request carries after the last assistant turn, so a scripted answer uses what the tools returned."""
        with self._lock:
            self._script.append(compose)

    def embedding_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the embeddings requests received so far."""
        return [r.body for r in self.requests if r.path == "/v1/embeddings" and isinstance(r.body, dict)]

    def transcription_requests(self) -> list[RecordedRequest]:
        """The transcription requests received so far (multipart bodies, in `raw_body`)."""
        return [r for r in self.requests if r.path == "/v1/audio/transcriptions"]

    def speech_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the text-to-speech requests received so far."""
        return [r.body for r in self.requests if r.path == "/v1/audio/speech" and isinstance(r.body, dict)]

    def completion_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat completion requests received so far."""
        return [r.body for r in self.requests if r.path == "/v1/chat/completions" and isinstance(r.body, dict)]

    def handle(self, request: RecordedRequest) -> Reply:
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided", "invalid_request_error")
        with self._lock:
            if self._failures:
                return self._failures.pop(0)
        if request.method == "GET" and request.path == "/v1/models":
            model = {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "office-assistant"}
            return Reply(200, {"object": "list", "data": [model]})
        if request.method == "POST" and request.path == "/v1/chat/completions":
            return self._complete(request.body)
        if request.method == "POST" and request.path == "/v1/audio/transcriptions":
            return _transcribe(request)
        if request.method == "POST" and request.path == "/v1/embeddings":
            return _embeddings(request.body)
        if request.method == "POST" and request.path == "/v1/audio/speech":
            return _speech(request.body)
        return _error(404, f"Unknown request URL: {request.method} {request.path}", "invalid_request_error")

    def _complete(self, body: Any) -> Reply:
        if not isinstance(body, dict):
            return _error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
        model, messages = body.get("model"), body.get("messages")
        if not isinstance(model, str) or not model:
            return _error(400, "you must provide a model parameter", "invalid_request_error", "model")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
            return _error(400, "'messages' must be a non-empty array of objects", "invalid_request_error", "messages")
        if problem := _tool_sequence_error(messages):
            return _error(400, f"Invalid parameter: {problem}", "invalid_request_error", "messages")
        scripted = self._next_scripted(can_call_tools=bool(body.get("tools")) and body.get("tool_choice") != "none")
        if isinstance(scripted, list):
            return _streamed(self._tool_calls(model, messages, scripted), body)
        if callable(scripted):
            scripted = scripted(_last_tool_results(messages))
        content = echo_reply(model, messages) if scripted is None else scripted
        completion_tokens = count_tokens(content)
        max_tokens = body.get("max_tokens") or body.get("max_completion_tokens")
        finish_reason = "stop"
        if isinstance(max_tokens, int) and 0 < max_tokens < completion_tokens:
            content, completion_tokens, finish_reason = " ".join(content.split()[:max_tokens]), max_tokens, "length"
        message = {"role": "assistant", "content": content, "refusal": None}
        return _streamed(self._completion(model, messages, message, finish_reason, completion_tokens), body)

    def _next_scripted(self, can_call_tools: bool) -> str | list[tuple[str, str]] | Callable[[list[Any]], str] | None:
        """The next scripted answer this request may get (None: echo)."""
        with self._lock:
            if self._script and (can_call_tools or not isinstance(self._script[0], list)):
                return self._script.pop(0)
            return None

    def _tool_calls(self, model: str, messages: list[dict[str, Any]], calls: list[tuple[str, str]]) -> Reply:
        with self._lock:
            ids = [f"call_loopback_{next(self._ids)}" for _ in calls]
        tool_calls = [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
            for call_id, (name, arguments) in zip(ids, calls, strict=True)
        ]
        message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": tool_calls}
        completion_tokens = sum(count_tokens(f"{name} {arguments}") for name, arguments in calls)
        return self._completion(model, messages, message, "tool_calls", completion_tokens)

    def _completion(
        self,
        model: str,
        messages: list[dict[str, Any]],
        message: dict[str, Any],
        finish_reason: str,
        completion_tokens: int,
    ) -> Reply:
        prompt_tokens = sum(count_tokens(message_text(m.get("content"))) for m in messages)
        with self._lock:
            completion_id = f"chatcmpl-loopback-{next(self._ids)}"
        return Reply(
            200,
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": CREATED,
                "model": model,
                "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
                "system_fingerprint": None,
            },
        )
