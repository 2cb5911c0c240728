"""Transcriber port adapters: speech to text."""

from __future__ import annotations

from office_assistant.adapters.transcriber.openai_whisper import WhisperTranscriber

__all__ = ["WhisperTranscriber"]
