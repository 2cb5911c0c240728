"""The Express state machine, built from statemachine/assistant.asl.json: the same file the local engine runs.

`DefinitionBody.from_file` uploads the file unchanged; CloudFormation fills its ${...} placeholders from
`definition_substitutions` at deploy time. The Lambda timeouts are read from the same file, so a Task state never
gives up on a function that is still allowed to run.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from office_assistant.workflow.definition import load_text, placeholders
from office_assistant.workflow.tasks import ASL_PATH

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

EXECUTION_LOG_RETENTION = logs.RetentionDays.ONE_MONTH
# What CloudWatch Logs needs of a customer-managed key to encrypt a log group with it.
LOGS_KEY_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")


def _task_states(states: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for state in states.values():
        if state.get("Type") == "Task":
            yield state
        for branch in state.get("Branches", []):
            yield from _task_states(branch["States"])


def task_timeouts(text: str | None = None) -> dict[str, Duration]:
    """Placeholder → TimeoutSeconds of the Task state whose Resource is that placeholder."""
    definition = json.loads(load_text() if text is None else text)
    timeouts: dict[str, Duration] = {}
    for state in _task_states(definition["States"]):
        names = placeholders(str(state.get("Resource", "")))
        if len(names) == 1 and "TimeoutSeconds" in state:
            timeouts[names.pop()] = Duration.seconds(int(state["TimeoutSeconds"]))
    return timeouts


def parallel_branches(text: str | None = None) -> dict[str, str]:
    """Branch name (its StartAt Task state) → that Task's placeholder, for every branch of every Parallel state."""
    definition = json.loads(load_text() if text is None else text)
    branches: dict[str, str] = {}
    for state in definition["States"].values():
        for branch in state.get("Branches", []):
            start = branch["StartAt"]
            names = placeholders(str(branch["States"][start].get("Resource", "")))
            if len(names) == 1:
                branches[start] = names.pop()
    return branches


class Workflow(Construct):
    """The state machine, its execution log group, and its permission to invoke exactly the task functions."""

    def __init__(self, scope: Construct, construct_id: str, *, task_arns: Mapping[str, str]) -> None:
        super().__init__(scope, construct_id)
        missing = placeholders(load_text()) - task_arns.keys()
        if missing:
            raise ValueError(f"no function for ASL placeholders: {sorted(missing)}")

        stack = Stack.of(self)
        # Step Functions delivers logs as vended logs; this prefix keeps the log resource policy small.
        log_group_name = f"/aws/vendedlogs/states/{stack.stack_name}-assistant"
        self.log_key = self._log_key(log_group_name)
        self.log_group = logs.LogGroup(
            self,
            "ExecutionLogs",
            log_group_name=log_group_name,
            retention=EXECUTION_LOG_RETENTION,
            # The log holds identifiers and redacted text (raw text of redacted chats travels by reference).
            encryption_key=self.log_key,
        )
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_type=sfn.StateMachineType.EXPRESS,
            definition_body=sfn.DefinitionBody.from_file(str(ASL_PATH)),
            definition_substitutions=dict(task_arns),
            logs=sfn.LogOptions(destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=True),
            tracing_enabled=True,
        )
        self.state_machine.add_to_role_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=sorted(set(task_arns.values())))
        )
        NagSuppressions.add_resource_suppressions(
            self.state_machine.role,
            [
                NagPackSuppression(
                    id="AwsSolutions-IAM5",
                    applies_to=["Resource::*"],
                    reason="Execution logging (logs:CreateLogDelivery and the other log-delivery actions) and "
                    "X-Ray tracing (xray:PutTraceSegments, GetSamplingRules...) support only '*' as resource.",
                )
            ],
            apply_to_children=True,
        )

    def _log_key(self, log_group_name: str) -> kms.Key:
        """A rotating customer-managed key that CloudWatch Logs may use for this one log group only."""
        stack = Stack.of(self)
        key = kms.Key(
            self,
            "ExecutionLogKey",
            description="Encrypts the office-assistant state machine's execution log",
            enable_key_rotation=True,
        )
        log_group_arn = f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:{log_group_name}"
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=list(LOGS_KEY_ACTIONS),
                resources=["*"],  # in a key policy, "*" is the key itself
                conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
            )
        )
        return key
