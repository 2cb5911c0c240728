"""Voice and video through the real webhook and ASL, with Whisper (and text-to-speech) on the loopback OpenAI."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.adapters.chat_model import build_openai_client
from office_assistant.adapters.speech.openai_tts import OpenAiSpeech
from office_assistant.adapters.transcriber.openai_whisper import WhisperTranscriber
from office_assistant.services.voice_reply import AUDIO_TITLE
from office_assistant.workflow.payloads import RespondOutput
from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.standins.chat_completions import SPEECH_MAGIC, ChatCompletionsLoopback, message_text
from tests.workflow.deliveries import deliver, deliver_telegram

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

PRIVATE = {"id": 5151, "type": "private", "first_name": "Noor"}
NOOR = {"id": 5151, "is_bot": False, "first_name": "Noor"}
_ids = iter(range(910_000, 990_000))


@pytest.fixture
def whisper() -> Iterator[ChatCompletionsLoopback]:
    """The OpenAI audio endpoints on loopback (the local stack has no transcription or speech of its own)."""
    with ChatCompletionsLoopback() as server:
        yield server


@pytest.fixture
def env(
    tmp_path: Path, minilm: Any, semantic_classifier: Any, whisper: ChatCompletionsLoopback
) -> Iterator[LocalEnvironment]:
    minilm.embed(["warm up"])  # a cold MiniLM load on a busy machine can outlast Route's 30 s
    client = build_openai_client(whisper.base_url, "sk-loopback", 10.0)
    audio = {"transcriber": WhisperTranscriber(client), "speech": OpenAiSpeech(client)}
    with local_environment(tmp_path, embedder=minilm, classifier=semantic_classifier, **audio) as environment:
        bootstrap.configure(environment.container)
        yield environment
        bootstrap.reset()


def _telegram(env: LocalEnvironment, message: dict[str, Any]) -> ExecutionResult:
    return deliver_telegram(env, next(_ids), NOOR, PRIVATE, message)


def _slack_files(env: LocalEnvironment, channel: str, files: list[dict[str, Any]], text: str = "") -> ExecutionResult:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text)
    payload = json.loads(event["body"])
    payload["event"].update(subtype="file_share", files=files)
    return deliver(env, SlackSender(SLACK_SIGNING_SECRET).signed(json.dumps(payload)))


def _conversation(env: LocalEnvironment) -> list[dict[str, Any]]:
    return env.chat_server.completion_requests()[-1]["messages"]  # type: ignore[no-any-return]


def _notes(env: LocalEnvironment) -> str:
    return " ".join(str(m["content"]) for m in _conversation(env) if "Notes about this message" in str(m["content"]))


# --- video ------------------------------------------------------------------------------------------------------


def test_workflow_transcribes_the_sound_of_a_slack_video(
    env: LocalEnvironment, whisper: ChatCompletionsLoopback
) -> None:
    url = env.slack.add_file("F0VIDEO01", "standup.mp4", b"we ship the release on friday")
    video = {"id": "F0VIDEO01", "name": "standup.mp4", "mimetype": "video/mp4", "size": 29, "url_private": url}

    result = _slack_files(env, f"C{uuid.uuid4().hex[:8].upper()}", [video], text="notes from the standup")

    assert RespondOutput.model_validate(result.output).outcome == "answered"
    assert message_text(_conversation(env)[-1]["content"]) == (
        "notes from the standup\n\n[Transcript of standup.mp4]: we ship the release on friday"
    )
    [upload] = whisper.transcription_requests()
    assert b'filename="standup.mp4"' in upload.raw_body


def test_workflow_transcribes_a_telegram_video_note(env: LocalEnvironment) -> None:
    env.telegram.add_file("vnote-1", b"call me back after lunch", "video_notes/file_3.mp4")
    video_note = {"file_id": "vnote-1", "file_unique_id": "v1", "length": 240, "duration": 3, "file_size": 23}

    _telegram(env, {"video_note": video_note})

    assert message_text(_conversation(env)[-1]["content"]) == "[Transcript of video 1]: call me back after lunch"


def test_workflow_answers_a_video_over_the_transcription_limit_with_a_note_and_never_downloads_it(
    env: LocalEnvironment, whisper: ChatCompletionsLoopback
) -> None:
    url = env.slack.add_file("F0VIDEO02", "all-hands.mov", b"too big to send")
    video = {"id": "F0VIDEO02", "name": "all-hands.mov", "mimetype": "video/quicktime", "size": 300_000_000}

    result = _slack_files(env, f"C{uuid.uuid4().hex[:8].upper()}", [video | {"url_private": url}], "watch this")

    assert RespondOutput.model_validate(result.output).outcome == "answered"
    assert "286.1 MB, over the 25 MB" in _notes(env) and "all-hands.mov" in _notes(env)
    assert whisper.transcription_requests() == []
    assert not any(r.path.startswith("/files-pri/") for r in env.slack.requests)


# --- voice in, voice out ----------------------------------------------------------------------------------------


def test_workflow_answers_a_telegram_voice_note_in_text_and_with_send_audio(
    env: LocalEnvironment, whisper: ChatCompletionsLoopback
) -> None:
    env.telegram.add_file("voice-7", b"when are the invoices due", "voice/file_7.oga")
    voice = {"file_id": "voice-7", "file_unique_id": "v7", "duration": 2, "mime_type": "audio/ogg", "file_size": 25}

    output = RespondOutput.model_validate(_telegram(env, {"voice": voice}).output)

    [text] = env.telegram.sent(PRIVATE["id"])
    [audio] = env.telegram.uploads(PRIVATE["id"])
    assert output.reply_text is not None and output.reply_text in text.text
    assert (audio.method, audio.filename, audio.args["title"]) == ("sendaudio", "reply.mp3", AUDIO_TITLE)
    assert audio.content == SPEECH_MAGIC + output.reply_text.encode()
    assert [r["input"] for r in whisper.speech_requests()] == [output.reply_text]


def test_workflow_uploads_the_spoken_answer_to_a_slack_thread_with_the_external_upload(
    env: LocalEnvironment,
) -> None:
    url = env.slack.add_file("F0AUDIO01", "question.m4a", b"what did we order from acme")
    clip = {"id": "F0AUDIO01", "name": "question.m4a", "mimetype": "audio/mp4", "size": 27, "url_private": url}
    channel = f"C{uuid.uuid4().hex[:8].upper()}"

    output = RespondOutput.model_validate(_slack_files(env, channel, [clip]).output)

    [post] = env.slack.posted(channel)
    [upload] = env.slack.uploads(channel)
    assert upload.thread_ts == post.thread_ts
    assert upload.content == SPEECH_MAGIC + (output.reply_text or "").encode()
    methods = [r.path.rsplit("/", 1)[-1] for r in env.slack.requests]
    assert methods.index("chat.postMessage") < methods.index("files.completeUploadExternal")


def test_workflow_answers_a_typed_message_without_speaking(
    env: LocalEnvironment, whisper: ChatCompletionsLoopback
) -> None:
    _telegram(env, {"text": "hello there"})

    assert env.telegram.uploads() == [] and whisper.speech_requests() == []
