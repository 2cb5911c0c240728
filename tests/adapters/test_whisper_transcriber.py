"""Whisper transcription through the real openai client against the loopback `/v1/audio/transcriptions`."""

from __future__ import annotations

import pytest

from office_assistant.adapters.chat_model.openai_compatible import build_openai_client
from office_assistant.adapters.transcriber import WhisperTranscriber
from office_assistant.domain.errors import MediaError
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback


def test_transcriber_sends_the_audio_as_multipart_and_returns_the_text() -> None:
    with ChatCompletionsLoopback() as server:
        transcriber = WhisperTranscriber(build_openai_client(server.base_url, "sk-test", 5), "whisper-1")

        text = transcriber.transcribe(b"order five chairs", "voice.ogg")

        [request] = server.transcription_requests()
    assert text == "order five chairs"
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'filename="voice.ogg"' in request.raw_body and b"whisper-1" in request.raw_body


def test_transcriber_raises_media_error_when_the_api_fails() -> None:
    with ChatCompletionsLoopback() as server:
        server.fail_next(count=3, status=500)
        transcriber = WhisperTranscriber(build_openai_client(server.base_url, "sk-test", 5))

        with pytest.raises(MediaError, match="transcription failed"):
            transcriber.transcribe(b"hello", "voice.ogg")
