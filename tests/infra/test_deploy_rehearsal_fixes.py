"""What a deploy needs that no local run shows: budgets that add up, alarms that can notify, a stack that can be
created again after destroy, least privilege, a layer precompiled for the runtime, the guide's Slack scopes."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from assistant_infra.layer import LayerBundlingError
from assistant_infra.layer import _compile_for_runtime as compile_for_runtime
from assistant_infra.runtime_python import RuntimePythonNotFoundError, find_runtime_python
from assistant_infra.workflow import (
    EXPRESS_MAX_SECONDS,
    check_execution_budget,
    worst_case_seconds,
)

from office_assistant.workflow.definition import load_text
from office_assistant.workflow.tasks import PROJECT_ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.infra.conftest import Synthesised


def _definition() -> dict[str, Any]:
    definition: dict[str, Any] = json.loads(load_text())
    return definition


# --- budgets ---------------------------------------------------------------------------------------------------


def test_the_execution_timeout_covers_the_worst_path_with_every_retry_and_fits_express() -> None:
    timeout = _definition()["TimeoutSeconds"]

    assert worst_case_seconds() <= timeout <= EXPRESS_MAX_SECONDS


def test_worst_case_adds_each_retriers_attempts_and_largest_waits() -> None:
    task = {
        "Type": "Task",
        "Resource": "${F}",
        "TimeoutSeconds": 10,
        "Retry": [
            {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2},
            {"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 1},
        ],
        "End": True,
    }
    text = json.dumps({"StartAt": "T", "TimeoutSeconds": 300, "States": {"T": task}})

    # last attempt 10 + TaskFailed (2 attempts x 10 s + waits 1 + 2) + ServiceException (fast, wait 2)
    assert worst_case_seconds(text) == pytest.approx(10 + 20 + 3 + 2)


def test_a_parallel_state_costs_its_slowest_branch_and_a_catch_path_is_followed() -> None:
    def task(seconds: int, **more: Any) -> dict[str, Any]:
        return {"Type": "Task", "Resource": "${F}", "TimeoutSeconds": seconds, **more}

    text = json.dumps(
        {
            "StartAt": "A",
            "States": {
                "A": task(5, Next="P", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Slow"}]),
                "Slow": task(50, Next="P"),
                "P": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "B", "States": {"B": task(3, End=True)}},
                        {"StartAt": "C", "States": {"C": task(7, End=True)}},
                    ],
                    "End": True,
                },
            },
        }
    )

    assert worst_case_seconds(text) == pytest.approx(5 + 50 + 7)


def test_the_synth_refuses_a_definition_whose_retries_could_never_run() -> None:
    definition = _definition()
    definition["TimeoutSeconds"] = 120  # the old value: Route 30 + branches 5 + Respond 90 before any retry

    with pytest.raises(ValueError, match="worst path"):
        check_execution_budget(json.dumps(definition))
    with pytest.raises(ValueError, match="at most 300"):
        check_execution_budget(json.dumps({**definition, "TimeoutSeconds": 301}))


def test_every_task_state_leaves_its_function_time_beyond_the_lambda_timeout(synthesised: Synthesised) -> None:
    """A timed-out function reports its own error; the Task's spare seconds cover a cold start's init."""
    for name, built in synthesised.stack.functions.items():
        if name == "webhook":
            continue
        timeout = synthesised.resources[synthesised.logical_id(built.function)]["Properties"]["Timeout"]
        assert timeout >= 5, name  # a cold start (secret, import, connect) fits, so the branch recovers


# --- alarms ----------------------------------------------------------------------------------------------------


def test_cloudwatch_may_publish_to_the_alarm_topic_for_exactly_the_two_alarms(synthesised: Synthesised) -> None:
    observability = synthesised.stack.observability
    topic = {"Ref": synthesised.logical_id(observability.topic)}
    (policy,) = synthesised.of_type("AWS::SNS::TopicPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]

    publish = [s for s in statements if s["Effect"] == "Allow" and s["Action"] == "sns:Publish"]

    assert policy["Properties"]["Topics"] == [topic]
    assert len(publish) == 1
    (allow,) = publish
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert allow["Resource"] == topic
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    alarm_arns = allow["Condition"]["ArnLike"]["aws:SourceArn"]
    expected = [
        {"Fn::GetAtt": [synthesised.logical_id(alarm), "Arn"]}
        for alarm in (observability.preprocessing_alarm, observability.failed_execution_alarm)
    ]
    assert sorted(map(json.dumps, alarm_arns)) == sorted(map(json.dumps, expected))
    assert any(s["Effect"] == "Deny" for s in statements)  # enforce_ssl's deny is still there


# --- destroy and deploy again ----------------------------------------------------------------------------------


def test_the_retained_execution_log_group_gets_a_new_name_for_each_stack_instance(synthesised: Synthesised) -> None:
    log_group = synthesised.resources[synthesised.logical_id(synthesised.stack.workflow.log_group)]

    name = json.dumps(log_group["Properties"]["LogGroupName"])

    assert log_group["DeletionPolicy"] == "Retain"
    assert "/aws/vendedlogs/states/OfficeAssistant-assistant-" in name
    assert '"Ref": "AWS::StackId"' in name  # the part that changes when the stack is created again


def test_no_retained_resource_has_a_fixed_name_except_where_aws_generates_it(synthesised: Synthesised) -> None:
    name_properties = ("LogGroupName", "TableName", "BucketName")
    fixed = [
        (logical_id, prop)
        for logical_id, resource in synthesised.resources.items()
        if resource.get("DeletionPolicy") == "Retain"
        for prop in name_properties
        if isinstance(resource.get("Properties", {}).get(prop), str)
    ]

    assert fixed == []


# --- the layer -------------------------------------------------------------------------------------------------


def test_the_runtime_python_is_found_through_pyenv_when_path_has_only_a_shim() -> None:
    try:
        interpreter = find_runtime_python("3.13")
    except RuntimePythonNotFoundError as error:
        pytest.skip(f"no Python 3.13 on this machine: {error}")

    assert interpreter.name == "python3.13"
    assert interpreter.is_file()


def test_no_runtime_python_stops_the_layer_build_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shim = tmp_path / "python3.13"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))  # the shim only, no pyenv
    find_runtime_python.cache_clear()
    try:
        with pytest.raises(LayerBundlingError, match=r"no working python3\.13 .*pyenv install 3\.13"):
            compile_for_runtime(tmp_path)
    finally:
        find_runtime_python.cache_clear()


# --- least privilege and the deploy guide ----------------------------------------------------------------------


SLACK_METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "reactions_add": "reactions:write",
    "reactions_remove": "reactions:write",
    "files_upload_v2": "files:write",
    "users_info": "users:read",
    "users_list": "users:read",
    "conversations_list": "channels:read",
    "conversations_create": "channels:manage",
    "conversations_invite": "channels:manage",
    "conversations_setPurpose": "channels:manage",
}
"""Slack Web API methods the adapters call → the bot scope each needs (api.slack.com/methods)."""
SLACK_ADAPTERS = (
    "src/office_assistant/adapters/chat_platforms/slack.py",
    "src/office_assistant/adapters/user_directory/slack.py",
    "src/office_assistant/adapters/workspace/slack.py",
)


def test_the_deploy_guide_lists_every_bot_scope_the_slack_adapter_needs() -> None:
    adapters = "\n".join((PROJECT_ROOT / path).read_text(encoding="utf-8") for path in SLACK_ADAPTERS)
    guide = (PROJECT_ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    scopes_item = guide[guide.index("bot scopes") : guide.index("reinstall the app")]
    listed = set(re.findall(r"`([a-z_.]+:[a-z_.]+)`", scopes_item))

    called = {method for method in SLACK_METHOD_SCOPES if re.search(rf"\b{method}\b", adapters)}

    assert called == set(SLACK_METHOD_SCOPES)  # the table above covers what the adapters call
    assert {SLACK_METHOD_SCOPES[method] for method in called} <= listed
    assert "files:read" in listed  # SlackFileFetcher downloads url_private with the bot token
