"""The PII settings pick a policy and an engine; redaction off builds nothing."""

from __future__ import annotations

import pytest

from office_assistant.adapters.pii.comprehend import ComprehendRedactor
from office_assistant.bootstrap import Container
from office_assistant.domain.errors import SettingsError
from office_assistant.settings import ENV_VARS, Settings
from tests.fakes import EmailRedactor


def test_pii_off_builds_no_policy_and_no_redactor() -> None:
    container = Container(Settings())

    assert container.pii_policy is None
    assert "pii_redactor" not in vars(container)


def test_pii_chats_redacts_only_the_listed_conversations() -> None:
    settings = Settings.from_env({"OA_PII": "chats", "OA_PII_CHATS": "slack:C1, telegram:-5"})

    policy = Container(settings, pii_redactor=EmailRedactor()).pii_policy

    assert policy is not None
    assert policy.enabled_globally is False
    assert policy.chat_keys == frozenset({"slack:C1", "telegram:-5"})


def test_pii_all_redacts_every_conversation() -> None:
    policy = Container(Settings(pii="all"), pii_redactor=EmailRedactor()).pii_policy

    assert policy is not None
    assert policy.enabled_globally is True


def test_pii_engine_comprehend_builds_the_comprehend_redactor_with_the_chosen_entities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")  # Lambda sets the region; boto3 needs one
    settings = Settings(pii="all", pii_engine="comprehend", pii_entities="PERSON, EMAIL_ADDRESS")

    redactor = Container(settings).pii_redactor

    assert isinstance(redactor, ComprehendRedactor)
    assert redactor.entities == frozenset({"PERSON", "EMAIL_ADDRESS"})


@pytest.mark.parametrize(("field", "value"), [("pii", "sometimes"), ("pii_engine", "regex")])
def test_unknown_pii_settings_are_refused_before_any_adapter_is_built(field: str, value: str) -> None:
    with pytest.raises(SettingsError, match=ENV_VARS[field]):
        Settings(**{"pii": "all", field: value})  # type: ignore[arg-type]
