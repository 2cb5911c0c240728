"""Secrets: every credential lives in Secrets Manager; the template and the functions only ever see secret ARNs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from assistant_infra.runtime_env import SECRET_ID_ENV_VARS
from assistant_infra.secrets import SECRETS

from office_assistant.settings import ENV_VARS
from tests.infra.conftest import DUMMY_SECRETS, SECRET_SETTINGS

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def test_every_credential_the_issue_names_has_its_own_secret(synthesised: Synthesised) -> None:
    secrets = synthesised.of_type("AWS::SecretsManager::Secret")

    keys = {spec.key for spec in SECRETS}

    assert len(secrets) == len(SECRETS)
    assert keys == {
        "slack_signing_secret",
        "slack_bot_token",
        "telegram_bot_token",
        "telegram_secret_token",
        "openai_api_key",
        "weaviate",
        "odoo",
        "google_search",
    }


def test_no_secret_is_created_with_a_value_in_the_template(synthesised: Synthesised) -> None:
    secrets = synthesised.of_type("AWS::SecretsManager::Secret")

    with_values = [name for name, secret in secrets.items() if "SecretString" in secret["Properties"]]

    assert with_values == []
    assert all("GenerateSecretString" in secret["Properties"] for secret in secrets.values())


def test_secret_values_from_the_deployers_environment_appear_nowhere_in_the_assembly(
    synthesised: Synthesised,
) -> None:
    texts = [
        path.read_text(encoding="utf-8", errors="replace")
        for path in synthesised.assembly_dir.rglob("*")
        if path.is_file()
    ]

    leaked = [value for value in DUMMY_SECRETS.values() if any(value in text for text in texts)]

    assert len(texts) > 3
    assert leaked == []


def test_no_function_gets_a_secret_setting_as_an_environment_variable(synthesised: Synthesised) -> None:
    forbidden = {ENV_VARS[field] for field in SECRET_SETTINGS}

    present = {
        name
        for function in synthesised.of_type("AWS::Lambda::Function").values()
        for name in function["Properties"]["Environment"]["Variables"]
        if name in forbidden
    }

    assert present == set()


def test_secret_id_variables_hold_references_to_this_stacks_secrets(synthesised: Synthesised) -> None:
    secret_ids = set(synthesised.of_type("AWS::SecretsManager::Secret"))

    values = [
        value
        for function in synthesised.of_type("AWS::Lambda::Function").values()
        for name, value in function["Properties"]["Environment"]["Variables"].items()
        if name in SECRET_ID_ENV_VARS.values()
    ]

    assert values
    assert all(set(value) == {"Ref"} and value["Ref"] in secret_ids for value in values), json.dumps(values)


def test_json_secrets_are_created_with_their_fields_as_a_skeleton(synthesised: Synthesised) -> None:
    by_key = synthesised.stack.secrets.by_key

    for spec in (spec for spec in SECRETS if spec.json_fields):
        generator = synthesised.resources[synthesised.logical_id(by_key[spec.key])]["Properties"][
            "GenerateSecretString"
        ]
        skeleton = json.loads(generator["SecretStringTemplate"])

        assert set(skeleton) | {generator["GenerateStringKey"]} == set(spec.json_fields)
        assert all(value == "" for value in skeleton.values())
