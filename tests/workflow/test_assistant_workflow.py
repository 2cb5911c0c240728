"""The assistant's workflow end to end: webhook → the real ASL on the local engine → a reply at the wire."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.adapters.chat_platforms import slack
from office_assistant.domain.messages import InboundMessage, Role
from office_assistant.services.respond import APOLOGY
from office_assistant.workflow.definition import load_local
from office_assistant.workflow.payloads import RespondInput, RespondOutput, RouteOutput, WorkflowInput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine import run_state_machine
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN
from office_assistant_local.platform_requests import SlackSender, TelegramSender
from office_assistant_local.wiring import handler_module, handlers_for

if TYPE_CHECKING:
    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

TELEGRAM_CHAT = {"id": 4242, "type": "private", "first_name": "Élodie"}
ELODIE = {"id": 4242, "is_bot": False, "first_name": "Élodie"}
BRANCHES = ("History", "Relevance", "Auxiliary")


def _say_on_slack(env: LocalEnvironment, text: str, channel: str = "C1", mention: bool = False) -> ExecutionResult:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text, mention=mention)
    response = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))
    assert response["statusCode"] == 200, response
    return env.starter.wait(env.starter.started[-1])


def _output(result: ExecutionResult) -> RespondOutput:
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return RespondOutput.model_validate(result.output)


def _run_with(
    env: LocalEnvironment, replace: dict[str, Any], text: str = "please summarise our plans"
) -> ExecutionResult:
    """Run one message through the real ASL with some handlers replaced (faults), the rest real."""
    handlers = handlers_for(env.container) | replace
    return run_state_machine(load_local(), handlers, _workflow_input(env, text))


def _workflow_input(env: LocalEnvironment, text: str, channel: str = "C9") -> dict[str, Any]:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event(channel, "U0ALICE", text)
    inbound = slack.parse_event(json.loads(event["body"]), env.settings.slack_bot_user_id)
    assert isinstance(inbound, InboundMessage)
    return WorkflowInput(message=inbound).model_dump(mode="json")


def test_workflow_answers_a_slack_message_in_its_channel(env: LocalEnvironment) -> None:
    result = _say_on_slack(env, "Can you list the open invoices for our customer Acme in Odoo?")

    output = _output(result)
    assert (output.replied, output.outcome, output.route, output.degraded_branches) == (
        True,
        "answered",
        "odoo_erp",
        [],
    )
    posts = env.slack.posted("C1")
    assert [p.text for p in posts] == [output.reply_text]
    stored = env.container.store.latest("slack:C1", 10)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]


def test_workflow_sends_the_model_every_setting_of_the_route(env: LocalEnvironment) -> None:
    _say_on_slack(env, "Can you list the open invoices for our customer Acme in Odoo?")

    settings = env.container.route_book.get("odoo_erp").settings
    request = env.chat_server.completion_requests()[-1]
    assert (request["model"], request["temperature"], request["max_tokens"]) == (
        settings.model,
        settings.temperature,
        settings.max_tokens,
    )
    assert request["messages"][0]["content"].startswith(settings.system_prompt)
    assert any("res.partner" in str(m["content"]) for m in request["messages"]), "the Odoo models reach the model"


def test_workflow_answers_on_telegram_and_recalls_an_older_relevant_message(env: LocalEnvironment) -> None:
    sender = TelegramSender(TELEGRAM_SECRET_TOKEN)
    texts = [
        "Our new project is code-named Bluebird and its budget is 40k euros.",
        "Hello again, nice weather today!",
        "Haha yes, have a nice day!",
        "Remind me, what was the code name of our new project?",
    ]
    results = []
    ids = []
    for text in texts:
        event, message_id = sender.message_update(TELEGRAM_CHAT, ELODIE, text)
        ids.append(str(message_id))
        assert handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))["statusCode"] == 200
        results.append(env.starter.wait(env.starter.started[-1]))

    last = _output(results[-1])
    assert ids[0] in last.relevant_message_ids
    assert len(env.telegram.sent(4242)) == len(texts)


def test_workflow_in_a_muted_chat_stores_the_message_and_answers_only_a_mention(env: LocalEnvironment) -> None:
    env.container.state_table.set_muted("slack:CQUIET", True)

    quiet = _output(_say_on_slack(env, "lunch at noon everyone", channel="CQUIET"))
    mentioned = _output(
        _say_on_slack(env, "<@U0LOOPBOT> what is the capital of France?", channel="CQUIET", mention=True)
    )

    assert (quiet.replied, quiet.outcome) == (False, "muted")
    assert (mentioned.replied, mentioned.outcome) == (True, "answered")
    assert len(env.slack.posted("CQUIET")) == 1
    assert [m.text for m in env.container.store.latest("slack:CQUIET", 10) if m.role is Role.USER] == [
        "lunch at noon everyone",
        "@Office what is the capital of France?",  # the bot's own mention shown by its display name too
    ]


@pytest.mark.parametrize("branch", BRANCHES)
def test_workflow_succeeds_with_the_branch_marked_degraded_when_a_branch_raises(
    env: LocalEnvironment, branch: str
) -> None:
    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise ConnectionError(f"{branch} backend unreachable")

    result = _run_with(env, {branch.lower(): broken})

    output = _output(result)
    assert output.degraded_branches == [branch]
    assert output.replied and output.outcome == "answered"


@pytest.mark.parametrize("branch", BRANCHES)
def test_workflow_succeeds_with_the_branch_marked_degraded_when_a_branch_times_out(
    env: LocalEnvironment, branch: str
) -> None:
    timeout_s = _branch_timeout(branch)

    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        time.sleep(timeout_s + 1)
        return {}

    result = _run_with(env, {branch.lower(): slow})

    output = _output(result)
    assert output.degraded_branches == [branch]
    assert output.replied


def _branch_timeout(branch: str) -> int:
    gather = load_local()["States"]["GatherContext"]
    (task,) = [b["States"][branch] for b in gather["Branches"] if b["StartAt"] == branch]
    return int(task["TimeoutSeconds"])


def test_workflow_answers_with_the_default_route_when_the_route_step_fails(env: LocalEnvironment) -> None:
    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("semantic router crashed")

    output = _output(_run_with(env, {"route": broken}))

    assert (output.route, output.outcome) == ("default", "answered")


def test_workflow_stores_the_user_message_and_the_apology_when_the_model_fails(env: LocalEnvironment) -> None:
    env.chat_server.fail_next(5, status=500)

    output = _output(_say_on_slack(env, "what are our plans for the offsite?", channel="CFAIL"))

    assert (output.outcome, output.reply_text) == ("model_failed", APOLOGY)
    assert [p.text for p in env.slack.posted("CFAIL")] == [APOLOGY]
    assert [m.text for m in env.container.store.latest("slack:CFAIL", 10)] == [
        "what are our plans for the offsite?",
        APOLOGY,
    ]


def test_workflow_hands_every_state_an_input_its_payload_model_accepts(env: LocalEnvironment) -> None:
    seen: dict[str, list[dict[str, Any]]] = {}
    real = handlers_for(env.container)

    def recording(name: str) -> Any:
        def handler(event: dict[str, Any], context: Any) -> Any:
            seen.setdefault(name, []).append(event)
            return real[name](event, context)

        return handler

    payload = _workflow_input(env, "hello there", channel="C1")
    result = run_state_machine(load_local(), {name: recording(name) for name in real}, payload)

    assert result.status == "SUCCEEDED"
    WorkflowInput.model_validate(seen["route"][0])
    for branch in ("history", "relevance", "auxiliary"):
        RouteOutput.model_validate(seen[branch][0])
    RespondInput.model_validate(seen["respond"][0])
    RespondOutput.model_validate(result.output)
