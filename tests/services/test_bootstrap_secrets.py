"""Credentials come from Secrets Manager through Powertools Parameters when only their ids are configured."""

from __future__ import annotations

import json
import uuid

import pytest

from office_assistant import bootstrap
from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.erp.odoo import OdooClient
from office_assistant.bootstrap import Container
from office_assistant.settings import SECRET_ID_ENV_VARS, Settings


def _secret(endpoint_url: str, value: str) -> str:
    client = endpoint_client("secretsmanager", endpoint_url)
    return str(client.create_secret(Name=f"test/{uuid.uuid4()}", SecretString=value)["ARN"])


def test_secret_reads_secrets_manager_when_only_the_secret_id_is_set(local_aws: str) -> None:
    secret_id = _secret(local_aws, "xoxb-from-secrets-manager")
    settings = Settings.from_env({"OA_AWS_ENDPOINT_URL": local_aws, SECRET_ID_ENV_VARS["slack_bot_token"]: secret_id})

    value = Container(settings).secret("slack_bot_token")
    bootstrap.reset()

    assert value == "xoxb-from-secrets-manager"


def test_secret_prefers_the_plain_setting_of_a_local_run(local_aws: str) -> None:
    secret_id = _secret(local_aws, "from-secrets-manager")
    settings = Settings(
        aws_endpoint_url=local_aws, slack_signing_secret="local", slack_signing_secret_secret_id=secret_id
    )

    assert Container(settings).secret("slack_signing_secret") == "local"


def test_erp_client_takes_its_credentials_from_a_json_secret(local_aws: str) -> None:
    odoo = {"url": "https://odoo.example", "db": "prod", "login": "bot@example.com", "password": "s3cret"}
    settings = Settings(aws_endpoint_url=local_aws, odoo_secret_id=_secret(local_aws, json.dumps(odoo)))

    erp = Container(settings).erp
    bootstrap.reset()

    assert isinstance(erp, OdooClient)
    assert (erp.base_url, erp.db, erp.login) == ("https://odoo.example", "prod", "bot@example.com")
    assert "s3cret" not in repr(erp)


def test_erp_client_is_absent_when_odoo_is_not_configured() -> None:
    assert Container(Settings()).erp is None


def test_weaviate_store_takes_its_url_and_key_from_a_json_secret(local_aws: str) -> None:
    from office_assistant.adapters.message_store.weaviate import WeaviateMessageStore
    from office_assistant_local.standins.weaviate import WeaviateLoopback

    with WeaviateLoopback() as server:
        weaviate = {"url": server.url, "api_key": "wv-key-0d2f", "grpc_url": f"http://127.0.0.1:{server.grpc_port}"}
        settings = Settings(
            aws_endpoint_url=local_aws,
            message_store="weaviate",
            embedding_dimensions=1536,
            weaviate_secret_id=_secret(local_aws, json.dumps(weaviate)),
        )

        store = Container(settings).store
        bootstrap.reset()
        assert isinstance(store, WeaviateMessageStore)
        store.close()

    created = [r for r in server.requests if r.method == "POST" and r.path == "/v1/schema"]
    assert len(created) == 1
    assert created[0].body["class"] == "Messages"
    assert {r.headers.get("authorization") for r in server.requests} == {"Bearer wv-key-0d2f"}


def test_weaviate_store_refuses_to_start_without_a_url() -> None:
    settings = Settings(message_store="weaviate")

    with pytest.raises(ValueError, match="no Weaviate url"):
        _ = Container(settings).store
