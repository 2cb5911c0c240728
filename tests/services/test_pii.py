"""PII policy: which chats are redacted, the notes for the model, and failing closed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from office_assistant.domain.messages import Platform
from office_assistant.services.pii import WITHHELD_NOTE, WITHHELD_TEXT, PiiPolicy
from tests.builders import a_message
from tests.fakes import EmailRedactor

if TYPE_CHECKING:
    import pytest

TEXT = "write to bob@acme.example about the order"


def test_policy_redacts_every_chat_when_enabled_globally() -> None:
    policy = PiiPolicy(EmailRedactor(), enabled_globally=True)

    message, notes = policy.apply(a_message(TEXT, chat_id="C9"))

    assert message.text == "write to <EMAIL_ADDRESS> about the order"
    assert notes == ("personal data in this message was replaced by placeholders (<EMAIL_ADDRESS>)",)


def test_policy_redacts_only_the_listed_chats() -> None:
    redactor = EmailRedactor()
    policy = PiiPolicy(redactor, chat_keys=frozenset({"slack:C1"}))

    listed, _ = policy.apply(a_message(TEXT, chat_id="C1"))
    other, notes = policy.apply(a_message(TEXT, chat_id="C2"))
    same_id_other_platform, _ = policy.apply(a_message(TEXT, chat_id="C1", platform=Platform.TELEGRAM))

    assert listed.text.startswith("write to <EMAIL_ADDRESS>")
    assert (other.text, notes) == (TEXT, ())
    assert same_id_other_platform.text == TEXT
    assert redactor.texts == [TEXT]


def test_policy_that_is_off_leaves_the_message_alone() -> None:
    redactor = EmailRedactor()
    message = a_message(TEXT)

    assert PiiPolicy(redactor).apply(message) == (message, ())
    assert redactor.texts == []


def test_policy_adds_no_note_when_nothing_was_found() -> None:
    message = a_message("lunch at noon?")

    assert PiiPolicy(EmailRedactor(), enabled_globally=True).apply(message) == (message, ())


def test_policy_withholds_the_text_when_the_redactor_fails(caplog: pytest.LogCaptureFixture) -> None:
    original = a_message(TEXT)

    with caplog.at_level(logging.INFO):
        message, notes = PiiPolicy(EmailRedactor(fail=True), enabled_globally=True).apply(original)

    assert (message.text, notes) == (WITHHELD_TEXT, (WITHHELD_NOTE,))
    assert (message.message_id, message.chat_id) == (original.message_id, original.chat_id)
    assert "bob@acme.example" not in caplog.text
