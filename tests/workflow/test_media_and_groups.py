"""Issue 3 at workflow level: group messages stored without a reply, media worked in by Route, indicators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant.adapters.http_edge.webhook import TELEGRAM_SECRET_HEADER
from office_assistant.workflow.payloads import RespondOutput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN
from office_assistant_local.http_events import api_gateway_event
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.standins.chat_completions import message_text
from office_assistant_local.wiring import handler_module
from tests.workflow.test_assistant_workflow import _say_on_slack

if TYPE_CHECKING:
    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

GROUP = {"id": -1001987654321, "type": "supergroup", "title": "Office team"}
ELODIE = {"id": 4242, "is_bot": False, "first_name": "Élodie"}
_ids = iter(range(700_000, 800_000))


def _send_update(env: LocalEnvironment, message: dict[str, Any]) -> ExecutionResult:
    update_id = next(_ids)
    fields = {"message_id": update_id, "from": ELODIE, "date": 1718000000, **message}
    update = {"update_id": update_id, "message": fields}
    headers = {"content-type": "application/json", TELEGRAM_SECRET_HEADER: TELEGRAM_SECRET_TOKEN}
    event = api_gateway_event("POST", "/telegram/webhook", headers, json.dumps(update))
    assert handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))["statusCode"] == 200
    result = env.starter.wait(env.starter.started[-1])
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result


def _last_conversation(env: LocalEnvironment) -> list[dict[str, Any]]:
    return env.chat_server.completion_requests()[-1]["messages"]  # type: ignore[no-any-return]


def test_workflow_stores_an_unaddressed_group_message_and_answers_a_mention(env: LocalEnvironment) -> None:
    plain = _send_update(env, {"chat": GROUP, "text": "lunch at 12:30 today?"})
    mention_text = "@office_assistant_bot where is lunch?".replace("office_assistant_bot", env.telegram.bot_username)
    entity = {"type": "mention", "offset": 0, "length": len(env.telegram.bot_username) + 1}
    addressed = _send_update(env, {"chat": GROUP, "text": mention_text, "entities": [entity]})

    assert RespondOutput.model_validate(plain.output).outcome == "not_addressed"
    assert RespondOutput.model_validate(addressed.output).outcome == "answered"
    assert len(env.telegram.sent(GROUP["id"])) == 1
    stored = [m.text for m in env.container.store.latest(f"telegram:{GROUP['id']}", 10)]
    assert stored[:2] == ["lunch at 12:30 today?", mention_text]


def test_workflow_answers_a_voice_note_with_a_note_when_no_transcription_is_available(env: LocalEnvironment) -> None:
    env.telegram.add_file("voice-1", b"OggS-audio", "voice/file_1.oga")
    chat = {"id": 4242, "type": "private", "first_name": "Élodie"}

    result = _send_update(env, {"chat": chat, "voice": {"file_id": "voice-1", "duration": 2, "mime_type": "audio/ogg"}})

    assert RespondOutput.model_validate(result.output).outcome == "answered"
    notes = [m["content"] for m in _last_conversation(env) if "Notes about this message" in str(m["content"])]
    assert notes and "no transcription service" in notes[0]


def test_workflow_stores_a_telegram_photo_privately_and_never_shows_the_model_the_token(env: LocalEnvironment) -> None:
    env.telegram.add_file("photo-big", b"\xff\xd8jpeg-bytes", "photos/file_9.jpg")
    chat = {"id": 4242, "type": "private", "first_name": "Élodie"}
    photo = [{"file_id": "photo-big", "file_unique_id": "u9", "width": 800, "height": 600, "file_size": 13}]

    _send_update(env, {"chat": chat, "photo": photo, "caption": "what is this?"})

    s3 = env.container.media_bucket.client  # type: ignore[attr-defined]
    listed = s3.list_objects_v2(Bucket=env.settings.media_bucket, Prefix="images/")  # not other tests' workflow/
    keys = [o["Key"] for o in listed.get("Contents", [])]
    assert len(keys) == 1 and keys[0].startswith("images/telegram/")
    conversation = _last_conversation(env)
    assert env.telegram.token not in json.dumps(conversation)
    assert all(isinstance(m["content"], str) for m in conversation)  # local model: no image parts
    assert message_text(conversation[-1]["content"]) == "what is this?"


def test_workflow_shows_typing_on_telegram_and_a_reaction_on_slack_while_it_works(env: LocalEnvironment) -> None:
    chat = {"id": 4242, "type": "private", "first_name": "Élodie"}

    _send_update(env, {"chat": chat, "text": "hello"})
    _say_on_slack(env, "hello from slack")

    assert any(r.path.endswith("/sendChatAction") for r in env.telegram.requests)
    slack_methods = [r.path.rsplit("/", 1)[-1] for r in env.slack.requests]
    assert slack_methods.index("reactions.add") < slack_methods.index("chat.postMessage")
    assert "reactions.remove" in slack_methods and env.slack.reactions() == {}


def test_workflow_reads_a_slack_file_share_with_the_bot_token_and_answers_in_the_thread(env: LocalEnvironment) -> None:
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "slack" / "file_share.json"
    body = json.loads(fixture.read_text(encoding="utf-8"))
    csv_url = env.slack.add_file("F07CSV0001", "stock.csv", b"sku,qty\nCHAIR-1,5\n")
    body["event"]["files"] = [
        {"id": "F07CSV0001", "name": "stock.csv", "mimetype": "text/csv", "size": 18, "url_private": csv_url},
        {"id": "F07GONE001", "name": "gone.png", "mimetype": "image/png", "size": 10, "url_private": csv_url + "x"},
    ]
    body["event"]["thread_ts"] = "1718000600.000100"
    event = SlackSender(SLACK_SIGNING_SECRET).signed(json.dumps(body))

    assert handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))["statusCode"] == 200
    result = env.starter.wait(env.starter.started[-1])

    assert RespondOutput.model_validate(result.output).outcome == "answered"
    conversation = _last_conversation(env)
    assert "[Document stock.csv]\nsku, qty\nCHAIR-1, 5" in conversation[-1]["content"]
    assert any("gone.png" in str(m["content"]) and "could not be used" in str(m["content"]) for m in conversation)
    [post] = env.slack.posted()
    assert post.thread_ts == "1718000600.000100"
