"""Speech to text through the openai client's `audio.transcriptions.create` (Whisper, or a compatible server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant.adapters import openai_sdk
from office_assistant.adapters.openai_deadline import deadline_bound
from office_assistant.domain.errors import MediaError

if TYPE_CHECKING:
    from openai import OpenAI


class WhisperTranscriber:
    def __init__(self, client: OpenAI, model: str = "whisper-1") -> None:
        self.client = client
        self.model = model

    def transcribe(self, audio: bytes, filename: str) -> str:
        """The transcript; any API failure or an empty transcript is a MediaError."""
        try:
            result = deadline_bound(self.client).audio.transcriptions.create(model=self.model, file=(filename, audio))
        except openai_sdk.OpenAIError as exc:
            raise MediaError(f"transcription failed: {type(exc).__name__}") from None
        text = str(getattr(result, "text", "") or "").strip()
        if not text:
            raise MediaError("transcription came back empty")
        return text
