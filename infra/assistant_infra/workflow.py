"""The Express state machine, built from statemachine/assistant.asl.json: the same file the local engine runs.

`DefinitionBody.from_file` uploads the file unchanged; CloudFormation fills its ${...} placeholders from
`definition_substitutions` at deploy time. The Lambda timeouts are read from the same file, a few seconds under
each Task's TimeoutSeconds (the longer, for the route function that serves both Prepare and Route): the function
times out first (its own error, which a Retry or Catch can name), and the Task's extra seconds cover a cold
start's init, which Lambda does not count against the function's timeout.

The execution's TimeoutSeconds must cover the worst path with every retry (`worst_case_seconds`), and Express
executions may run at most 5 minutes: the synth refuses a definition whose budget does not add up.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_cdk import Duration, Fn, Stack
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
LAMBDA_TIMEOUT_MARGIN_S = 3
"""Seconds a function's timeout stays under its Task's TimeoutSeconds."""
EXPRESS_MAX_SECONDS = 300
FAST_ERRORS = frozenset(
    {
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
        "IdempotencyAlreadyInProgressError",
    }
)
"""Errors raised before the function does its work (the Lambda service refusing or failing the invoke, Respond
finding its message claimed): an attempt that ends in one of these costs no time in `worst_case_seconds`; any
other retried error (States.TaskFailed, ...) may end an attempt that ran to its timeout."""
# What CloudWatch Logs needs of a customer-managed key to encrypt a log group with it.
LOGS_KEY_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")


def _task_states(states: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for state in states.values():
        if state.get("Type") == "Task":
            yield state
        for branch in state.get("Branches", []):
            yield from _task_states(branch["States"])


def task_timeouts(text: str | None = None) -> dict[str, Duration]:
    """Placeholder → the largest TimeoutSeconds of the Task states whose Resource is that placeholder.

    The route function serves two states (Prepare, Route): its timeout is under the longer one, and the shorter
    Task gives up on it first (States.Timeout, which that state's Catch takes).
    """
    definition = json.loads(load_text() if text is None else text)
    seconds: dict[str, int] = {}
    for state in _task_states(definition["States"]):
        names = placeholders(str(state.get("Resource", "")))
        if len(names) == 1 and "TimeoutSeconds" in state:
            name = names.pop()
            seconds[name] = max(seconds.get(name, 0), int(state["TimeoutSeconds"]))
    return {name: Duration.seconds(value) for name, value in seconds.items()}


def lambda_timeout(task_timeout: Duration) -> Duration:
    """The function's timeout for a Task state's TimeoutSeconds."""
    seconds = int(task_timeout.to_seconds()) - LAMBDA_TIMEOUT_MARGIN_S
    if seconds < 1:
        raise ValueError(f"a Task timeout of {task_timeout.to_seconds()} s leaves no time for its function")
    return Duration.seconds(seconds)


def _retry_seconds(state: Mapping[str, Any]) -> float:
    """A Task's worst case: every retrier used up, then a last attempt that runs to the timeout.

    Each retrier counts its own attempts, so the attempts add up; a retried attempt lasts the full timeout unless
    its errors are all FAST_ERRORS. Waits are the largest backoff (FULL jitter only shortens them).
    """
    timeout = float(state.get("TimeoutSeconds", 60))
    total = timeout
    for retrier in state.get("Retry", []):
        attempts = int(retrier.get("MaxAttempts", 3))
        interval = float(retrier.get("IntervalSeconds", 1))
        backoff = float(retrier.get("BackoffRate", 2.0))
        cap = float(retrier.get("MaxDelaySeconds", float("inf")))
        waits = sum(min(cap, interval * backoff**n) for n in range(attempts))
        attempt_s = 0.0 if set(retrier["ErrorEquals"]) <= FAST_ERRORS else timeout
        total += waits + attempts * attempt_s
    return total


def _path_seconds(states: Mapping[str, Any], start: str) -> float:
    """Longest time from `start` to an end state; a Catch or a Choice may lead to another path, so each is
    followed."""
    longest: dict[str, float] = {}

    def visit(name: str) -> float:
        if name not in longest:
            longest[name] = 0.0  # a cycle (not in our definition) would otherwise recurse forever
            state = states[name]
            if state["Type"] == "Task":
                own = _retry_seconds(state)
            elif state["Type"] == "Parallel":
                own = max(_path_seconds(branch["States"], branch["StartAt"]) for branch in state["Branches"])
            else:
                own = 0.0
            nexts = [state["Next"]] if "Next" in state else []
            nexts += [catcher["Next"] for catcher in state.get("Catch", [])]
            nexts += [choice["Next"] for choice in state.get("Choices", [])]
            nexts += [state["Default"]] if "Default" in state else []
            longest[name] = own + max((visit(following) for following in nexts), default=0.0)
        return longest[name]

    return visit(start)


def worst_case_seconds(text: str | None = None) -> float:
    """The longest an execution can take when every Task retries as often as its Retry allows."""
    definition = json.loads(load_text() if text is None else text)
    return _path_seconds(definition["States"], definition["StartAt"])


def check_execution_budget(text: str | None = None) -> None:
    """Refuse a definition whose TimeoutSeconds is under its worst path, or over Express's 5 minutes."""
    definition = json.loads(load_text() if text is None else text)
    timeout = definition.get("TimeoutSeconds")
    worst = worst_case_seconds(json.dumps(definition))
    if timeout is None or timeout > EXPRESS_MAX_SECONDS:
        raise ValueError(f"the execution's TimeoutSeconds ({timeout}) must be set and at most {EXPRESS_MAX_SECONDS}")
    if worst > timeout:
        raise ValueError(
            f"the worst path with retries takes {worst:.1f} s, longer than the execution's TimeoutSeconds "
            f"({timeout}): the last retries could never run"
        )


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


def execution_log_group_name(stack: Stack) -> str:
    """`/aws/vendedlogs/states/<stack name>-assistant-<last part of the stack id>`: a new name per stack instance
    (the stack id's UUID changes when the stack is deleted and created again), stable across updates."""
    stack_uuid = Fn.select(2, Fn.split("/", stack.stack_id))
    return f"/aws/vendedlogs/states/{stack.stack_name}-assistant-" + Fn.select(4, Fn.split("-", stack_uuid))


class Workflow(Construct):
    """The state machine, its execution log group, and its permission to invoke exactly the task functions."""

    def __init__(self, scope: Construct, construct_id: str, *, task_arns: Mapping[str, str]) -> None:
        super().__init__(scope, construct_id)
        missing = placeholders(load_text()) - task_arns.keys()
        if missing:
            raise ValueError(f"no function for ASL placeholders: {sorted(missing)}")
        check_execution_budget()

        # Step Functions delivers logs as vended logs; this prefix keeps the log resource policy small. The group is
        # retained on destroy, so its name ends in this stack instance's id: a fixed name would make the next deploy
        # fail on the retained group ("already exists").
        log_group_name = execution_log_group_name(Stack.of(self))
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
