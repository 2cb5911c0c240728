"""Text to speech through the openai client's `audio.speech.create` (the legacy's tts-1, voice shimmer)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import openai

from office_assistant.domain.errors import MediaError

if TYPE_CHECKING:
    from openai import OpenAI

MAX_INPUT_CHARS = 4096  # the API's limit per request


class OpenAiSpeech:
    """SpeechSynthesizer on OpenAI's speech endpoint, MP3 out; text over the input limit is spoken up to it."""

    def __init__(self, client: OpenAI, model: str = "tts-1", voice: str = "shimmer") -> None:
        self.client = client
        self.model = model
        self.voice = voice

    def synthesize(self, text: str) -> bytes:
        """`text` spoken as MP3; any API failure or an empty answer is a MediaError."""
        spoken = _spoken_part(text)
        if not spoken:
            raise MediaError("nothing to speak")
        try:
            response = self.client.audio.speech.create(
                model=self.model, voice=self.voice, input=spoken, response_format="mp3"
            )
            audio = response.read()
        except openai.OpenAIError as exc:
            raise MediaError(f"text-to-speech failed: {type(exc).__name__}") from None
        if not audio:
            raise MediaError("text-to-speech came back empty")
        return audio


_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_MARKUP = re.compile(r"(\*\*|__|~~|`|^#{1,6}\s+|^\s*[-*+]\s+|^>\s?)", re.MULTILINE)


def speakable(text: str) -> str:
    """Markdown as it should be heard: no code blocks, link texts without their URLs, no emphasis marks."""
    text = _CODE_BLOCK.sub(" (code omitted) ", text)
    text = _LINK.sub(r"\1", text)
    return _MARKUP.sub("", text)


def _spoken_part(text: str) -> str:
    """The speakable text up to the input limit, cut at the last sentence end (else space) before it."""
    text = speakable(text).strip()
    if len(text) <= MAX_INPUT_CHARS:
        return text
    window = text[:MAX_INPUT_CHARS]
    cut = max(window.rfind(". "), window.rfind("\n"))
    if cut < MAX_INPUT_CHARS // 2:
        cut = window.rfind(" ")
    return window[: cut + 1].strip() if cut > 0 else window
