"""Spoken replies: each mode, with slack_sdk against the loopback Slack and TTS on the loopback OpenAI."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import httpx
import pytest
from slack_sdk import WebClient

from office_assistant.adapters.chat_model import build_openai_client
from office_assistant.adapters.chat_platforms import SlackPlatform, TelegramPlatform
from office_assistant.adapters.speech.openai_tts import OpenAiSpeech
from office_assistant.domain.messages import Attachment, Platform
from office_assistant.services.voice_reply import NO_SPEECH_NOTE, VoiceReplies
from office_assistant_local.standins.chat_completions import SPEECH_MAGIC, ChatCompletionsLoopback
from office_assistant_local.standins.recorder import Reply
from office_assistant_local.standins.slack import DEFAULT_TOKEN, SlackLoopback
from office_assistant_local.standins.telegram import DEFAULT_TOKEN as TELEGRAM_TOKEN
from office_assistant_local.standins.telegram import TelegramLoopback
from tests.builders import a_message

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.domain.messages import InboundMessage

VOICE_NOTE = Attachment("audio", "", "audio/ogg", "voice.ogg", 1200)


@pytest.fixture
def slack() -> Iterator[SlackLoopback]:
    with SlackLoopback() as server:
        yield server


@pytest.fixture
def openai_api() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as server:
        yield server


@pytest.fixture
def platform(slack: SlackLoopback) -> SlackPlatform:
    return SlackPlatform(WebClient(token=DEFAULT_TOKEN, base_url=slack.api_url))


def _speech(openai_api: ChatCompletionsLoopback) -> OpenAiSpeech:
    return OpenAiSpeech(build_openai_client(openai_api.base_url, "sk-loopback", 5.0))


def _spoken() -> InboundMessage:
    return replace(a_message("[Transcript of voice.ogg]: when is the invoice due?"), attachments=(VOICE_NOTE,))


def test_audio_and_text_posts_the_text_then_the_spoken_answer(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    posted = VoiceReplies(_speech(openai_api), "audio+text").deliver(platform, _spoken(), "On Friday.")

    assert [p.text for p in slack.posted()] == ["On Friday."]
    [upload] = slack.uploads()
    assert upload.content == SPEECH_MAGIC + b"On Friday." and posted.message_id == slack.posted()[0].ts


def test_audio_only_posts_just_the_spoken_answer_as_the_legacy_did(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    posted = VoiceReplies(_speech(openai_api), "audio").deliver(platform, _spoken(), "On Friday.")

    assert slack.posted() == []
    assert [u.file_id for u in slack.uploads()] == [posted.message_id]


def test_audio_only_falls_back_to_text_when_no_audio_can_be_made(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    openai_api.fail_next(2, status=500)

    VoiceReplies(_speech(openai_api), "audio").deliver(platform, _spoken(), "On Friday.")

    assert [p.text for p in slack.posted()] == ["On Friday."] and slack.uploads() == []


def test_text_mode_and_typed_messages_are_never_spoken(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    VoiceReplies(_speech(openai_api), "text").deliver(platform, _spoken(), "one")
    VoiceReplies(_speech(openai_api), "audio").deliver(platform, a_message("typed"), "two")

    assert [p.text for p in slack.posted()] == ["one", "two"]
    assert slack.uploads() == [] and openai_api.speech_requests() == []


def test_without_speech_the_answer_is_text_saying_why(slack: SlackLoopback, platform: SlackPlatform) -> None:
    VoiceReplies(None, "audio").deliver(platform, _spoken(), "On Friday.")

    [post] = slack.posted()
    assert post.text.startswith("On Friday.") and NO_SPEECH_NOTE.strip("_") in post.text


# --- audio alone, when the upload's answer is lost ------------------------------------------------------------


def test_audio_alone_whose_slack_completion_answer_is_lost_is_not_followed_by_the_text(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    slack.lose_answer("files.completeUploadExternal")  # Slack shares the file; the answer never comes back

    posted = VoiceReplies(_speech(openai_api), "audio").deliver(platform, _spoken(), "On Friday.")

    [upload] = slack.uploads()
    assert slack.posted() == []  # answered once: by the audio
    assert posted.message_id == upload.file_id  # files.info found it shared


def test_audio_alone_with_a_5xx_after_sharing_and_no_files_info_is_not_followed_by_the_text(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    slack.lose_answer("files.completeUploadExternal", Reply(503, {"ok": False, "error": "service_unavailable"}))
    slack.lose_answer("files.info", Reply(500, {"ok": False, "error": "internal_error"}))

    VoiceReplies(_speech(openai_api), "audio").deliver(platform, _spoken(), "On Friday.")

    assert len(slack.uploads()) == 1 and slack.posted() == []  # it may be there (it is): no second answer


def test_audio_alone_that_slack_certainly_did_not_take_falls_back_to_the_text(
    slack: SlackLoopback, platform: SlackPlatform, openai_api: ChatCompletionsLoopback
) -> None:
    slack.lose_answer("files.getUploadURLExternal", Reply(200, {"ok": False, "error": "not_allowed_token_type"}))

    VoiceReplies(_speech(openai_api), "audio").deliver(platform, _spoken(), "On Friday.")

    assert slack.uploads() == []
    assert [p.text for p in slack.posted()] == ["On Friday."]


def test_audio_alone_whose_telegram_answer_is_lost_is_not_followed_by_the_text(
    openai_api: ChatCompletionsLoopback,
) -> None:
    message = replace(_spoken(), platform=Platform.TELEGRAM, chat_id="4242", message_id="77")
    with TelegramLoopback() as telegram, httpx.Client(timeout=5.0) as http:
        platform = TelegramPlatform(http, TELEGRAM_TOKEN, base_url=telegram.url)
        telegram.lose_answer("sendAudio")  # sent; the connection closes before the answer

        VoiceReplies(_speech(openai_api), "audio").deliver(platform, message, "On Friday.")

        assert len(telegram.uploads("4242")) == 1 and telegram.sent("4242") == []


def test_audio_alone_that_telegram_refused_falls_back_to_the_text(openai_api: ChatCompletionsLoopback) -> None:
    message = replace(_spoken(), platform=Platform.TELEGRAM, chat_id="4243", message_id="78")
    with TelegramLoopback() as telegram, httpx.Client(timeout=5.0) as http:
        platform = TelegramPlatform(http, TELEGRAM_TOKEN, base_url=telegram.url)
        telegram.fail_next(1, 400, "Bad Request: not enough rights to send audios to the chat")

        VoiceReplies(_speech(openai_api), "audio").deliver(platform, message, "On Friday.")

        assert telegram.uploads("4243") == [] and [s.text for s in telegram.sent("4243")] == ["On Friday."]
