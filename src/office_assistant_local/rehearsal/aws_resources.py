"""The template's table, buckets, secrets and state machine, created on the local moto server.

Each secret gets the value the operator would put in after the first deploy, pointing at a stand-in.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.media_bucket.s3 import ensure_bucket
from office_assistant.adapters.state_table.dynamodb import ensure_table
from office_assistant_local.rehearsal.process import ACCOUNT, REGION

if TYPE_CHECKING:
    from collections.abc import Mapping


def create_resources(template: dict[str, Any], endpoint_url: str, secret_values: Mapping[str, str]) -> dict[str, str]:
    """Create what the functions' environment refers to; returns logical id → the value `Ref` gives.

    `secret_values`: secret name (`OfficeAssistant/<slug>`) → its value.
    """
    resolved: dict[str, str] = {}
    dynamodb = endpoint_client("dynamodb", endpoint_url, REGION)
    s3 = endpoint_client("s3", endpoint_url, REGION)
    secrets = endpoint_client("secretsmanager", endpoint_url, REGION)
    for logical_id, resource in template["Resources"].items():
        kind, props = resource["Type"], resource.get("Properties", {})
        if kind == "AWS::DynamoDB::Table":
            name = f"rehearsal-{logical_id.lower()}"
            ensure_table(dynamodb, name)
            resolved[logical_id] = name
        elif kind == "AWS::S3::Bucket":
            name = f"rehearsal-{logical_id.lower()}"[:63]
            ensure_bucket(s3, name)
            resolved[logical_id] = name
        elif kind == "AWS::SecretsManager::Secret":
            name = props["Name"]
            if name not in secret_values:
                raise ValueError(f"the template has a secret {name!r} the rehearsal has no value for")
            answer = secrets.create_secret(Name=name, SecretString=secret_values[name])
            resolved[logical_id] = answer["ARN"]
        elif kind == "AWS::StepFunctions::StateMachine":
            resolved[logical_id] = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:rehearsal"
    return resolved


def json_secret(**fields: str) -> str:
    return json.dumps(fields)
