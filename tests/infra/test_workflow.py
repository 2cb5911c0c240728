"""The Express state machine: built from the one ASL file, every placeholder filled with the right function."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from assistant_infra.workflow import LAMBDA_TIMEOUT_MARGIN_S, parallel_branches, task_timeouts

from office_assistant.metric_names import BRANCHES
from office_assistant.workflow.definition import load_text, placeholders
from office_assistant.workflow.payloads import RouteInput, RouteOutput, Stage, WorkflowInput
from office_assistant.workflow.tasks import ASL_PATH, FUNCTIONS_DIR, TASKS

if TYPE_CHECKING:
    from pathlib import Path

    from tests.infra.conftest import Synthesised


def _state_machine(synthesised: Synthesised) -> dict[str, Any]:
    machines = synthesised.of_type("AWS::StepFunctions::StateMachine")
    assert len(machines) == 1
    return next(iter(machines.values()))["Properties"]


def _function_behind(synthesised: Synthesised, reference: dict[str, Any]) -> str:
    """Logical id of the Lambda function a substitution points at, directly or through an alias."""
    if "Fn::GetAtt" in reference:
        logical_id, attribute = reference["Fn::GetAtt"]
        assert attribute == "Arn"
    else:
        logical_id = reference["Ref"]
    resource = synthesised.resources[logical_id]
    if resource["Type"] == "AWS::Lambda::Alias":
        target: str = resource["Properties"]["FunctionName"]["Ref"]
        return target
    assert resource["Type"] == "AWS::Lambda::Function"
    return logical_id


def _code_files(synthesised: Synthesised, function: dict[str, Any]) -> set[str]:
    asset_dir: Path = synthesised.assembly_dir / (
        "asset." + function["Properties"]["Code"]["S3Key"].removesuffix(".zip")
    )
    return {path.relative_to(asset_dir).as_posix() for path in asset_dir.rglob("*.py")}


def test_state_machine_is_express_with_full_logging_and_tracing(synthesised: Synthesised) -> None:
    properties = _state_machine(synthesised)

    logging = properties["LoggingConfiguration"]

    assert properties["StateMachineType"] == "EXPRESS"
    assert logging["Level"] == "ALL"
    assert logging["IncludeExecutionData"] is True
    assert properties["TracingConfiguration"] == {"Enabled": True}


def test_state_machine_logs_to_a_log_group_with_retention(synthesised: Synthesised) -> None:
    properties = _state_machine(synthesised)

    destination = properties["LoggingConfiguration"]["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"]
    log_group = synthesised.resources[destination["Fn::GetAtt"][0]]

    assert log_group["Type"] == "AWS::Logs::LogGroup"
    assert log_group["Properties"]["RetentionInDays"] > 0


def test_execution_log_group_is_encrypted_with_a_rotating_key_only_cloudwatch_logs_may_use_for_it(
    synthesised: Synthesised,
) -> None:
    properties = _state_machine(synthesised)
    destination = properties["LoggingConfiguration"]["Destinations"][0]["CloudWatchLogsLogGroup"]["LogGroupArn"]
    log_group = synthesised.resources[destination["Fn::GetAtt"][0]]["Properties"]

    key = synthesised.resources[log_group["KmsKeyId"]["Fn::GetAtt"][0]]

    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    [logs_grant] = [
        statement
        for statement in key["Properties"]["KeyPolicy"]["Statement"]
        if "logs." in json.dumps(statement.get("Principal", {}))
    ]
    assert "kms:GenerateDataKey*" in logs_grant["Action"]
    context = logs_grant["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    assert "log-group:/aws/vendedlogs/states/" in json.dumps(context)


def test_state_machine_definition_is_the_asl_file_unchanged(synthesised: Synthesised) -> None:
    properties = _state_machine(synthesised)

    key = properties["DefinitionS3Location"]["Key"]
    deployed = (synthesised.assembly_dir / f"asset.{key}").read_text(encoding="utf-8")

    assert "Definition" not in properties and "DefinitionString" not in properties
    assert json.loads(deployed) == json.loads(ASL_PATH.read_text(encoding="utf-8"))


def test_every_asl_placeholder_has_a_substitution_and_no_other_is_given(synthesised: Synthesised) -> None:
    properties = _state_machine(synthesised)

    substitutions = properties["DefinitionSubstitutions"]

    assert set(substitutions) == placeholders(load_text())


def test_each_placeholder_points_at_the_function_running_that_tasks_handler(synthesised: Synthesised) -> None:
    substitutions = _state_machine(synthesised)["DefinitionSubstitutions"]

    for task in TASKS:
        function = synthesised.resources[_function_behind(synthesised, substitutions[task.placeholder])]

        assert function["Properties"]["Handler"] == task.handler, task.placeholder
        expected = {path.name for path in (FUNCTIONS_DIR / task.folder).glob("*.py")}
        assert _code_files(synthesised, function) == expected, task.placeholder


def test_state_machine_may_invoke_exactly_the_substituted_functions(synthesised: Synthesised) -> None:
    substitutions = _state_machine(synthesised)["DefinitionSubstitutions"]
    policies = synthesised.of_type("AWS::IAM::Policy")
    machine_role = _state_machine(synthesised)["RoleArn"]["Fn::GetAtt"][0]

    invoke_statements = [
        statement
        for policy in policies.values()
        if {"Ref": machine_role} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "lambda:InvokeFunction" in _as_list(statement["Action"])
    ]

    assert len(invoke_statements) == 1
    resources = _as_list(invoke_statements[0]["Resource"])
    assert sorted(map(json.dumps, resources)) == sorted(json.dumps(value) for value in substitutions.values())


def test_each_lambda_times_out_a_few_seconds_before_its_task_state(synthesised: Synthesised) -> None:
    definition = json.loads(load_text())
    expected: dict[str, int] = {}
    for state in _all_states(definition):
        if state.get("Type") == "Task":  # the route function serves Prepare and Route: the longer one counts
            placeholder = state["Resource"][2:-1]
            expected[placeholder] = max(expected.get(placeholder, 0), state["TimeoutSeconds"])

    for task in TASKS:
        function = synthesised.resources[synthesised.logical_id(synthesised.stack.functions[task.name].function)]

        assert function["Properties"]["Timeout"] == expected[task.placeholder] - LAMBDA_TIMEOUT_MARGIN_S, task.name


def test_task_timeouts_reads_tasks_inside_parallel_branches() -> None:
    text = json.dumps(
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Task", "Resource": "${AFn}", "TimeoutSeconds": 7, "Next": "P"},
                "P": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "${BFn}", "TimeoutSeconds": 3}}}
                    ],
                    "End": True,
                },
            },
        }
    )

    timeouts = task_timeouts(text)

    assert {name: duration.to_seconds() for name, duration in timeouts.items()} == {"AFn": 7, "BFn": 3}


def test_task_timeouts_gives_a_function_serving_two_tasks_the_longer_one() -> None:
    text = json.dumps(
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Task", "Resource": "${AFn}", "TimeoutSeconds": 30, "Next": "B"},
                "B": {"Type": "Task", "Resource": "${AFn}", "TimeoutSeconds": 10, "End": True},
            },
        }
    )

    timeouts = task_timeouts(text)

    assert {name: duration.to_seconds() for name, duration in timeouts.items()} == {"AFn": 30}


def test_prepare_and_route_are_one_function_and_only_messages_with_media_are_prepared() -> None:
    states = json.loads(load_text())["States"]

    choice = states[json.loads(load_text())["StartAt"]]

    assert states["Prepare"]["Resource"] == states["Route"]["Resource"] == "${RouteFunctionArn}"
    assert choice["Type"] == "Choice" and choice["Default"] == "Route"
    assert [(c["Variable"], c["BooleanEquals"], c["Next"]) for c in choice["Choices"]] == [
        ("$.has_media", True, "Prepare")
    ]
    assert states["Prepare"]["Parameters"]["stage"] == Stage.PREPARE
    assert [c["Next"] for c in states["Prepare"]["Catch"]] == ["PrepareDegraded"]
    assert states["PrepareDegraded"]["Next"] == states["Prepare"]["Next"] == "Route"


def test_the_pass_and_parameters_of_prepare_and_route_name_only_fields_of_their_payload_models() -> None:
    """What the ASL builds is validated by these models: a key they do not know would be dropped silently."""
    states = json.loads(load_text())["States"]
    built = {
        "Prepare": (states["Prepare"]["Parameters"], RouteInput),
        "PrepareDegraded": (states["PrepareDegraded"]["Parameters"], RouteInput),
        "RouteDegraded": (states["RouteDegraded"]["Parameters"], RouteOutput),
    }

    for state, (parameters, model) in built.items():
        keys = {key.removesuffix(".$") for key in parameters}

        assert keys <= set(model.model_fields), state
        assert set(WorkflowInput.model_fields) <= keys | {"stage"}, state  # the message and all it carries


def test_metric_branch_names_are_the_parallel_branches_of_the_asl() -> None:
    branches = parallel_branches()

    assert tuple(branches) == BRANCHES


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _all_states(definition: dict[str, Any]) -> list[dict[str, Any]]:
    states: list[dict[str, Any]] = []
    for state in definition["States"].values():
        states.append(state)
        for branch in state.get("Branches", []):
            states.extend(_all_states(branch))
    return states
