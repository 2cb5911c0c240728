"""ASL semantics on toy handlers: the local engine behaves like Step Functions, and a moto upgrade that moves the
patch points fails here first."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from office_assistant_local.engine import ExecutionResult, InvalidDefinitionError, StateTiming, run_state_machine

ACCOUNT = "123456789012"


def function_arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


def one_task(resource: str, **task: Any) -> dict[str, Any]:
    return {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": resource, "End": True, **task}}}


def echo(event: Any, context: Any) -> Any:
    return {"event": event, "function": context.function_name}


class PaymentDeclinedError(Exception):
    pass


def overlap(intervals: list[StateTiming]) -> bool:
    """True when one instant lies inside every interval (the latest start precedes the earliest end)."""
    ends = [timing.ended_at for timing in intervals]
    assert all(end is not None for end in ends)
    return max(timing.started_at for timing in intervals) < min(end for end in ends if end is not None)


def test_task_with_plain_function_arn_returns_handler_result_with_lambda_context() -> None:
    seen: dict[str, Any] = {}

    def handler(event: Any, context: Any) -> Any:
        seen.update(
            function_name=context.function_name,
            version=context.function_version,
            arn=context.invoked_function_arn,
            request_id=context.aws_request_id,
            remaining=context.get_remaining_time_in_millis(),
            memory=context.memory_limit_in_mb,
            log_group=context.log_group_name,
            log_stream=context.log_stream_name,
        )
        return {"doubled": event["n"] * 2}

    result = run_state_machine(one_task(function_arn("double")), {"double": handler}, {"n": 21})

    assert result.status == "SUCCEEDED"
    assert result.output == {"doubled": 42}
    assert seen["function_name"] == "double"
    assert seen["version"] == "$LATEST"
    assert seen["arn"].endswith(":function:double")
    assert seen["request_id"] and seen["log_stream"]
    assert seen["remaining"] > 0 and seen["memory"] > 0
    assert seen["log_group"] == "/aws/lambda/double"


def test_task_with_qualified_function_arn_calls_the_unqualified_handler() -> None:
    definition = one_task(function_arn("echo") + ":live")

    result = run_state_machine(definition, {"echo": echo}, {"a": 1})

    assert result.status == "SUCCEEDED"
    assert result.output == {"event": {"a": 1}, "function": "echo"}


def test_lambda_invoke_integration_returns_invoke_envelope_with_parsed_payload() -> None:
    definition = one_task(
        "arn:aws:states:::lambda:invoke",
        Parameters={"FunctionName": function_arn("echo"), "Payload.$": "$.body"},
        ResultSelector={"echoed.$": "$.Payload.event", "status.$": "$.StatusCode", "version.$": "$.ExecutedVersion"},
    )

    result = run_state_machine(definition, {"echo": echo}, {"body": {"text": "hi"}})

    assert result.status == "SUCCEEDED"
    assert result.output == {"echoed": {"text": "hi"}, "status": 200, "version": "$LATEST"}


def test_lambda_invoke_integration_accepts_a_bare_function_name_with_alias() -> None:
    definition = one_task(
        "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "echo:prod", "Payload": {"x": 1}}
    )

    result = run_state_machine(definition, {"echo": echo}, {})

    assert result.status == "SUCCEEDED"
    assert result.output["Payload"] == {"event": {"x": 1}, "function": "echo"}
    assert result.output["StatusCode"] == 200


def test_parallel_runs_branch_tasks_concurrently_when_each_sleeps() -> None:
    def nap(event: Any, context: Any) -> Any:
        time.sleep(0.3)
        return context.function_name

    branches = [
        {"StartAt": name, "States": {name: {"Type": "Task", "Resource": function_arn(name), "End": True}}}
        for name in ("NapA", "NapB", "NapC")
    ]
    definition = {"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "Branches": branches, "End": True}}}

    result = run_state_machine(definition, {"NapA": nap, "NapB": nap, "NapC": nap}, {})

    assert result.status == "SUCCEEDED"
    assert result.output == ["NapA", "NapB", "NapC"]
    naps = [result.state(name) for name in ("NapA", "NapB", "NapC")]
    assert all(timing is not None and timing.type == "Task" for timing in naps)
    assert overlap([timing for timing in naps if timing is not None])
    fan = result.state("Fan")
    assert fan is not None and fan.type == "Parallel"
    assert all(timing is not None and fan.started_at <= timing.started_at for timing in naps)


def test_choice_takes_the_matching_rule_and_falls_back_to_default() -> None:
    definition = {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                    {
                        "And": [{"Variable": "$.tag", "IsPresent": True}, {"Variable": "$.tag", "StringEquals": "x"}],
                        "Next": "Tagged",
                    },
                ],
                "Default": "Small",
            },
            "Big": {"Type": "Pass", "Result": "big", "End": True},
            "Tagged": {"Type": "Pass", "Result": "tagged", "End": True},
            "Small": {"Type": "Pass", "Result": "small", "End": True},
        },
    }

    outputs = [run_state_machine(definition, {}, given).output for given in ({"n": 11}, {"n": 1, "tag": "x"}, {"n": 1})]

    assert outputs == ["big", "tagged", "small"]


def test_map_runs_every_item_through_its_iterator_within_max_concurrency() -> None:
    lock = threading.Lock()
    in_flight = {"now": 0, "most": 0}

    def square(event: Any, context: Any) -> Any:
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        time.sleep(0.05)
        with lock:
            in_flight["now"] -= 1
        return event["value"] ** 2

    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 2,
                "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Square",
                    "States": {"Square": {"Type": "Task", "Resource": function_arn("square"), "End": True}},
                },
                "End": True,
            }
        },
    }

    result = run_state_machine(definition, {"square": square}, {"items": [1, 2, 3, 4, 5]})

    assert result.status == "SUCCEEDED"
    assert result.output == [1, 4, 9, 16, 25]
    assert 1 <= in_flight["most"] <= 2
    assert len([timing for timing in result.states if timing.name == "Square"]) == 5
    assert all(timing.ended_at is not None for timing in result.states)


def test_pass_evaluates_intrinsic_functions_in_parameters() -> None:
    definition = {
        "StartAt": "Shape",
        "States": {
            "Shape": {
                "Type": "Pass",
                "Parameters": {
                    "greeting.$": "States.Format('hello {}, you have {} items', $.name, $.count)",
                    "pair.$": "States.Array($.name, $.count)",
                    "parsed.$": "States.StringToJson($.raw)",
                    "next.$": "States.MathAdd($.count, 1)",
                    "id.$": "States.UUID()",
                    "constant": "kept",
                },
                "End": True,
            }
        },
    }

    result = run_state_machine(definition, {}, {"name": "Ada", "count": 3, "raw": '{"k": [1, 2]}'})

    assert result.status == "SUCCEEDED"
    output = result.output
    assert output["greeting"] == "hello Ada, you have 3 items"
    assert output["pair"] == ["Ada", 3]
    assert output["parsed"] == {"k": [1, 2]}
    assert output["next"] == 4
    assert len(output["id"]) == 36 and output["id"].count("-") == 4
    assert output["constant"] == "kept"


def test_wait_then_succeed_passes_input_through() -> None:
    definition = {
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
            "Done": {"Type": "Succeed", "OutputPath": "$.keep"},
        },
    }

    result = run_state_machine(definition, {}, {"keep": {"v": 1}, "drop": 2})

    assert result.status == "SUCCEEDED"
    assert result.output == {"v": 1}
    assert [(timing.name, timing.type) for timing in result.states] == [("Pause", "Wait"), ("Done", "Succeed")]


def test_fail_state_fails_execution_with_its_error_and_cause() -> None:
    definition = {
        "StartAt": "Stop",
        "States": {"Stop": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "no stock"}},
    }

    result = run_state_machine(definition, {}, {})

    assert result.status == "FAILED"
    assert (result.error, result.cause) == ("Order.Rejected", "no stock")
    assert result.output is None
    stop = result.state("Stop")
    assert stop is not None and stop.ended_at is None


def test_retry_reinvokes_handler_until_it_succeeds_when_error_is_custom_exception_class() -> None:
    attempts: list[int] = []

    def flaky(event: Any, context: Any) -> Any:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise PaymentDeclinedError("try again")
        return {"paid_on_attempt": len(attempts)}

    definition = one_task(
        function_arn("charge"),
        Retry=[{"ErrorEquals": ["PaymentDeclinedError"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 1.0}],
    )

    result = run_state_machine(definition, {"charge": flaky}, {})

    assert result.status == "SUCCEEDED"
    assert result.output == {"paid_on_attempt": 3}
    assert attempts == [1, 2, 3]


def test_catch_puts_error_and_cause_at_result_path_when_handler_raises() -> None:
    def refuse(event: Any, context: Any) -> Any:
        raise PaymentDeclinedError("card expired")

    definition = {
        "StartAt": "Charge",
        "States": {
            "Charge": {
                "Type": "Task",
                "Resource": function_arn("charge"),
                "Catch": [{"ErrorEquals": ["PaymentDeclinedError"], "ResultPath": "$.failure", "Next": "Degraded"}],
                "End": True,
            },
            "Degraded": {"Type": "Pass", "End": True},
        },
    }

    result = run_state_machine(definition, {"charge": refuse}, {"order": 7})

    assert result.status == "SUCCEEDED"
    assert result.output["order"] == 7
    assert result.output["failure"]["Error"] == "PaymentDeclinedError"
    assert json.loads(result.output["failure"]["Cause"])["errorMessage"] == "card expired"


def test_task_timeout_is_caught_as_states_timeout_when_handler_outlives_timeout_seconds() -> None:
    release = threading.Event()

    def stuck(event: Any, context: Any) -> Any:
        release.wait(10)
        return "late"

    definition = {
        "StartAt": "Slow",
        "States": {
            "Slow": {
                "Type": "Task",
                "Resource": function_arn("stuck"),
                "TimeoutSeconds": 1,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.failure", "Next": "Degraded"}],
                "End": True,
            },
            "Degraded": {"Type": "Pass", "End": True},
        },
    }

    try:
        result = run_state_machine(definition, {"stuck": stuck}, {})
    finally:
        release.set()

    assert result.status == "SUCCEEDED"
    assert result.output["failure"]["Error"] == "States.Timeout"
    assert result.state("Degraded") is not None


def test_execution_times_out_when_state_machine_timeout_seconds_passes() -> None:
    release = threading.Event()

    def stuck(event: Any, context: Any) -> Any:
        release.wait(10)
        return "late"

    definition = {"TimeoutSeconds": 1, **one_task(function_arn("stuck"))}

    try:
        result = run_state_machine(definition, {"stuck": stuck}, {})
    finally:
        release.set()

    assert result.status == "TIMED_OUT"
    assert result.output is None


def test_run_is_aborted_when_caller_timeout_passes() -> None:
    release = threading.Event()

    def stuck(event: Any, context: Any) -> Any:
        release.wait(10)
        return "late"

    try:
        result = run_state_machine(one_task(function_arn("stuck")), {"stuck": stuck}, {}, timeout_s=0.2)
    finally:
        release.set()

    assert result.status == "ABORTED"
    assert result.error == "LocalEngine.Timeout"


def test_context_object_gives_execution_and_state_names_in_parameters() -> None:
    definition = {
        "StartAt": "Stamp",
        "States": {
            "Stamp": {
                "Type": "Task",
                "Resource": function_arn("echo"),
                "Parameters": {"execution.$": "$$.Execution.Name", "state.$": "$$.State.Name", "input.$": "$"},
                "End": True,
            }
        },
    }

    result = run_state_machine(definition, {"echo": echo}, {"q": 1}, name="order-42")

    assert result.status == "SUCCEEDED"
    assert result.output["event"] == {"execution": "order-42", "state": "Stamp", "input": {"q": 1}}
    assert result.name == "order-42"
    assert result.execution_arn.endswith(":order-42")
    assert result.started_at <= result.stopped_at


@pytest.mark.parametrize(
    "definition",
    [
        one_task(function_arn("missing")),
        one_task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "missing", "Payload.$": "$"}),
    ],
    ids=["plain-arn", "lambda-invoke"],
)
def test_unknown_function_fails_execution_with_lambda_resource_not_found(definition: dict[str, Any]) -> None:
    result = run_state_machine(definition, {"echo": echo}, {})

    assert result.status == "FAILED"
    assert result.error == "Lambda.ResourceNotFoundException"
    assert result.cause is not None and "Function not found" in result.cause and ":function:missing" in result.cause


def test_handler_exception_reaches_asl_as_lambda_error_envelope() -> None:
    def explode(event: Any, context: Any) -> Any:
        raise ValueError("bad input: 42")

    result = run_state_machine(one_task(function_arn("explode")), {"explode": explode}, {})

    assert result.status == "FAILED"
    assert result.error == "ValueError"
    assert result.cause is not None
    envelope = json.loads(result.cause)
    assert envelope["errorType"] == "ValueError"
    assert envelope["errorMessage"] == "bad input: 42"
    assert envelope["requestId"]
    assert any("explode" in frame for frame in envelope["stackTrace"])


def test_handler_result_that_is_not_json_fails_as_runtime_marshal_error() -> None:
    def give_set(event: Any, context: Any) -> Any:
        return {1, 2}

    result = run_state_machine(one_task(function_arn("give_set")), {"give_set": give_set}, {})

    assert result.status == "FAILED"
    assert result.error == "Runtime.MarshalError"
    assert result.cause is not None and "Unable to marshal response" in result.cause


def test_runs_with_different_handler_maps_each_use_their_own_handler_when_run_one_after_another() -> None:
    definition = one_task(function_arn("greet"))

    first = run_state_machine(definition, {"greet": lambda event, context: "first"}, {})
    second = run_state_machine(definition, {"greet": lambda event, context: "second"}, {})

    assert (first.output, second.output) == ("first", "second")


def test_run_with_conflicting_handler_waits_for_live_run_then_uses_its_own_handler() -> None:
    definition = one_task(function_arn("greet"))
    release, first_entered = threading.Event(), threading.Event()
    second_called = threading.Event()

    def first_greet(event: Any, context: Any) -> Any:
        first_entered.set()
        release.wait(10)
        return "first"

    def second_greet(event: Any, context: Any) -> Any:
        second_called.set()
        return "second"

    results: dict[str, ExecutionResult] = {}
    first = threading.Thread(
        target=lambda: results.update(first=run_state_machine(definition, {"greet": first_greet}, {}))
    )
    second = threading.Thread(
        target=lambda: results.update(second=run_state_machine(definition, {"greet": second_greet}, {}))
    )

    first.start()
    assert first_entered.wait(10)
    second.start()
    called_while_first_live = second_called.wait(0.3)
    release.set()
    first.join(10)
    second.join(10)

    assert not called_while_first_live
    assert results["first"].output == "first"
    assert results["second"].output == "second"


def test_runs_with_the_same_handlers_are_live_together() -> None:
    definition = one_task(function_arn("meet"))
    both_inside = threading.Barrier(2, timeout=10)

    def meet(event: Any, context: Any) -> Any:
        both_inside.wait()
        return event["who"]

    results: list[Any] = []
    runs = [
        threading.Thread(
            target=lambda who=who: results.append(run_state_machine(definition, {"meet": meet}, {"who": who}))
        )
        for who in ("a", "b")
    ]

    for run in runs:
        run.start()
    for run in runs:
        run.join(15)

    assert sorted(result.output for result in results) == ["a", "b"]


@pytest.mark.parametrize(
    ("definition", "reason"),
    [
        ("{not json", "not JSON"),
        ({"StartAt": "A", "States": {"A": {"Type": "Teleport", "End": True}}}, "invalid state machine definition"),
        ({"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": True}}}, "MISSING_TRANSITION_TARGET"),
        ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}, "MISSING_TRANSITION_TARGET"),
    ],
    ids=["not-json", "unknown-state-type", "start-at-missing", "next-missing"],
)
def test_invalid_definition_raises_invalid_definition_error(definition: Any, reason: str) -> None:
    with pytest.raises(InvalidDefinitionError, match=reason):
        run_state_machine(definition, {}, {})


def test_engine_keeps_moto_bookkeeping_bounded_when_many_definitions_run() -> None:
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    from office_assistant_local.engine.runner import ACCOUNT as ENGINE_ACCOUNT
    from office_assistant_local.engine.runner import REGION

    definitions = [
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": index, "End": True}}} for index in range(40)
    ]

    outputs = [run_state_machine(definition, {}, {}).output for definition in definitions]

    machines = stepfunctions_parser_backends[ENGINE_ACCOUNT][REGION].state_machines
    ours = [machine for machine in machines if machine.name.startswith("local-")]
    assert outputs == list(range(40))
    assert len(ours) <= 16
    assert all(not machine.executions for machine in ours)


def test_importing_the_local_package_does_not_import_moto() -> None:
    code = "import sys, office_assistant_local.engine as local; assert 'moto' not in sys.modules; print(local.__all__)"

    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)

    assert completed.returncode == 0, completed.stderr
    assert "run_state_machine" in completed.stdout


def test_in_process_client_returns_the_lambda_invoke_envelope_when_handler_raises() -> None:
    from office_assistant_local.engine.dispatch import REGISTRY, InProcessLambdaClient

    def explode(event: Any, context: Any) -> Any:
        raise KeyError(event["missing"])

    client = InProcessLambdaClient(REGISTRY, "eu-west-1")

    with REGISTRY.registered({"explode": explode}):
        response = client.invoke(FunctionName="explode:live", Payload=b'{"missing": "id"}')

    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert response["ExecutedVersion"] == "$LATEST"
    payload = json.loads(response["Payload"].read())
    assert payload["errorType"] == "KeyError"
    assert payload["errorMessage"] == "'id'"
    assert set(payload) == {"errorMessage", "errorType", "requestId", "stackTrace"}


# --- Step Functions' 256 KiB payload quota and Lambda's 6 MB, with AWS's semantics ---------------------------

QUOTA = 256 * 1024
CATCH_ALL = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Recovered"}]
RECOVERED = {"Recovered": {"Type": "Pass", "End": True}}


def caught_task(resource: str, **task: Any) -> dict[str, Any]:
    call = {"Type": "Task", "Resource": resource, "Catch": CATCH_ALL, "Next": "Recovered", **task}
    return {"StartAt": "Call", "States": {"Call": call, **RECOVERED}}


def test_task_result_over_the_quota_fails_the_execution_past_a_states_all_catch() -> None:
    definition = caught_task(function_arn("big"))

    result = run_state_machine(definition, {"big": lambda event, context: {"text": "x" * QUOTA}}, {})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert result.state("Recovered") is None


def test_states_all_retry_does_not_retry_a_result_over_the_quota() -> None:
    calls: list[int] = []

    def big(event: Any, context: Any) -> Any:
        calls.append(1)
        return {"text": "x" * QUOTA}

    retry = [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3}]
    definition = caught_task(function_arn("big"), Retry=retry)

    result = run_state_machine(definition, {"big": big}, {})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert len(calls) == 1


def test_task_input_over_the_quota_after_parameters_fails_before_the_function_is_invoked() -> None:
    calls: list[Any] = []
    half = "y" * (QUOTA // 2 + 16)
    definition = caught_task(function_arn("echo"), Parameters={"first.$": "$.half", "second.$": "$.half"})

    result = run_state_machine(definition, {"echo": lambda event, context: calls.append(event)}, {"half": half})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert "after Parameters" in (result.cause or "")
    assert calls == []


def test_state_output_over_the_quota_inside_a_parallel_branch_fails_the_execution() -> None:
    half = "z" * (QUOTA // 2 + 16)
    branch = {
        "StartAt": "Double",
        "States": {"Double": {"Type": "Pass", "Parameters": {"a.$": "$.half", "b.$": "$.half"}, "End": True}},
    }
    parallel = {"Type": "Parallel", "Branches": [branch], "Catch": CATCH_ALL, "Next": "Recovered"}
    definition = {"StartAt": "Fan", "States": {"Fan": parallel, **RECOVERED}}

    result = run_state_machine(definition, {}, {"half": half})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert result.state("Recovered") is None


def test_execution_input_over_the_quota_fails_the_execution_before_any_state_runs() -> None:
    calls: list[Any] = []

    result = run_state_machine(
        one_task(function_arn("echo")), {"echo": lambda e, c: calls.append(e)}, {"text": "x" * QUOTA}
    )

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert result.states == []
    assert calls == []


def test_quota_counts_utf8_bytes_of_compact_json_so_non_ascii_text_under_it_passes() -> None:
    text = "é" * 100_000  # 200,000 UTF-8 bytes; moto's ASCII-escaped JSON would count 600,000

    result = run_state_machine(one_task(function_arn("echo")), {"echo": lambda event, c: event}, {"text": text})

    assert result.status == "SUCCEEDED"
    assert result.output == {"text": text}
    assert result.largest_payload_bytes() == len('{"text":""}') + 200_000


def test_result_over_lambdas_6_mb_response_quota_is_a_function_error_that_a_catch_takes() -> None:
    definition = caught_task(function_arn("huge"))

    result = run_state_machine(definition, {"huge": lambda event, context: "x" * (6 * 1024 * 1024 + 100)}, {})

    assert result.status == "SUCCEEDED"
    assert result.output["failure"]["Error"] == "Function.ResponseSizeTooLarge"


def test_in_process_client_refuses_a_request_over_lambdas_6_mb_quota() -> None:
    from botocore.exceptions import ClientError

    from office_assistant_local.engine.dispatch import REGISTRY, InProcessLambdaClient

    client = InProcessLambdaClient(REGISTRY)
    payload = json.dumps({"text": "x" * (6 * 1024 * 1024)}).encode()

    with REGISTRY.registered({"echo": echo}), pytest.raises(ClientError) as raised:
        client.invoke(FunctionName="echo", Payload=payload)

    assert raised.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


@pytest.mark.parametrize("resource", [function_arn("clock"), "arn:aws:states:::lambda:invoke"])
def test_handler_context_counts_down_from_the_task_timeout_seconds(resource: str) -> None:
    def clock(event: Any, context: Any) -> Any:
        return {"remaining_ms": context.get_remaining_time_in_millis()}

    parameters = (
        {"Parameters": {"FunctionName": "clock", "Payload": {}}} if resource.startswith("arn:aws:states") else {}
    )
    timed = one_task(resource, TimeoutSeconds=7, **parameters)
    untimed = one_task(resource, **parameters)

    within_seven = run_state_machine(timed, {"clock": clock}, {})
    without = run_state_machine(untimed, {"clock": clock}, {})

    def remaining(result: ExecutionResult) -> int:
        output = result.output
        return int((output["Payload"] if "Payload" in output else output)["remaining_ms"])

    assert 0 < remaining(within_seven) <= 7000
    assert remaining(without) > 7000
