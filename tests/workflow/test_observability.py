"""What operators see: no secret and no message text in the logs, correlation ids, EMF metrics per message."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import metric_names
from office_assistant.adapters.chat_model.openai_compatible import MAX_RETRIES
from office_assistant.observability import correlation_keys
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant.workflow.tasks import TASKS, WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN
from office_assistant_local.platform_requests import SlackSender, TelegramSender
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant_local.environment import LocalEnvironment


SLACK_TEXT = "Confidential: the Bluebird budget is 40k euros, what next?"
TELEGRAM_TEXT = "Private note: my salary review is on Friday, any advice?"
SERVICE_LOGGERS = ("webhook", *(task.name for task in TASKS))


class Recorder(logging.Handler):
    """Keeps every record with all its attributes (message, args, extra keys) as text."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {record.__dict__!r}")


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """Records the root logger (package and libraries at INFO) and the handlers' Powertools loggers."""
    recorder = Recorder()
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in SERVICE_LOGGERS)]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(recorder)
    logging.getLogger().setLevel(logging.INFO)
    yield recorder
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(recorder)
        lg.setLevel(level)


def _converse(env: LocalEnvironment, model_fails_first: bool = False) -> None:
    webhook = handler_module(WEBHOOK)
    slack_event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event("CSECRET", "U0ALICE", SLACK_TEXT)
    chat = {"id": 777, "type": "private", "first_name": "Élodie"}
    user = {"id": 777, "is_bot": False, "first_name": "Élodie"}
    telegram_event, _ = TelegramSender(TELEGRAM_SECRET_TOKEN).message_update(chat, user, TELEGRAM_TEXT)
    if model_fails_first:  # the apology path logs too
        env.chat_server.fail_next(MAX_RETRIES + 1, status=500)
    for event in (slack_event, telegram_event):
        assert webhook.lambda_handler(event, LocalLambdaContext("webhook"))["statusCode"] == 200
        env.starter.wait(env.starter.started[-1])


def test_logs_hold_no_secret_and_no_message_text_during_a_conversation(
    env: LocalEnvironment, recorder: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = env.settings
    secrets = {
        "slack bot token": settings.slack_bot_token,
        "slack signing secret": SLACK_SIGNING_SECRET,
        "telegram bot token": settings.telegram_bot_token,
        "telegram secret token": TELEGRAM_SECRET_TOKEN,
        "odoo password": settings.odoo_password,
    }

    _converse(env, model_fails_first=True)

    captured = capsys.readouterr()
    text = "\n".join([*recorder.lines, captured.out, captured.err])
    assert recorder.lines, "the scan saw no log record at all"
    assert all(secret for secret in secrets.values())
    assert [name for name, secret in secrets.items() if secret in text] == []
    assert SLACK_TEXT not in text and TELEGRAM_TEXT not in text, "message text is logged only at DEBUG"


def test_metrics_are_emitted_as_emf_for_each_answered_message(
    env: LocalEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    _converse(env)

    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    emitted = {m["Name"] for d in documents for block in d["_aws"]["CloudWatchMetrics"] for m in block["Metrics"]}
    namespaces = {block["Namespace"] for d in documents for block in d["_aws"]["CloudWatchMetrics"]}
    branches = {d.get(metric_names.BRANCH_DIMENSION) for d in documents if metric_names.BRANCH_DURATION in d}

    assert namespaces == {metric_names.NAMESPACE}
    assert set(metric_names.ALL_METRICS) <= emitted
    assert branches == set(metric_names.BRANCHES)
    assert all("service" not in d for d in documents), "a service dimension would hide them from the dashboard"


def test_route_step_logs_with_the_message_as_correlation_id(env: LocalEnvironment) -> None:
    route = handler_module(TASKS[0])
    event, ts = SlackSender(SLACK_SIGNING_SECRET).message_event("CCORR", "U0ALICE", "hello")
    from office_assistant.adapters.chat_platforms import slack

    message = slack.parse_event(json.loads(event["body"]), env.settings.slack_bot_user_id)
    payload: dict[str, Any] = WorkflowInput(message=message).model_dump(mode="json")  # type: ignore[arg-type]

    route.lambda_handler(payload, LocalLambdaContext("route"))

    assert route.logger.get_correlation_id() == f"slack:CCORR:{message.message_id}"  # type: ignore[union-attr]
    assert correlation_keys(message)["execution"] == message.key.execution_name  # type: ignore[union-attr]
