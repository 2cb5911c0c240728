"""Issue 13 through the real webhook (or the email function) and the real ASL: names, forwards, stickers, long
answers, context, voice offline, email."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.workflow.payloads import RespondOutput
from office_assistant.workflow.tasks import EMAIL
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import EMAIL_SLACK_CHANNEL, SLACK_SIGNING_SECRET
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.sqs_events import sqs_event, sqs_record
from office_assistant_local.standins.chat_completions import message_text
from office_assistant_local.wiring import handler_module
from tests.workflow.deliveries import deliver, deliver_telegram

if TYPE_CHECKING:
    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "events"
PRIVATE = {"id": 4242, "type": "private", "first_name": "Élodie"}
ELODIE = {"id": 4242, "is_bot": False, "first_name": "Élodie"}
_ids = iter(range(810_000, 900_000))


@pytest.fixture(autouse=True, scope="module")
def _warm_minilm(minilm: Any) -> None:
    """Load MiniLM before the first execution: a cold load on a busy machine can outlast Route's 30 s timeout,
    and these tests check what Route produced, not the degraded path."""
    minilm.embed(["warm up"])


def _slack(env: LocalEnvironment, body: dict[str, Any]) -> ExecutionResult:
    return deliver(env, SlackSender(SLACK_SIGNING_SECRET).signed(json.dumps(body)))


def _slack_body(name: str, **event: Any) -> dict[str, Any]:
    body = json.loads((FIXTURES / "slack" / f"{name}.json").read_text(encoding="utf-8"))
    body["event"].update(event)
    body["event_id"] = f"Ev13{next(_ids)}"
    body["event"]["ts"] = body["event"]["event_ts"] = f"1718001000.{next(_ids):06d}"
    return body  # type: ignore[no-any-return]


def _telegram(env: LocalEnvironment, message: dict[str, Any]) -> ExecutionResult:
    return deliver_telegram(env, next(_ids), ELODIE, PRIVATE, message)


def _conversation(env: LocalEnvironment) -> list[dict[str, Any]]:
    return env.chat_server.completion_requests()[-1]["messages"]  # type: ignore[no-any-return]


def _users_info_calls(env: LocalEnvironment) -> list[str]:
    return [str(r.body.get("user")) for r in env.slack.requests if r.path.endswith("/users.info")]


# --- names -------------------------------------------------------------------------------------------------------


def test_workflow_shows_the_model_and_the_history_names_instead_of_slack_ids(env: LocalEnvironment) -> None:
    # fresh ids: moto's state (the name cache) lives as long as the test process
    dana, omar, nobody = (f"U{uuid.uuid4().hex[:9].upper()}" for _ in range(3))
    env.slack.users.update({dana: "Dana Scully", omar: "Omar Little"})
    channel = f"C{uuid.uuid4().hex[:9].upper()}"

    _slack(env, _slack_body("message_channel", user=dana, channel=channel, text=f"<@{omar}> and <@{nobody}>, ok?"))
    _slack(env, _slack_body("message_channel", user=dana, channel=channel, text=f"thanks <@{omar}> <@{nobody}>"))

    current = _conversation(env)[-1]
    assert current["name"] == "Dana" and message_text(current["content"]) == f"thanks @Omar <@{nobody}>"
    stored = [(m.user_name, m.text) for m in env.container.store.latest(f"slack:{channel}", 10) if m.user_name]
    assert stored == [("Dana", f"@Omar and <@{nobody}>, ok?"), ("Dana", f"thanks @Omar <@{nobody}>")]
    assert sorted(_users_info_calls(env)) == sorted([dana, omar, nobody, nobody])  # a failure is not cached


def test_workflow_answers_with_the_id_as_the_name_when_users_info_fails(env: LocalEnvironment) -> None:
    env.slack.users.pop("U0CAROL", None)  # not in the workspace: users.info answers user_not_found

    output = RespondOutput.model_validate(_slack(env, _slack_body("message_channel", user="U0CAROL")).output)

    assert output.outcome == "answered"
    assert _conversation(env)[-1]["name"] == "U0CAROL"


# --- forwards -------------------------------------------------------------------------------------------------


def test_workflow_answers_a_forwarded_message_without_a_comment_and_names_its_author(env: LocalEnvironment) -> None:
    output = RespondOutput.model_validate(_slack(env, _slack_body("message_share")).output)

    assert output.outcome == "answered"
    assert message_text(_conversation(env)[-1]["content"]) == (
        "[Forwarded message from Bob Example]:\nAcme wants 40 chairs by Friday, @Alice can you confirm?"
    )


def test_workflow_answers_a_telegram_forward_naming_who_wrote_it(env: LocalEnvironment) -> None:
    origin = {"type": "user", "date": 1718000000, "sender_user": {"id": 77, "is_bot": False, "first_name": "Jana"}}

    _telegram(env, {"text": "Can we deliver 40 chairs by Friday?", "forward_origin": origin})

    expected = "[Forwarded message from Jana]:\nCan we deliver 40 chairs by Friday?"
    assert message_text(_conversation(env)[-1]["content"]) == expected


# --- stickers --------------------------------------------------------------------------------------------------


def test_workflow_answers_a_telegram_sticker_with_its_emoji_as_the_text(env: LocalEnvironment) -> None:
    sticker = {"file_id": "CAACAgI", "file_unique_id": "AgAD", "type": "regular", "emoji": "👍"}

    output = RespondOutput.model_validate(_telegram(env, {"sticker": sticker}).output)

    assert output.outcome == "answered"
    assert message_text(_conversation(env)[-1]["content"]) == "[sticker 👍]"
    assert len(env.telegram.sent(PRIVATE["id"])) == 1


# --- long answers -----------------------------------------------------------------------------------------------


def test_workflow_continues_an_answer_cut_by_max_tokens_and_posts_it_whole(env: LocalEnvironment) -> None:
    env.chat_server.queue_text("lorem " * 5600)  # over the route's 5500 tokens (the loopback counts words)
    env.chat_server.queue_text(" and that is the whole memo.")
    channel = f"C{uuid.uuid4().hex[:9].upper()}"

    output = RespondOutput.model_validate(_slack(env, _slack_body("message_channel", channel=channel)).output)

    first, second = env.chat_server.completion_requests()[-2:]
    assert first["max_tokens"] == second["max_tokens"] == 5500
    assert second["messages"][-1]["content"].startswith("Continue exactly where")
    assert output.reply_text is not None and output.reply_text.endswith("and that is the whole memo.")
    assert output.reply_text.count("lorem") == 5500
    sections = [b["text"]["text"] for p in env.slack.posted(channel) for b in p.args["blocks"]]
    assert sections[-1].endswith("and that is the whole memo.") and not any("cut off" in s for s in sections)


def test_workflow_marks_an_answer_still_cut_after_the_continuations_as_cut(env: LocalEnvironment) -> None:
    for _ in range(3):
        env.chat_server.queue_text("ipsum " * 5600)
    channel = f"C{uuid.uuid4().hex[:9].upper()}"

    output = RespondOutput.model_validate(_slack(env, _slack_body("message_channel", channel=channel)).output)

    assert output.reply_text is not None and output.reply_text.endswith("ask me to continue.)_")
    assert "cut off at the length limit" in env.slack.posted(channel)[-1].args["blocks"][-1]["text"]["text"]
    stored = env.container.store.latest(f"slack:{channel}", 5)[-1]
    assert stored.text == output.reply_text  # the history shows the answer as cut, too


# --- context as the legacy counted it ---------------------------------------------------------------------------


def test_workflow_gives_the_model_full_text_len_verbatim_messages_per_role_as_the_legacy_did(
    env: LocalEnvironment,
) -> None:
    channel = f"C{uuid.uuid4().hex[:9].upper()}"
    texts = [f"Please work out the budget for project {n} with the figures from last quarter." for n in range(8)]
    outputs = [
        RespondOutput.model_validate(_slack(env, _slack_body("message_channel", channel=channel, text=t)).output)
        for t in texts
    ]

    settings = env.container.route_book.get(outputs[-1].route).settings
    turns = [m for m in _conversation(env)[:-1] if m["role"] in {"user", "assistant"}]
    roles = [m["role"] for m in turns]
    assert roles.count("user") == min(7, settings.full_text_len)
    assert roles.count("assistant") == min(7, settings.full_text_len)
    summary = [m for m in _conversation(env) if str(m["content"]).startswith("Summary of the older")]
    assert bool(summary) == (7 > settings.full_text_len and settings.summary_len > 0)


# --- voice out, offline -----------------------------------------------------------------------------------------


def test_workflow_offline_answers_a_voice_note_in_text_and_says_why(env: LocalEnvironment) -> None:
    env.telegram.add_file("voice-off", b"OggS-audio", "voice/file_off.oga")
    voice = {"file_id": "voice-off", "file_unique_id": "vo", "duration": 2, "mime_type": "audio/ogg"}

    output = RespondOutput.model_validate(_telegram(env, {"voice": voice}).output)

    assert output.outcome == "answered"
    [sent] = env.telegram.sent(PRIVATE["id"])
    assert "no text-to-speech service is configured" in sent.text
    assert env.telegram.uploads() == []


# --- email ----------------------------------------------------------------------------------------------------


def test_workflow_answers_an_email_from_sqs_in_the_configured_slack_channel(env: LocalEnvironment) -> None:
    body = json.loads((FIXTURES / "email" / "new_email.json").read_text(encoding="utf-8"))
    body["payload"]["event"]["id"] = f"msg-{uuid.uuid4().hex}"
    event = sqs_event(sqs_record(json.dumps(body), message_id="sqs-1"), sqs_record("{broken", message_id="sqs-2"))

    response = handler_module(EMAIL).lambda_handler(event, LocalLambdaContext("email"))
    result = env.starter.wait(env.starter.started[-1])

    assert response == {"batchItemFailures": [{"itemIdentifier": "sqs-2"}]}
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert RespondOutput.model_validate(result.output).outcome == "answered"
    [post] = env.slack.posted(EMAIL_SLACK_CHANNEL)
    assert post.thread_ts is None and post.text.startswith("echo[gpt-4.1]: Email:\nFrom: Jana Novak")
    conversation = _conversation(env)
    assert "Subject: Invoice INV-2024-118 overdue?" in message_text(conversation[-1]["content"])
    assert any("email that arrived in the team's mailbox" in str(m["content"]) for m in conversation)
    assert conversation[-1]["name"] == "Jana_Novak"
    stored = env.container.store.latest(f"email:{EMAIL_SLACK_CHANNEL}", 10)
    assert [m.role.value for m in stored[-2:]] == ["user", "assistant"]
