"""Least privilege: each function may do exactly what it needs, on this stack's resources only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.workflow.tasks import EMAIL, TASKS, WEBHOOK

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised

# What AWS accepts only with Resource "*": X-Ray, Comprehend's PII detection, and Step Functions' delivery of
# vended logs.
WILDCARD_ONLY_ACTIONS = frozenset(
    {
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "comprehend:DetectPiiEntities",
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
    }
)

# The specification, written out independently of infra's access map.
EXPECTED_SECRETS: dict[str, set[str]] = {
    "webhook": {"slack_signing_secret", "telegram_secret_token"},
    "route": {"openai_api_key", "slack_bot_token", "telegram_bot_token"},
    "history": {"weaviate"},
    "relevance": {"weaviate"},
    "auxiliary": {"odoo"},
    "respond": {"openai_api_key", "slack_bot_token", "telegram_bot_token", "weaviate", "odoo", "google_search"},
    "email": set(),
}
EXPECTED_TABLE_ACTIONS: dict[str, set[str]] = {
    "webhook": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"},
    "route": {"dynamodb:GetItem", "dynamodb:PutItem"},
    "history": set(),
    "relevance": set(),
    "auxiliary": {"dynamodb:GetItem"},
    "respond": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
    "email": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"},
}
EXPECTED_BUCKET_ACTIONS: dict[str, set[str]] = {
    "webhook": set(),
    "route": {"s3:PutObject"},
    "history": set(),
    "relevance": set(),
    "auxiliary": set(),
    "respond": {"s3:PutObject", "s3:GetObject"},
    "email": set(),
}
# s3:PutObject under workflow/ only: claim checks for data too large (or too personal) for the state machine
CLAIM_WRITERS = {"webhook", "history", "relevance", "auxiliary", "email"}
NAMES = [task.name for task in (*TASKS, WEBHOOK, EMAIL)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(synthesised: Synthesised, role_logical_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in synthesised.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_logical_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _function_statements(synthesised: Synthesised, name: str) -> list[dict[str, Any]]:
    return _statements(synthesised, synthesised.logical_id(synthesised.stack.functions[name].role))


def _actions_on(statements: list[dict[str, Any]], resource: Any) -> set[str]:
    return {
        action
        for statement in statements
        if resource in _as_list(statement["Resource"])
        for action in _as_list(statement["Action"])
    }


def test_no_statement_allows_every_action_or_a_whole_service(synthesised: Synthesised) -> None:
    actions = [
        action
        for policy in synthesised.of_type("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        for action in _as_list(statement["Action"])
    ]

    assert actions
    assert not [action for action in actions if "*" in action]


def test_resource_star_is_used_only_for_actions_aws_grants_on_star_alone(synthesised: Synthesised) -> None:
    starred = {
        action
        for policy in synthesised.of_type("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "*" in _as_list(statement["Resource"])
        for action in _as_list(statement["Action"])
    }

    assert starred <= WILDCARD_ONLY_ACTIONS


def test_only_route_and_respond_may_detect_pii(synthesised: Synthesised) -> None:
    holders = [
        name
        for name in synthesised.stack.functions
        if "comprehend:DetectPiiEntities" in _actions_on(_function_statements(synthesised, name), "*")
    ]

    assert sorted(holders) == ["respond", "route"]


def test_no_role_has_a_managed_policy(synthesised: Synthesised) -> None:
    roles = synthesised.of_type("AWS::IAM::Role")

    with_managed = [name for name, role in roles.items() if role["Properties"].get("ManagedPolicyArns")]

    assert roles
    assert with_managed == []


def test_only_the_webhook_and_the_email_source_may_start_executions_and_only_of_this_state_machine(
    synthesised: Synthesised,
) -> None:
    state_machine = {"Ref": synthesised.logical_id(synthesised.stack.workflow.state_machine)}

    starters = {
        name
        for name in NAMES
        for statement in _function_statements(synthesised, name)
        if any(action.startswith("states:") for action in _as_list(statement["Action"]))
    }
    starting_statements = {
        name: [
            statement
            for statement in _function_statements(synthesised, name)
            if any(action.startswith("states:") for action in _as_list(statement["Action"]))
        ]
        for name in (WEBHOOK.name, EMAIL.name)
    }

    assert starters == {WEBHOOK.name, EMAIL.name}
    expected = [{"Action": "states:StartExecution", "Effect": "Allow", "Resource": state_machine}]
    assert starting_statements == {WEBHOOK.name: expected, EMAIL.name: expected}


@pytest.mark.parametrize("name", NAMES)
def test_function_may_read_only_its_own_secrets(synthesised: Synthesised, name: str) -> None:
    secrets = synthesised.stack.secrets.by_key
    by_logical_id = {synthesised.logical_id(secret): key for key, secret in secrets.items()}

    readable = {
        by_logical_id[resource["Ref"]]
        for statement in _function_statements(synthesised, name)
        if "secretsmanager:GetSecretValue" in _as_list(statement["Action"])
        for resource in _as_list(statement["Resource"])
    }
    secret_actions = {
        action
        for statement in _function_statements(synthesised, name)
        for action in _as_list(statement["Action"])
        if action.startswith("secretsmanager:")
    }

    assert readable == EXPECTED_SECRETS[name]
    assert secret_actions <= {"secretsmanager:GetSecretValue"}


@pytest.mark.parametrize("name", NAMES)
def test_function_has_only_the_table_actions_it_needs(synthesised: Synthesised, name: str) -> None:
    table = {"Fn::GetAtt": [synthesised.logical_id(synthesised.stack.storage.table), "Arn"]}
    statements = _function_statements(synthesised, name)

    dynamodb_actions = {
        action for statement in statements for action in _as_list(statement["Action"]) if action.startswith("dynamodb:")
    }

    assert _actions_on(statements, table) == EXPECTED_TABLE_ACTIONS[name]
    assert dynamodb_actions == EXPECTED_TABLE_ACTIONS[name]


@pytest.mark.parametrize("name", NAMES)
def test_function_has_only_the_media_actions_it_needs_on_this_bucket(synthesised: Synthesised, name: str) -> None:
    bucket = synthesised.logical_id(synthesised.stack.storage.media)
    objects = {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}
    claims = {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/workflow/*"]]}
    statements = _function_statements(synthesised, name)
    expected_claims = {"s3:PutObject"} if name in CLAIM_WRITERS else set()

    s3_actions = {
        action for statement in statements for action in _as_list(statement["Action"]) if action.startswith("s3:")
    }

    assert _actions_on(statements, objects) == EXPECTED_BUCKET_ACTIONS[name]
    assert _actions_on(statements, claims) == expected_claims
    assert s3_actions - {"s3:ListBucket"} == EXPECTED_BUCKET_ACTIONS[name] | expected_claims
    assert ("s3:ListBucket" in s3_actions) is (name == "respond")


def test_respond_may_list_the_media_bucket_only_under_the_chat_file_prefixes(synthesised: Synthesised) -> None:
    bucket = {"Fn::GetAtt": [synthesised.logical_id(synthesised.stack.storage.media), "Arn"]}

    [listing] = [s for s in _function_statements(synthesised, "respond") if "s3:ListBucket" in _as_list(s["Action"])]

    assert _as_list(listing["Resource"]) == [bucket]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["files/*", "images/*"]}}


@pytest.mark.parametrize("name", NAMES)
def test_function_writes_logs_only_to_its_own_log_group(synthesised: Synthesised, name: str) -> None:
    built = synthesised.stack.functions[name]
    own = {"Fn::GetAtt": [synthesised.logical_id(built.log_group), "Arn"]}

    log_resources = [
        resource
        for statement in _function_statements(synthesised, name)
        if any(action.startswith("logs:") for action in _as_list(statement["Action"]))
        for resource in _as_list(statement["Resource"])
    ]

    assert log_resources == [own]
