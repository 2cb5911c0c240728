"""A deterministic loopback OpenAI Chat Completions API, so the real openai client can be tested offline and fast."""

from __future__ import annotations

import email.policy
import itertools
from email.parser import BytesParser
from typing import TYPE_CHECKING, Any

from office_assistant.local.loopback.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from office_assistant.local.loopback.recorder import RecordedRequest

MODEL_ID = "loopback-echo"
ECHO_CHARS = 80
CREATED = 1_700_000_000  # fixed, so answers are reproducible


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


def echo_reply(model: str, messages: list[dict[str, Any]]) -> str:
    """What the server answers: the route's model and the start of the last user message."""
    last_user: dict[str, Any] = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    return f"echo[{model}]: {message_text(last_user.get('content'))[:ECHO_CHARS]}"


def count_tokens(text: str) -> int:
    """A stand-in tokenizer: whitespace-separated words."""
    return len(text.split())


def _multipart(request: RecordedRequest) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart/form-data body: name → (filename, bytes)."""
    content_type = request.headers.get("content-type", "")
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.raw_body
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            parts[name] = (part.get_filename(), payload)
    return parts


def _transcribe(request: RecordedRequest) -> Reply:
    """`POST /v1/audio/transcriptions` as Whisper answers it; the "speech" is the uploaded file read as UTF-8 text."""
    parts = _multipart(request)
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


class ChatCompletionsLoopback(RecordingServer):
    """`POST /v1/chat/completions` answers `echo[<model>]: <last user message, first 80 chars>` with usage.

    Completions are cut to `max_tokens` words (finish_reason "length"). `fail_next` makes the next requests fail
    with an HTTP status and an OpenAI-shaped error body. `GET /v1/models` lists one model.
    """

    def __init__(self, api_key: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.api_key = api_key
        self._ids = itertools.count(1)
        self._failures: list[Reply] = []

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

    def transcription_requests(self) -> list[RecordedRequest]:
        """The transcription requests received so far (multipart bodies, in `raw_body`)."""
        return [r for r in self.requests if r.path == "/v1/audio/transcriptions"]

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
        return _error(404, f"Unknown request URL: {request.method} {request.path}", "invalid_request_error")

    def _complete(self, body: Any) -> Reply:
        if not isinstance(body, dict):
            return _error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
        model, messages = body.get("model"), body.get("messages")
        if not isinstance(model, str) or not model:
            return _error(400, "you must provide a model parameter", "invalid_request_error", "model")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
            return _error(400, "'messages' must be a non-empty array of objects", "invalid_request_error", "messages")
        if body.get("stream"):
            return _error(400, "streaming is not supported by the loopback server", "invalid_request_error", "stream")
        content = echo_reply(model, messages)
        completion_tokens = count_tokens(content)
        max_tokens = body.get("max_tokens") or body.get("max_completion_tokens")
        finish_reason = "stop"
        if isinstance(max_tokens, int) and 0 < max_tokens < completion_tokens:
            content, completion_tokens, finish_reason = " ".join(content.split()[:max_tokens]), max_tokens, "length"
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
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": finish_reason,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
                "system_fingerprint": None,
            },
        )
