"""A function in its own process under awslambdaric, talking to the loopback Runtime API."""

from __future__ import annotations

import importlib.util
import sys
from typing import TYPE_CHECKING

import pytest

from office_assistant_local.rehearsal.process import FunctionProcess
from office_assistant_local.rehearsal.runtime_api import InitError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from office_assistant_local.rehearsal.process import Sandbox

ECHO = """
import os, sys

def lambda_handler(event, context):
    return {
        "event": event,
        "function": context.function_name,
        "request_id": context.aws_request_id,
        "time_left_ms": context.get_remaining_time_in_millis(),
        "path": sys.path,
        "environ": sorted(os.environ),
    }
"""


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Callable[[Sandbox], FunctionProcess]]:
    processes: list[FunctionProcess] = []

    def start(sandbox: Sandbox) -> FunctionProcess:
        process = FunctionProcess(sandbox, tmp_path / f"{sandbox.name}.log")
        processes.append(process)
        process.start()
        return process

    yield start
    for process in processes:
        process.stop()


def test_the_handler_gets_the_event_and_a_lambda_context_and_sees_only_lambdas_paths(
    make_sandbox: Callable[..., Sandbox], started: Callable[[Sandbox], FunctionProcess]
) -> None:
    sandbox = make_sandbox(ECHO, environment={"OA_STATE_TABLE": "from-the-template"}, timeout_s=10)
    process = started(sandbox)

    first = process.invoke({"n": 1})
    warm = process.invoke({"n": 2})

    assert first.error is None and warm.error is None
    assert (first.result["event"], warm.result["event"]) == ({"n": 1}, {"n": 2})
    assert first.result["function"] == "probe"
    assert first.result["request_id"] != warm.result["request_id"]
    assert 0 < first.result["time_left_ms"] <= 10_000  # from Lambda-Runtime-Deadline-Ms
    path = first.result["path"]
    assert path[1:4] == [str(sandbox.code_dir), str(sandbox.layer_dir / "python"), str(sandbox.runtime_dir)]
    assert not [entry for entry in path if entry.startswith(sys.prefix)]  # nothing of the dev venv
    assert "OA_STATE_TABLE" in first.result["environ"]
    assert "VIRTUAL_ENV" not in first.result["environ"]
    assert process.rss_mb is not None and process.rss_mb > 0


def test_an_exception_comes_back_as_the_runtimes_error_with_its_type(
    make_sandbox: Callable[..., Sandbox], started: Callable[[Sandbox], FunctionProcess]
) -> None:
    process = started(make_sandbox("def lambda_handler(event, context):\n    raise KeyError('OA_STATE_TABLE')\n"))

    invocation = process.invoke({})

    assert invocation.error is not None
    assert invocation.error["errorType"] == "KeyError"
    assert "OA_STATE_TABLE" in invocation.error["errorMessage"]


def test_a_module_missing_from_the_layer_is_an_init_error_naming_it(
    make_sandbox: Callable[..., Sandbox], started: Callable[[Sandbox], FunctionProcess]
) -> None:
    sandbox = make_sandbox("import not_in_the_layer\n\ndef lambda_handler(event, context):\n    return 1\n")

    with pytest.raises(InitError) as raised:
        started(sandbox)

    assert raised.value.error["errorType"] == "Runtime.ImportModuleError"
    assert "No module named 'not_in_the_layer'" in raised.value.error["errorMessage"]


def test_a_module_only_the_dev_venv_has_is_an_init_error_too(
    make_sandbox: Callable[..., Sandbox], started: Callable[[Sandbox], FunctionProcess]
) -> None:
    assert importlib.util.find_spec("moto") is not None  # the dev venv has it; the layers do not

    with pytest.raises(InitError, match="No module named 'moto'"):
        started(make_sandbox("import moto\n\ndef lambda_handler(event, context):\n    return 1\n"))


def test_a_function_that_outlives_its_timeout_is_reset_and_reported_as_timed_out(
    make_sandbox: Callable[..., Sandbox], started: Callable[[Sandbox], FunctionProcess]
) -> None:
    source = "import time\n\ndef lambda_handler(event, context):\n    time.sleep(30)\n"
    process = started(make_sandbox(source, timeout_s=1))

    invocation = process.invoke({})

    assert invocation.error is not None
    assert invocation.error["errorType"] == "Sandbox.Timedout"
    assert process.alive is False  # Lambda resets the environment: the next invocation is a cold start
