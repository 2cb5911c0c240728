"""In-memory fakes of the ports, for tests that need a port but not its technology.

Each fake implements its Protocol from `office_assistant.ports` and passes the same contract suite as the real
adapters (tests/adapters/contracts/). Fakes of other ports are added below, one class each.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from typing import TYPE_CHECKING, Any

import numpy as np

from office_assistant.domain.errors import ChatModelError, ErpError, PiiError, PlatformPostError
from office_assistant.domain.messages import ScoredMessage
from office_assistant.domain.pii import PiiEntity, redact_spans
from office_assistant.ports import ChatReply, PostedReply, StoredObject

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import numpy.typing as npt

    from office_assistant.domain.messages import InboundMessage, Role, StoredMessage
    from office_assistant.domain.pii import Redaction


class InMemoryMessageStore:
    """MessageStore in a list: first copy of a (chat_key, message_id, role) wins; ties go to the newer message."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[tuple[StoredMessage, tuple[float, ...] | None]] = []
        self._keys: set[tuple[str, str, str]] = set()

    def add(self, message: StoredMessage, embedding: Sequence[float] | None) -> None:
        key = (message.chat_key, message.message_id, message.role.value)
        if embedding is not None and len(embedding) == 0:
            raise ValueError("an embedding must be a non-empty 1-D sequence")
        with self._lock:
            if key in self._keys:
                return
            self._keys.add(key)
            self._rows.append((message, None if embedding is None else tuple(float(x) for x in embedding)))

    def latest(self, chat_key: str, limit: int) -> list[StoredMessage]:
        if limit <= 0:
            return []
        with self._lock:
            chat = [(m.ts, seq, m) for seq, (m, _) in enumerate(self._rows) if m.chat_key == chat_key]
        chat.sort(key=lambda item: (item[0], item[1]))
        return [m for _, _, m in chat[-limit:]]

    def similar(self, chat_key: str, embedding: Sequence[float], k: int) -> list[ScoredMessage]:
        if k <= 0:
            return []
        query = np.asarray(embedding, dtype=np.float64)
        query_norm = float(np.linalg.norm(query)) or 1.0
        with self._lock:
            rows = list(enumerate(self._rows))
        scored: list[tuple[float, float, int, StoredMessage]] = []
        for seq, (message, vector) in rows:
            if message.chat_key != chat_key or vector is None or len(vector) != query.size:
                continue
            row = np.asarray(vector, dtype=np.float64)
            score = float(row @ query) / ((float(np.linalg.norm(row)) or 1.0) * query_norm)
            scored.append((score, message.ts, seq, message))
        scored.sort(key=lambda item: (-item[0], -item[1], -item[2]))
        return [ScoredMessage(message, score) for score, _, _, message in scored[:k]]

    def between(self, chat_key: str, start_ts: float, end_ts: float, limit: int) -> list[StoredMessage]:
        if limit <= 0:
            return []
        with self._lock:
            chat = [(m.ts, seq, m) for seq, (m, _) in enumerate(self._rows) if m.chat_key == chat_key]
        chat.sort(key=lambda item: (item[0], item[1]))
        return [m for ts, _, m in chat if start_ts <= ts <= end_ts][:limit]

    def count(self, chat_key: str, role: Role | None = None) -> int:
        with self._lock:
            return sum(1 for m, _ in self._rows if m.chat_key == chat_key and (role is None or m.role == role))


class HandClock:
    """A clock (`time.time`'s shape) that the test moves by hand: ``clock.now += 60``."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeStateTable:
    """In-memory StateTable with the same claim semantics as the DynamoDB adapter (whole seconds, a claim lives
    through its last second); tests/adapters/contracts/test_state_table_contract.py holds the two to each other."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.muted: set[str] = set()
        self.claims: dict[str, int] = {}
        self._lock = threading.Lock()

    def is_muted(self, chat_key: str) -> bool:
        return chat_key in self.muted

    def set_muted(self, chat_key: str, muted: bool) -> None:
        (self.muted.add if muted else self.muted.discard)(chat_key)

    def claim(self, key: str, ttl_seconds: int) -> bool:
        if ttl_seconds < 0:
            raise ValueError(f"ttl_seconds must not be negative, got {ttl_seconds}")
        with self._lock:
            now = int(self.clock())
            if key in self.claims and self.claims[key] >= now:
                return False
            self.claims[key] = now + ttl_seconds
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self.claims.pop(key, None)


class HashingEmbedder:
    """A deterministic bag-of-words embedder: texts sharing words are close. No model, no I/O."""

    dimensions = 64

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for word in text.lower().split():
                row[zlib.crc32(word.strip(".,!?").encode()) % self.dimensions] += 1.0
            norm = float(np.linalg.norm(row))
            row[:] = row / norm if norm else row
        return rows


class RecordingChatModel:
    """A ChatModel that records every call and answers from a script (or fails on demand)."""

    def __init__(self, answer: str = "Here is my answer.", fail: bool = False) -> None:
        self.answer = answer
        self.fail = fail
        self.calls: list[dict[str, Any]] = []

    def complete(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> ChatReply:
        self.calls.append(
            {
                "messages": messages,
                "model": model,
                "temperature": temperature,
                "max_tokens": max_tokens,
                "tools": tools,
                "tool_choice": tool_choice,
            }
        )
        if self.fail:
            raise ChatModelError("the model is down")
        return ChatReply(text=self.answer, model=model, prompt_tokens=10, completion_tokens=5)

    def stream(
        self,
        messages: list[dict[str, Any]],
        model: str,
        temperature: float,
        max_tokens: int,
        on_text: Callable[[str], None],
        tools: Sequence[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
    ) -> ChatReply:
        """As `complete`, handing the answer to `on_text` word by word first."""
        reply = self.complete(messages, model, temperature, max_tokens, tools, tool_choice)
        for word in re.findall(r"\S+\s*", reply.text):
            on_text(word)
        return reply


class RecordingPlatform:
    """A ChatPlatform that keeps what it was asked to post; `fail` makes every post raise PlatformPostError.

    tests/adapters/contracts/test_chat_platform_contract.py holds it to the Slack and Telegram adapters.
    """

    def __init__(self, fail: bool = False, fail_uploads: bool = False) -> None:
        self.fail = fail
        self.posts: list[tuple[InboundMessage, str]] = []
        self.indicators: list[tuple[str, str]] = []
        self.files: list[tuple[InboundMessage, str, bytes, str, str]] = []  # message, filename, data, title, type
        self.audio: list[tuple[InboundMessage, str, bytes, str]] = []
        self.fail_uploads = fail_uploads

    def post_reply(self, message: InboundMessage, text: str) -> PostedReply:
        if self.fail:
            raise PlatformPostError(f"the platform refused the reply to {message.chat_id}")
        self.posts.append((message, text))
        return PostedReply(message_id=f"posted-{len(self.posts)}")

    def show_typing(self, message: InboundMessage) -> None:
        self.indicators.append(("show", message.message_id))

    def clear_typing(self, message: InboundMessage) -> None:
        self.indicators.append(("clear", message.message_id))

    def send_file(
        self, message: InboundMessage, filename: str, data: bytes, title: str, content_type: str
    ) -> PostedReply:
        if self.fail_uploads:
            raise PlatformPostError("upload refused: not_in_channel")
        self.files.append((message, filename, data, title, content_type))
        return PostedReply(message_id=f"file-{len(self.files)}")

    def send_audio(self, message: InboundMessage, filename: str, data: bytes, title: str) -> PostedReply:
        if self.fail_uploads:
            raise PlatformPostError("upload refused: not_in_channel")
        self.audio.append((message, filename, data, title))
        return PostedReply(message_id=f"audio-{len(self.audio)}")


class ScriptedSpeech:
    """A SpeechSynthesizer that returns fake MP3 bytes naming the text (or fails with MediaError)."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.texts: list[str] = []

    def synthesize(self, text: str) -> bytes:
        from office_assistant.domain.errors import MediaError

        self.texts.append(text)
        if self.fail:
            raise MediaError("text-to-speech failed: RateLimitError")
        return b"ID3" + text.encode()


class FirstSentencesSummarizer:
    """A Summarizer that keeps the first sentences: enough for services tests."""

    def summarise(self, text: str, sentences: int) -> str:
        return " ".join(text.split(". ")[:sentences])


class InMemoryMediaBucket:
    """A MediaBucket in a dict; presigned URLs are fake https links that name the key."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}
        self._written: dict[str, float] = {}

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.objects[key] = (body, content_type)
        self._written[key] = time.time()

    def list_objects(self, prefix: str, limit: int = 100) -> list[StoredObject]:
        keys = sorted((k for k in self.objects if k.startswith(prefix)), key=lambda k: -self._written[k])
        return [StoredObject(k, len(self.objects[k][0]), self._written[k]) for k in keys[:limit]]

    def get(self, key: str) -> bytes:
        return self.objects[key][0]

    def presigned_url(self, key: str, expires_in: int = 3600) -> str:
        return f"https://media.example/{key}?X-Amz-Expires={expires_in}"


class ScriptedTranscriber:
    """A Transcriber that answers from a script, or fails with MediaError."""

    def __init__(self, transcript: str = "please order five chairs", fail: bool = False) -> None:
        self.transcript = transcript
        self.fail = fail
        self.calls: list[tuple[bytes, str]] = []

    def transcribe(self, audio: bytes, filename: str) -> str:
        from office_assistant.domain.errors import MediaError

        self.calls.append((audio, filename))
        if self.fail:
            raise MediaError("transcription failed: APIConnectionError")
        return self.transcript


class EmailRedactor:
    """A PiiRedactor that finds e-mail addresses by regex only (or fails with PiiError), and records its input."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.texts: list[str] = []

    def redact(self, text: str) -> Redaction:
        self.texts.append(text)
        if self.fail:
            raise PiiError("Comprehend could not check the text: ThrottlingException")
        found = tuple(PiiEntity("EMAIL_ADDRESS", m.start(), m.end()) for m in re.finditer(r"\S+@\S+\.\w+", text))
        return redact_spans(text, found)


class RecordingErp:
    """An ErpClient with a few partners in memory; records searches and creations (or refuses with ErpError)."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.records: dict[str, list[dict[str, Any]]] = {"res.partner": [{"id": 1, "name": "Acme"}]}
        self.searches: list[tuple[str, list[Any] | None, list[str] | None, int]] = []

    def mapped_models(self) -> dict[str, Any]:
        return {"res.partner": {"alias": "customer", "fields": ["name"]}}

    def search_records(
        self, model: str, domain: list[Any] | None = None, fields: list[str] | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        self.searches.append((model, domain, fields, limit))
        if self.fail:
            raise ErpError(f"Odoo refused the search on {model}: AccessError")
        return self.records.get(model, [])[:limit]

    def create_record(self, model: str, values: dict[str, Any]) -> int:
        if self.fail:
            raise ErpError(f"Odoo refused to create a {model}: AccessError")
        rows = self.records.setdefault(model, [])
        rows.append({"id": len(rows) + 1, **values})
        return len(rows)

    def _row(self, model: str, record_id: int) -> dict[str, Any]:
        if self.fail:
            raise ErpError(f"Odoo refused to change {model}({record_id}): AccessError")
        row = next((r for r in self.records.get(model, []) if r["id"] == record_id), None)
        if row is None:
            raise ErpError(f"Odoo has no {model}({record_id})")
        return row

    def update_record(self, model: str, record_id: int, values: dict[str, Any]) -> bool:
        self._row(model, record_id).update(values)
        return True

    def delete_record(self, model: str, record_id: int) -> bool:
        self.records[model].remove(self._row(model, record_id))
        return True

    def post_record(self, model: str, record_id: int) -> dict[str, Any]:
        self._row(model, record_id)["state"] = "posted"
        return {"id": record_id, "state": "posted"}

    def print_record(self, model: str, record_id: int, report: str | None = None) -> str:
        self._row(model, record_id)
        return f"https://erp.example/report/{model}/{record_id}.pdf"

    def products(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        rows = self.records.get("product.product", [])
        return [r for r in rows if query.lower() in str(r.get("name", "")).lower()][:limit]
