"""With redaction on, nothing the workflow logs holds a message's raw personal data.

Messages with a name, an email address, a phone number and an IBAN (in the text, and in a shared document) go in
through the webhook and run the real ASL on the local engine, which invokes each step's real `lambda_handler`.
Scanned: everything a level-ALL execution log holds (the execution input, every state's input and output, every
Lambda payload, errors and causes: `ExecutionResult.logged_data`) and every log line the functions write
(stdout/stderr at the file-descriptor level, where Powertools' Logger writes, and every stdlib log record).
"""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.workflow.payloads import RespondOutput, WorkflowInput
from office_assistant.workflow.tasks import WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.environment import SLACK_SIGNING_SECRET, local_environment
from office_assistant_local.platform_requests import SlackSender
from office_assistant_local.wiring import handler_module

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.adapters.pii import PresidioRedactor
    from office_assistant_local.engine.runner import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment

NAME, EMAIL, PHONE, IBAN = "John Smith", "john.smith@acme.com", "+1 415 555 0132", "DE89 3704 0044 0532 0130 00"
PERSONAL = (NAME, EMAIL, PHONE, IBAN, "john.smith", "415 555 0132", "DE89370400440532013000")
TEXT = f"Hi, I'm {NAME}, mail me at {EMAIL} or call {PHONE}. Please pay the invoice to IBAN {IBAN}."
DOCUMENT = f"Supplier contact: {NAME}, {EMAIL}, phone {PHONE}.\nBank account: IBAN {IBAN}.\n"


@pytest.fixture(scope="module")
def presidio() -> PresidioRedactor:
    from office_assistant.adapters.pii import PresidioRedactor

    redactor = PresidioRedactor()
    redactor.load()
    return redactor


@pytest.fixture
def redacting_env(
    tmp_path: Path, minilm: Any, semantic_classifier: Any, presidio: PresidioRedactor
) -> Iterator[LocalEnvironment]:
    with local_environment(
        tmp_path,
        real_services={"OA_PII": "all"},
        embedder=minilm,
        classifier=semantic_classifier,
        pii_redactor=presidio,
    ) as environment:
        bootstrap.configure(environment.container)
        yield environment
        bootstrap.reset()


def _through_the_webhook(env: LocalEnvironment, event: dict[str, Any]) -> ExecutionResult:
    response = handler_module(WEBHOOK).lambda_handler(event, LocalLambdaContext("webhook"))
    assert response["statusCode"] == 200, response
    return env.starter.wait(env.starter.started[-1])


def _text_message(env: LocalEnvironment) -> ExecutionResult:
    event, _ = SlackSender(SLACK_SIGNING_SECRET).message_event("CPII01", "U0ALICE", TEXT)
    return _through_the_webhook(env, event)


def _document_message(env: LocalEnvironment) -> ExecutionResult:
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "slack" / "file_share.json"
    body = json.loads(fixture.read_text(encoding="utf-8"))
    url = env.slack.add_file("F07PII0001", "supplier.txt", DOCUMENT.encode())
    body["event"]["channel"] = "CPII02"
    body["event"]["text"] = "Who is the contact in this file?"
    body["event"]["files"] = [
        {"id": "F07PII0001", "name": "supplier.txt", "mimetype": "text/plain", "size": 90, "url_private": url}
    ]
    return _through_the_webhook(env, SlackSender(SLACK_SIGNING_SECRET).signed(json.dumps(body)))


def test_no_raw_personal_data_reaches_the_execution_log_or_any_lambda_log_line(
    redacting_env: LocalEnvironment, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # GIVEN redaction on for every chat, every log record of the package captured
    caplog.set_level(logging.DEBUG, logger="office_assistant")
    caplog.set_level(logging.DEBUG, logger="functions")

    # WHEN a text message and a document with personal data go through the webhook and the whole workflow
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [_text_message(redacting_env), _document_message(redacting_env)]
    out, err = capfd.readouterr()

    # THEN both are answered, the model saw placeholders, and no log holds the raw values
    assert [RespondOutput.model_validate(r.output).outcome for r in results] == ["answered", "answered"]
    logged = [text for result in results for text in result.logged_data()]
    records = [f"{r.getMessage()} {r.__dict__}" for r in caplog.records]
    everything = "\n".join([*logged, *records, out, err])
    assert "<EMAIL_ADDRESS>" in everything and "<PERSON>" in everything  # the scan sees the (redacted) text
    leaks = {value for value in PERSONAL if value in everything}
    assert not leaks, f"raw personal data in the logs: {sorted(leaks)}"
    assert not [w for w in caught if "remaining time" in str(w.message)]


def test_the_raw_message_of_a_redacted_chat_waits_by_reference_and_the_reply_is_built_from_redacted_text(
    redacting_env: LocalEnvironment,
) -> None:
    result = _text_message(redacting_env)

    started = next(e for e in result.events if e["type"] == "ExecutionStarted")
    step = WorkflowInput.model_validate_json(started["executionStartedEventDetails"]["input"])
    assert step.message.text == "" and step.message_ref
    assert redacting_env.container.claim_checks.message(step).text == TEXT
    conversation = redacting_env.chat_server.completion_requests()[-1]["messages"]
    assert EMAIL not in json.dumps(conversation) and "<EMAIL_ADDRESS>" in json.dumps(conversation)
