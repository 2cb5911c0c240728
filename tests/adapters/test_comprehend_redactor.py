"""Comprehend redactor: the real boto3 client against the loopback Comprehend (AWS JSON 1.1 protocol)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest

from office_assistant.adapters.pii import ComprehendRedactor
from office_assistant.domain.errors import PiiError
from office_assistant_local.standins.comprehend import DETECT_PII_TARGET, ComprehendLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator

FINDINGS = {
    "Jane Doe": "NAME",
    "jane@acme.example": "EMAIL",
    "DE89370400440532013000": "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
}


@pytest.fixture
def comprehend() -> Iterator[ComprehendLoopback]:
    with ComprehendLoopback(FINDINGS) as server:
        yield server


def _client(url: str) -> Any:
    return boto3.client(
        "comprehend",
        endpoint_url=url,
        region_name="eu-west-1",
        aws_access_key_id="loopback",
        aws_secret_access_key="loopback",
    )


@pytest.fixture
def redactor(comprehend: ComprehendLoopback) -> ComprehendRedactor:
    return ComprehendRedactor(boto3_client=_client(comprehend.url))


def test_comprehend_sends_detect_pii_entities_with_the_text_and_language(
    comprehend: ComprehendLoopback, redactor: ComprehendRedactor
) -> None:
    redactor.redact("Ask Jane Doe")

    (request,) = comprehend.requests
    assert request.headers["x-amz-target"] == DETECT_PII_TARGET
    assert request.headers["content-type"] == "application/x-amz-json-1.1"
    assert request.body == {"Text": "Ask Jane Doe", "LanguageCode": "en"}


def test_comprehend_offsets_become_presidio_style_placeholders(redactor: ComprehendRedactor) -> None:
    text = "Jane Doe (jane@acme.example) pays from DE89370400440532013000."

    redaction = redactor.redact(text)

    assert redaction.text == "<PERSON> (<EMAIL_ADDRESS>) pays from <IBAN_CODE>."
    assert [(e.type, text[e.start : e.end]) for e in redaction.entities] == [
        ("PERSON", "Jane Doe"),
        ("EMAIL_ADDRESS", "jane@acme.example"),
        ("IBAN_CODE", "DE89370400440532013000"),
    ]


def test_comprehend_keeps_only_the_configured_entity_types(comprehend: ComprehendLoopback) -> None:
    redactor = ComprehendRedactor(entities=("EMAIL_ADDRESS",), boto3_client=_client(comprehend.url))

    assert redactor.redact("Jane Doe: jane@acme.example").text == "Jane Doe: <EMAIL_ADDRESS>"


def test_comprehend_sends_a_long_text_in_chunks_and_shifts_their_offsets(
    comprehend: ComprehendLoopback, redactor: ComprehendRedactor
) -> None:
    text = "é" * 30_000 + " Jane Doe"

    redaction = redactor.redact(text)

    assert [len(t) for t in comprehend.texts()] == [25_000, 5_009]
    assert redaction.text == "é" * 30_000 + " <PERSON>"


def test_comprehend_error_becomes_pii_error_with_the_service_code(
    comprehend: ComprehendLoopback, redactor: ComprehendRedactor
) -> None:
    comprehend.fail_with = ("AccessDeniedException", "not authorized to perform comprehend:DetectPiiEntities")

    with pytest.raises(PiiError, match="AccessDeniedException"):
        redactor.redact("Ask Jane Doe")


def test_comprehend_unreachable_becomes_pii_error() -> None:
    with ComprehendLoopback() as stopped:
        url = stopped.url
    redactor = ComprehendRedactor(boto3_client=_client(url))

    with pytest.raises(PiiError, match="Comprehend could not check the text"):
        redactor.redact("Ask Jane Doe")


def test_comprehend_sends_nothing_for_blank_text(comprehend: ComprehendLoopback, redactor: ComprehendRedactor) -> None:
    assert redactor.redact("   ").text == "   "
    assert comprehend.requests == []


def test_comprehend_drops_findings_outside_the_text_as_moto_canned_answer_gives(local_aws: str) -> None:
    """moto 5.2.5 answers DetectPiiEntities with one fixed list (NAME at 50-58, ...) whatever the text: no detection."""
    redactor = ComprehendRedactor(boto3_client=_client(local_aws))

    redaction = redactor.redact("Jane Doe, jane@acme.example")

    assert (redaction.text, redaction.entities) == ("Jane Doe, jane@acme.example", ())


def test_the_default_client_answers_within_routes_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")

    config = ComprehendRedactor().client.meta.config

    assert (config.connect_timeout, config.read_timeout) == (2, 5)
    assert config.retries["total_max_attempts"] == 2  # one retry: at most 2 × (2 s + 5 s) per chunk
