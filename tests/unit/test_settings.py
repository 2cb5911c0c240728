"""Settings: each variable declared once, choices and types checked when the settings are built."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from office_assistant.domain.errors import SettingsError
from office_assistant.settings import ENV_VARS, Settings


def test_settings_declare_each_environment_variable_once() -> None:
    names = [f.metadata["env"] for f in fields(Settings)]

    assert len(names) == len(set(names))
    assert ENV_VARS == {f.name: f.metadata["env"] for f in fields(Settings)}


def test_settings_from_env_parses_each_field_by_its_type() -> None:
    settings = Settings.from_env(
        {
            "OA_MESSAGE_STORE": "weaviate",
            "OA_WEAVIATE_LEGACY_PAIR": "Yes",
            "OA_CHAT_TIMEOUT_S": "2.5",
            "OA_EMBEDDING_DIMENSIONS": "1536",
            "OA_SQLITE_PATH": "/tmp/m.db",
            "OA_OPENAI_BASE_URL": "http://127.0.0.1:1/v1",
            "OA_PII": "",
        }
    )

    assert settings.message_store == "weaviate"
    assert settings.weaviate_legacy_pair is True
    assert settings.chat_timeout_s == 2.5
    assert settings.embedding_dimensions == 1536
    assert settings.sqlite_path == Path("/tmp/m.db")
    assert settings.openai_base_url == "http://127.0.0.1:1/v1"
    assert settings.pii == "off"  # empty keeps the default


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OA_MESSAGE_STORE", "mongodb"),
        ("OA_EMBEDDINGS", "word2vec"),
        ("OA_PII", "some"),
        ("OA_PII_ENGINE", "regex"),
        ("OA_IMAGE_INPUT", "yes"),
        ("OA_TELEGRAM_GROUP_REPLIES", "none"),
        ("OA_WEAVIATE_LEGACY_PAIR", "maybe"),
        ("OA_CHAT_TIMEOUT_S", "soon"),
        ("OA_EMBEDDING_DIMENSIONS", "1.5"),
    ],
)
def test_settings_reject_a_value_the_field_does_not_accept_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_settings_built_in_code_check_their_choices_too() -> None:
    with pytest.raises(SettingsError, match="OA_PII_ENGINE"):
        Settings(pii_engine="spacy")  # type: ignore[arg-type]
