"""Email entry point: SQS batch in → executions started, malformed records reported as batch item failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.bootstrap import Container
from office_assistant.domain.messages import Platform
from office_assistant.settings import Settings
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant.workflow.tasks import EMAIL
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.sqs_events import sqs_event, sqs_record
from office_assistant_local.wiring import handler_module
from tests.fakes import FakeStateTable
from tests.functions.conftest import RecordingStarter

if TYPE_CHECKING:
    from collections.abc import Iterator

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "email" / "new_email.json"


@pytest.fixture
def starter() -> Iterator[RecordingStarter]:
    starter = RecordingStarter()
    settings = Settings(email_slack_channel="C0MAILBOX")
    bootstrap.configure(Container(settings, state_table=FakeStateTable(), starter=starter))
    yield starter
    bootstrap.reset()


def _call(*records: dict[str, Any]) -> dict[str, Any]:
    return handler_module(EMAIL).lambda_handler(sqs_event(*records), LocalLambdaContext("email"))  # type: ignore[no-any-return]


def _email(**changes: Any) -> str:
    body = json.loads(FIXTURE.read_text(encoding="utf-8"))
    body["payload"]["event"].update(changes)
    return json.dumps(body)


def test_email_starts_one_execution_on_platform_email_for_the_configured_channel(starter: RecordingStarter) -> None:
    response = _call(sqs_record(_email()))

    assert response == {"batchItemFailures": []}
    [(_, payload)] = starter.started
    message = WorkflowInput.model_validate(payload).message
    assert (message.platform, message.chat_id, message.message_id) == (Platform.EMAIL, "C0MAILBOX", "msg-7f3a9c21")
    assert (message.user_id, message.user_name) == ("jana.novak@acme.example", "Jana Novak")
    assert message.text.startswith("Email:\nFrom: Jana Novak <jana.novak@acme.example>\n")
    assert "Subject: Invoice INV-2024-118 overdue?" in message.text and "1,250 EUR" in message.text


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[" * 50_000 + "]" * 50_000,
        json.dumps({"payload": {}}),
        json.dumps({"payload": {"event": "New Email"}}),
        json.dumps({"payload": {"event": {"type": "New Email"}}}),  # nothing in it to answer
        json.dumps({"payload": {"event": {"type": ["x"], "subject": "hi"}}}),
    ],
)
def test_email_reports_a_malformed_record_as_a_batch_item_failure_and_starts_nothing(
    starter: RecordingStarter, body: str
) -> None:
    response = _call(sqs_record(body, message_id="bad-1"))

    assert response == {"batchItemFailures": [{"itemIdentifier": "bad-1"}]}
    assert starter.started == []


def test_email_processes_the_good_records_of_a_batch_and_fails_only_the_bad_one(starter: RecordingStarter) -> None:
    response = _call(
        sqs_record(_email(id="a-1"), message_id="m1"),
        sqs_record("{", message_id="m2"),
        sqs_record(_email(id="a-3"), message_id="m3"),
    )

    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert len(starter.started) == 2


def test_email_answers_a_redelivered_record_once(starter: RecordingStarter) -> None:
    body = _email(id=None, message_id=None)  # no id of its own: keyed by a digest of its content

    responses = [_call(sqs_record(body, receive_count=n)) for n in (1, 2)]

    assert responses == [{"batchItemFailures": []}] * 2
    assert len(starter.started) == 1


def test_email_fails_every_record_when_no_slack_channel_is_configured() -> None:
    starter = RecordingStarter()
    bootstrap.configure(Container(Settings(), state_table=FakeStateTable(), starter=starter))
    try:
        response = _call(sqs_record(_email(), message_id="m1"))
    finally:
        bootstrap.reset()

    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert starter.started == []
