"""StepFunctionsStarter against moto's server: a real boto3 client starting executions of a real state machine."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.workflow_starter import StepFunctionsStarter, valid_execution_name

PASS_DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})
ROLE_ARN = "arn:aws:iam::123456789012:role/office-assistant-workflow"
VALID_NAME = re.compile(r"[0-9A-Za-z_-]{1,80}")


@pytest.fixture(scope="module")
def sfn(local_aws: str) -> Any:
    return endpoint_client("stepfunctions", local_aws)


@pytest.fixture
def state_machine_arn(sfn: Any) -> str:
    response = sfn.create_state_machine(
        name=f"assistant-{uuid.uuid4().hex}", definition=PASS_DEFINITION, roleArn=ROLE_ARN, type="STANDARD"
    )
    return str(response["stateMachineArn"])


def test_starter_starts_an_execution_with_the_payload_as_input(sfn: Any, state_machine_arn: str) -> None:
    starter = StepFunctionsStarter(state_machine_arn, boto3_client=sfn)

    arn = starter.start("slack-Ev1", {"text": "hello", "chat": {"id": "C1"}})

    execution = sfn.describe_execution(executionArn=arn)
    assert execution["name"] == "slack-Ev1"
    assert execution["stateMachineArn"] == state_machine_arn
    assert json.loads(execution["input"]) == {"text": "hello", "chat": {"id": "C1"}}


def test_starter_sanitises_a_name_step_functions_would_refuse(sfn: Any, state_machine_arn: str) -> None:
    starter = StepFunctionsStarter(state_machine_arn, boto3_client=sfn)

    arn = starter.start("slack:T0001:1700000000.123456", {"n": 1})

    name = sfn.describe_execution(executionArn=arn)["name"]
    assert name == valid_execution_name("slack:T0001:1700000000.123456")
    assert name.startswith("slack-T0001-1700000000-123456-")


def test_starter_returns_the_same_arn_when_started_twice_with_the_same_name(sfn: Any, state_machine_arn: str) -> None:
    starter = StepFunctionsStarter(state_machine_arn, boto3_client=sfn)
    first = starter.start("telegram:42", {"update_id": 42})

    second = starter.start("telegram:42", {"update_id": 42})

    assert second == first
    assert len(sfn.list_executions(stateMachineArn=state_machine_arn)["executions"]) == 1


def test_starter_counts_execution_already_exists_as_started(sfn: Any, state_machine_arn: str) -> None:
    # Same name, other input: Step Functions answers ExecutionAlreadyExists, which means "already started" here.
    starter = StepFunctionsStarter(state_machine_arn, boto3_client=sfn)
    first = starter.start("telegram:43", {"update_id": 43})

    second = starter.start("telegram:43", {"update_id": 43, "retried": True})

    assert second == first
    assert len(sfn.list_executions(stateMachineArn=state_machine_arn)["executions"]) == 1


def test_starter_raises_other_errors(sfn: Any, state_machine_arn: str) -> None:
    starter = StepFunctionsStarter(
        state_machine_arn.replace(":stateMachine:assistant-", ":stateMachine:gone-"), boto3_client=sfn
    )

    with pytest.raises(ClientError) as raised:
        starter.start("slack-Ev1", {})

    assert raised.value.response["Error"]["Code"] == "StateMachineDoesNotExist"


def test_valid_execution_name_keeps_a_valid_name_unchanged() -> None:
    name = "slack-T0001_Ev1"

    result = valid_execution_name(name)

    assert result == name


@pytest.mark.parametrize(
    "name",
    ["slack:T0001:1700000000.123456", "a" * 81, "", "   ", "über chat", "x/y?z*[1]", "€" * 200],
)
def test_valid_execution_name_is_valid_and_deterministic_for_any_name(name: str) -> None:
    first = valid_execution_name(name)
    second = valid_execution_name(name)

    assert VALID_NAME.fullmatch(first)
    assert second == first


def test_valid_execution_name_keeps_names_apart_that_sanitise_alike() -> None:
    names = ["slack:C1.5", "slack:C1:5", "slack-C1-5", "slack:C1/5"]

    results = {valid_execution_name(name) for name in names}

    assert len(results) == len(names)


def test_valid_execution_name_keeps_long_names_apart_that_share_a_prefix() -> None:
    prefix = "x" * 100

    first = valid_execution_name(prefix + "1")
    second = valid_execution_name(prefix + "2")

    assert first != second
    assert len(first) == len(second) == 80
