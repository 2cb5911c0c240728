"""The route function crashing, through the real webhook and ASL with Whisper on the loopback OpenAI: what the Prepare
step worked into a message (transcripts, document text) reaches Respond, and a text-only message never pays the
Prepare hop."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.adapters.chat_model import build_openai_client
from office_assistant.adapters.transcriber.openai_whisper import WhisperTranscriber
from office_assistant.domain.messages import Role
from office_assistant.workflow.payloads import RespondOutput, Stage
from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback, message_text
from tests.workflow.deliveries import deliver, deliver_telegram

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

RuntimeExitError = type("Runtime.ExitError", (Exception,), {})  # the error name Lambda gives a crashed runtime
NOOR = {"id": 6161, "is_bot": False, "first_name": "Noor"}
PRIVATE = {"id": 6161, "type": "private", "first_name": "Noor"}


@pytest.fixture
def env(tmp_path: Path, minilm: Any, semantic_classifier: Any) -> Iterator[LocalEnvironment]:
    minilm.embed(["warm up"])  # a cold MiniLM load on a busy machine can outlast Route's timeout
    with ChatCompletionsLoopback() as whisper:
        transcriber = WhisperTranscriber(build_openai_client(whisper.base_url, "sk-loopback", 10.0))
        with local_environment(
            tmp_path, embedder=minilm, classifier=semantic_classifier, transcriber=transcriber
        ) as environment:
            bootstrap.configure(environment.container)
            yield environment
            bootstrap.reset()


def _crash_the_route_function(env: LocalEnvironment, stage: Stage) -> None:
    """The route function's runtime exits whenever it is invoked for `stage` (the other stage runs as deployed)."""
    provide = env.starter.handlers

    def handlers() -> dict[str, Any]:
        real = provide()
        route = real["route"]

        def crashing(event: dict[str, Any], context: Any) -> Any:
            if event.get("stage", Stage.ROUTE) == stage:
                raise RuntimeExitError("RequestId: 1 Error: Runtime exited with error: signal: killed")
            return route(event, context)

        return real | {"route": crashing}

    env.starter.handlers = handlers


def _slack_files(env: LocalEnvironment, channel: str, files: list[dict[str, Any]], text: str) -> ExecutionResult:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text)
    payload = json.loads(event["body"])
    payload["event"].update(subtype="file_share", files=files)
    return deliver(env, SlackSender(SLACK_SIGNING_SECRET).signed(json.dumps(payload)))


def _last_user_text(env: LocalEnvironment) -> str:
    return message_text(env.chat_server.completion_requests()[-1]["messages"][-1]["content"])


def _notes(env: LocalEnvironment) -> str:
    messages = env.chat_server.completion_requests()[-1]["messages"]
    return " ".join(str(m["content"]) for m in messages if "Notes about this message" in str(m["content"]))


def _states(result: ExecutionResult) -> list[str]:
    return [state.name for state in result.states]


def test_a_route_crash_after_prepare_keeps_the_transcript_of_a_telegram_voice_note(env: LocalEnvironment) -> None:
    env.telegram.add_file("voice-crash", b"is the acme invoice paid", "voice/file_9.oga")
    voice = {"file_id": "voice-crash", "file_unique_id": "vc", "duration": 2, "mime_type": "audio/ogg"}
    _crash_the_route_function(env, Stage.ROUTE)

    result = deliver_telegram(env, 7_000_001, NOOR, PRIVATE, {"voice": voice | {"file_size": 24}})

    assert _states(result)[:4] == ["HasMedia", "Prepare", "Route", "RouteDegraded"]
    assert RespondOutput.model_validate(result.output).outcome == "answered"
    assert _last_user_text(env) == "[Transcript of audio 1]: is the acme invoice paid"
    assert "route failed: Runtime.ExitError" in _notes(env)
    [reply] = env.telegram.sent(PRIVATE["id"])  # answered once
    [stored] = [m for m in env.container.store.latest("telegram:6161", 10) if m.role is Role.USER]
    assert "is the acme invoice paid" in stored.text


def test_a_route_crash_after_prepare_keeps_the_text_of_a_slack_document(env: LocalEnvironment) -> None:
    channel = f"C{uuid.uuid4().hex[:8].upper()}"
    url = env.slack.add_file("F0CRASH01", "terms.txt", b"Payment is due 30 days after delivery.")
    document = {"id": "F0CRASH01", "name": "terms.txt", "mimetype": "text/plain", "size": 38, "url_private": url}
    _crash_the_route_function(env, Stage.ROUTE)

    result = _slack_files(env, channel, [document], "what are the payment terms?")

    assert "RouteDegraded" in _states(result)
    assert RespondOutput.model_validate(result.output).outcome == "answered"
    assert "[Document terms.txt]\nPayment is due 30 days after delivery." in _last_user_text(env)
    assert len(env.slack.posted(channel)) == 1


def test_a_prepare_crash_still_routes_the_message_and_says_its_attachments_were_not_read(
    env: LocalEnvironment,
) -> None:
    channel = f"C{uuid.uuid4().hex[:8].upper()}"
    url = env.slack.add_file("F0CRASH02", "terms.txt", b"Payment is due 30 days after delivery.")
    document = {"id": "F0CRASH02", "name": "terms.txt", "mimetype": "text/plain", "size": 38, "url_private": url}
    _crash_the_route_function(env, Stage.PREPARE)

    result = _slack_files(env, channel, [document], "what are the payment terms?")

    assert _states(result)[:4] == ["HasMedia", "Prepare", "PrepareDegraded", "Route"]
    assert "RouteDegraded" not in _states(result)
    assert "the attachments could not be read: Runtime.ExitError" in _notes(env)
    assert _last_user_text(env) == "what are the payment terms?"
    assert not any(r.path.startswith("/files-pri/") for r in env.slack.requests)  # Route does not try again


def test_a_text_only_message_goes_straight_to_route(env: LocalEnvironment) -> None:
    result = deliver_telegram(env, 7_000_002, NOOR, PRIVATE, {"text": "good morning"})

    assert _states(result)[:3] == ["HasMedia", "Route", "GatherContext"]
