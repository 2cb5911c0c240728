"""OpenAI text-to-speech: the real openai client against the loopback /v1/audio/speech."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant.adapters.chat_model import build_openai_client
from office_assistant.adapters.speech.openai_tts import MAX_INPUT_CHARS, OpenAiSpeech
from office_assistant.domain.errors import MediaError
from office_assistant_local.standins.chat_completions import SPEECH_MAGIC, ChatCompletionsLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as loopback:
        yield loopback


def _speech(server: ChatCompletionsLoopback, voice: str = "shimmer") -> OpenAiSpeech:
    return OpenAiSpeech(build_openai_client(server.base_url, "sk-loopback", 5.0), "tts-1", voice)


def test_speech_returns_the_mp3_the_service_made_for_the_text(server: ChatCompletionsLoopback) -> None:
    audio = _speech(server).synthesize("The invoices are due on Friday.")

    assert audio == SPEECH_MAGIC + b"The invoices are due on Friday."
    [request] = server.speech_requests()
    assert request == {
        "model": "tts-1",
        "voice": "shimmer",
        "input": "The invoices are due on Friday.",
        "response_format": "mp3",
    }


def test_speech_speaks_a_long_answer_up_to_the_input_limit_at_a_sentence_end(server: ChatCompletionsLoopback) -> None:
    text = "This sentence is about the quarterly budget. " * 200  # 9,000 characters

    _speech(server).synthesize(text)

    [request] = server.speech_requests()
    assert len(request["input"]) <= MAX_INPUT_CHARS and request["input"].endswith("budget.")


def test_speech_raises_media_error_when_the_service_refuses(server: ChatCompletionsLoopback) -> None:
    with pytest.raises(MediaError, match="text-to-speech failed: BadRequestError"):
        _speech(server, voice="no-such-voice").synthesize("hello")


def test_speech_raises_media_error_for_nothing_to_say(server: ChatCompletionsLoopback) -> None:
    with pytest.raises(MediaError, match="nothing to speak"):
        _speech(server).synthesize("   ")

    assert server.speech_requests() == []


def test_speech_reads_markdown_without_its_marks_code_or_urls(server: ChatCompletionsLoopback) -> None:
    answer = "## Plan\n**Friday**: pay [the invoice](https://erp.example/inv/118).\n- call Jana\n```sql\nselect 1\n```"

    _speech(server).synthesize(answer)

    [request] = server.speech_requests()
    assert request["input"] == "Plan\nFriday: pay the invoice.\ncall Jana\n (code omitted)"
