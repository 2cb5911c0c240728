"""Runs any ASL definition on moto's Step Functions interpreter, its Lambda tasks answered by in-process handlers.

moto (a port of LocalStack's interpreter) is driven directly, never inside `mock_aws`, so the handlers' own boto3
calls go wherever their clients point. Three names inside moto are replaced, once per process, by
`install_lambda_dispatch`: the Lambda client factory, so every Lambda task calls `dispatch.InProcessLambdaClient`;
the plain-ARN Lambda task's error mapping, so a Lambda API error carries AWS's `Lambda.<Code>` name there too; and
the execution worker's entry point, so a definition is parsed into moto's program once, not once per execution
(the ANTLR parse took about as long as a whole zero-latency execution). And the interpreter's hot modules copy
state values with `_JsonCopy`, a copier for JSON values, instead of `copy.deepcopy` (a third of an execution's time
went to deep-copying the payloads, the query embedding above all). Each Lambda task's TimeoutSeconds is bound for
its invoke, so the handler's context counts down from it; and Step Functions' payload quota holds with AWS's
semantics (`quotas.install_quotas`).
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.limits import json_bytes
from office_assistant_local.engine.asl_validation import check_transitions
from office_assistant_local.engine.dispatch import REGISTRY, InProcessLambdaClient
from office_assistant_local.engine.errors import (
    ExecutionAlreadyRunningError,
    InvalidDefinitionError,
    UnsupportedMotoError,
)
from office_assistant_local.engine.execution import ExecutionResult, StateTiming, history_events, state_timings
from office_assistant_local.engine.lambda_context import task_timeout
from office_assistant_local.engine.quotas import DATA_LIMIT_EXCEEDED, install_quotas, within_quota

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from office_assistant_local.engine.dispatch import Handler

__all__ = [
    "ExecutionAlreadyRunningError",
    "ExecutionResult",
    "InvalidDefinitionError",
    "StateTiming",
    "UnsupportedMotoError",
    "install_lambda_dispatch",
    "run_state_machine",
]

logger = logging.getLogger(__name__)

MOTO_VERSION = "5.2.5"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/office-assistant-local-engine"

_MAX_MACHINES = 16  # distinct definitions kept registered in moto; older ones are deleted (their runs go on)
_POLL_S = 0.002  # only when moto's worker thread cannot be found
_STOP_GRACE_S = 1.0  # how long an execution stopped for `timeout_s` gets to wind down before we stop waiting
_TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def run_state_machine(
    definition: str | Mapping[str, Any],
    handlers: Mapping[str, Handler],
    input: Any,
    *,
    name: str | None = None,
    timeout_s: float | None = None,
) -> ExecutionResult:
    """Run one execution of `definition` to its end and return its result.

    Parameters
    ----------
    definition
        ASL as JSON text or as a dict.
    handlers
        Lambda function name (the ARN's last part, without qualifier) → `handler(event, context)`. The map is
        registered process-wide for the run; see `dispatch.HandlerRegistry` for when concurrent runs wait.
    input
        The execution input; any JSON-serialisable value.
    name
        Execution name (`$$.Execution.Name`); a fresh UUID when omitted.
    timeout_s
        Wall-clock limit for this call. When it passes, the execution is stopped and the result is ABORTED with
        error `LocalEngine.Timeout`. The definition's own `TimeoutSeconds` gives TIMED_OUT, as in AWS.

    An execution input over Step Functions' 256 KiB quota fails the execution with `States.DataLimitExceeded`
    before any state runs (AWS names the quota for "starting an execution"; either way nothing is answered).
    """
    text = definition if isinstance(definition, str) else json.dumps(definition)
    try:
        execution_input = json.dumps(input)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"execution input is not JSON-serialisable: {exc}") from exc
    install_lambda_dispatch()
    if not within_quota(input):
        return _input_over_quota(name or uuid.uuid4().hex, execution_input)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    with REGISTRY.registered(handlers, timeout_s):
        machine, execution, worker = _MOTO.start(text, name or uuid.uuid4().hex, execution_input)
        try:
            finished = _wait(execution, worker, deadline)
            if not finished:
                logger.warning("execution %s exceeded timeout_s=%s; stopping it", execution.name, timeout_s)
                if execution.exec_worker.env is not None:  # None: moto is still parsing; nothing to stop yet
                    execution.stop(stop_date=datetime.now(UTC), error="LocalEngine.Timeout", cause=None)
                    _wait(execution, worker, time.monotonic() + _STOP_GRACE_S)
            return _result(execution, gave_up_after=None if finished else timeout_s)
        finally:
            _MOTO.forget(machine, execution)


_install_lock = threading.Lock()


def install_lambda_dispatch() -> None:
    """Point moto's Lambda tasks at the in-process dispatcher; idempotent, and loud if moto has moved on.

    Replaced names (moto 5.2.5):
    - `lambda_eval_utils.boto_client_for`: both the plain function-ARN task and `arn:aws:states:::lambda:invoke`
      get their client from it. Lambda gets `InProcessLambdaClient`; other services keep moto's client.
    - `StateTaskLambda._from_error`: moto names every Lambda API error of a plain-ARN task `Exception`; AWS names
      it `Lambda.<Code>` (e.g. `Lambda.ResourceNotFoundException`), as moto already does for `lambda:invoke`.
    - `ExecutionWorker._get_evaluation_entrypoint`: moto parses the definition text on every execution; the parsed
      program is reused per text instead (see `_program_cache`).
    - the name `copy` in the modules of `_COPYING_MODULES`, which only call `copy.deepcopy` on state values: it
      becomes `_JsonCopy`, whose `deepcopy` rebuilds JSON values and hands anything else to `copy.deepcopy`.
    - `StateTaskLambda._eval_execution` and `StateTaskServiceLambda._eval_service_task`: the Task's TimeoutSeconds
      is bound for the invoke, so the handler's context counts down from it (`lambda_context.task_timeout`).
    - Step Functions' payload quota with AWS's semantics: see `quotas.install_quotas`.
    """
    install_quotas()
    with _install_lock:
        lambda_eval_utils, task_lambda, service_lambda, execution_worker = _patch_points()
        if getattr(lambda_eval_utils.boto_client_for, "_office_assistant_dispatch", False):
            return
        original_client_for = lambda_eval_utils.boto_client_for
        original_from_error = task_lambda._from_error

        def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
            if service == "lambda":
                return InProcessLambdaClient(REGISTRY, region)
            return original_client_for(region=region, service=service, state_credentials=state_credentials)

        def from_error(self: Any, env: Any, ex: Exception) -> Any:
            from botocore.exceptions import ClientError
            from moto.stepfunctions.parser.api import HistoryEventType
            from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
            from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent

            if not isinstance(ex, ClientError):
                return original_from_error(self, env, ex)
            error, cause = service_lambda._error_cause_from_client_error(ex)
            details: Any = {"lambdaFunctionFailedEventDetails": {"error": error, "cause": cause}}
            return FailureEvent(
                env=env,
                error_name=CustomErrorName(error),
                event_type=HistoryEventType.LambdaFunctionFailed,
                event_details=details,
            )

        boto_client_for._office_assistant_dispatch = True  # type: ignore[attr-defined]
        lambda_eval_utils.boto_client_for = boto_client_for
        task_lambda._from_error = from_error
        task_lambda._eval_execution = _with_task_timeout(task_lambda._eval_execution)
        service_lambda._eval_service_task = _with_task_timeout(service_lambda._eval_service_task)
        execution_worker._get_evaluation_entrypoint = _program_cache(execution_worker._get_evaluation_entrypoint)
        for module in _copying_modules():
            module.copy = _JsonCopy


def _with_task_timeout(evaluate: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a Lambda task's evaluation so the invoke it makes (on this thread) knows the state's TimeoutSeconds."""

    def evaluate_with_timeout(self: Any, env: Any, *args: Any, **kwargs: Any) -> Any:
        seconds = None
        if not self.timeout.is_default_value():
            self.timeout.eval(env=env)
            seconds = float(env.stack.pop())
        with task_timeout(seconds):
            return evaluate(self, env, *args, **kwargs)

    return evaluate_with_timeout


_COPYING_MODULES = (
    "moto.stepfunctions.parser.asl.eval.states",
    "moto.stepfunctions.parser.asl.eval.event.event_manager",
    "moto.stepfunctions.parser.asl.component.state.exec.execute_state",
    "moto.stepfunctions.parser.asl.component.state.exec.state_parallel.state_parallel",
    "moto.stepfunctions.parser.asl.component.common.path.result_path",
    "moto.stepfunctions.parser.asl.component.common.string.string_expression",
)
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


class _NotJsonError(Exception):
    """A value that is not plain JSON (dict, list, str, number, bool, None): `copy.deepcopy` handles it."""


def _json_value_copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _json_value_copy(item) for key, item in value.items()}
    if kind is list:
        return [_json_value_copy(item) for item in value]
    if kind in _JSON_SCALARS:
        return value
    raise _NotJsonError


class _JsonCopy:
    """Stands in for the module `copy` inside the interpreter modules that deep-copy state values.

    For a JSON value the copy equals `copy.deepcopy`'s (JSON values share no mutable parts that anything relies
    on) at a fraction of the cost: no memo, no per-item dispatch. Anything else goes to `copy.deepcopy`.
    """

    copy = staticmethod(copy.copy)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if memo is None:
            try:
                return _json_value_copy(value)
            except (_NotJsonError, RecursionError):
                pass
        return copy.deepcopy(value, memo)


def _copying_modules() -> list[Any]:
    """The modules of `_COPYING_MODULES` (moto 5.2.5 calls only `copy.deepcopy` there); raises if one moved."""
    modules = []
    for name in _COPYING_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise UnsupportedMotoError(_moto_moved(_moto_version(), str(exc))) from exc
        if getattr(module, "copy", None) not in (copy, _JsonCopy):
            raise UnsupportedMotoError(_moto_moved(_moto_version(), f"{name} no longer imports the module copy"))
        modules.append(module)
    return modules


def _moto_version() -> str:
    import moto

    return str(moto.__version__)


def _program_cache(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap moto's `ExecutionWorker._get_evaluation_entrypoint`: one parsed program per definition text.

    moto's evaluation components keep no per-execution state (retry counts, Map runs and every value live in the
    execution's `Environment`), so one program serves any number of executions, concurrent ones included.
    """
    programs: OrderedDict[str, Any] = OrderedDict()
    lock = threading.Lock()

    def entrypoint(worker: Any) -> Any:
        text = worker._evaluation_details.state_machine_details.definition
        with lock:
            program = programs.get(text)
            if program is not None:
                programs.move_to_end(text)
                return program
        program = parse(worker)
        with lock:
            programs[text] = program
            while len(programs) > _MAX_MACHINES:
                programs.popitem(last=False)
        return program

    entrypoint._office_assistant_cached = True  # type: ignore[attr-defined]
    return entrypoint


def _patch_points() -> tuple[Any, Any, Any, Any]:
    """The moto module and classes whose names `install_lambda_dispatch` replaces; raises if any is missing."""
    import moto

    try:
        from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
        from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_lambda import (
            StateTaskServiceLambda,
        )
        from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import StateTaskLambda
        from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
    except ImportError as exc:
        raise UnsupportedMotoError(_moto_moved(moto.__version__, str(exc))) from exc
    missing = [
        label
        for label, present in [
            ("lambda_eval_utils.boto_client_for", callable(getattr(lambda_eval_utils, "boto_client_for", None))),
            ("StateTaskLambda._from_error", callable(getattr(StateTaskLambda, "_from_error", None))),
            (
                "StateTaskServiceLambda._error_cause_from_client_error",
                callable(getattr(StateTaskServiceLambda, "_error_cause_from_client_error", None)),
            ),
            (
                "ExecutionWorker._get_evaluation_entrypoint",
                callable(getattr(ExecutionWorker, "_get_evaluation_entrypoint", None)),
            ),
        ]
        if not present
    ]
    if missing:
        raise UnsupportedMotoError(_moto_moved(moto.__version__, f"missing {', '.join(missing)}"))
    return lambda_eval_utils, StateTaskLambda, StateTaskServiceLambda, ExecutionWorker


def _moto_moved(installed: str, detail: str) -> str:
    return (
        f"the local engine patches moto {MOTO_VERSION}'s Step Functions interpreter, but moto {installed} is "
        f"installed and {detail}; pin moto=={MOTO_VERSION} or port office_assistant_local/engine/runner.py"
    )


class _MotoStepFunctions:
    """moto's Step Functions backend as this engine uses it: one state machine per distinct definition.

    The bookkeeping stays bounded: a finished execution is dropped from its state machine, at most
    `_MAX_MACHINES` definitions stay registered, and moto's list of every thread it ever started is pruned.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._machines: OrderedDict[str, Any] = OrderedDict()
        self._live: set[tuple[str, str]] = set()

    def start(self, text: str, name: str, execution_input: str) -> tuple[Any, Any, threading.Thread | None]:
        """Start an execution; returns the state machine, the execution and moto's thread that evaluates it."""
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        backend = stepfunctions_parser_backends[ACCOUNT][REGION]
        with self._lock:
            machine = self._machine(backend, text)
            if (machine.name, name) in self._live:
                raise ExecutionAlreadyRunningError(f"an execution named {name!r} of this definition is running")
            execution = backend.start_execution(machine.arn, name, execution_input=execution_input)
            self._live.add((machine.name, name))
            return machine, execution, _worker_thread(execution)

    def forget(self, machine: Any, execution: Any) -> None:
        from moto.stepfunctions.parser.utils import TMP_THREADS

        with self._lock:
            machine.executions[:] = [kept for kept in machine.executions if kept is not execution]
            self._live.discard((machine.name, execution.name))
            TMP_THREADS[:] = [thread for thread in TMP_THREADS if thread.is_alive()]

    def _machine(self, backend: Any, text: str) -> Any:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
        machine = self._machines.get(digest)
        if machine is not None and any(known is machine for known in backend.state_machines):
            self._machines.move_to_end(digest)
            return machine
        check_transitions(text)
        from moto.stepfunctions.parser.api import InvalidDefinition

        try:
            machine = backend.create_state_machine(name=f"local-{digest}", definition=text, roleArn=ROLE_ARN)
        except InvalidDefinition as exc:
            raise InvalidDefinitionError(f"invalid state machine definition: {exc.message}") from exc
        self._machines[digest] = machine
        while len(self._machines) > _MAX_MACHINES:
            _, evicted = self._machines.popitem(last=False)
            backend.delete_state_machine(evicted.arn)
        return machine


_MOTO = _MotoStepFunctions()


def _worker_thread(execution: Any) -> threading.Thread | None:
    """moto's thread running `execution`; None once it has finished (Thread drops its target when run() ends)."""
    from moto.stepfunctions.parser.utils import TMP_THREADS

    worker = execution.exec_worker
    for thread in reversed(TMP_THREADS):
        target = getattr(thread, "_target", None)
        if isinstance(thread, threading.Thread) and getattr(target, "__self__", None) is worker:
            return thread
    return None


def _wait(execution: Any, worker: threading.Thread | None, deadline: float | None) -> bool:
    """Wait until moto has recorded the execution's end (status, output, error); False if `deadline` came first."""
    if worker is not None:
        worker.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not worker.is_alive()
    while _status(execution) == "RUNNING":
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_S)
    return True


def _status(execution: Any) -> str:
    status = execution.exec_status
    return str(getattr(status, "value", status))


def _result(execution: Any, gave_up_after: float | None) -> ExecutionResult:
    status, error, cause = _status(execution), execution.error, execution.cause
    if gave_up_after is not None:
        status = "ABORTED"
        error, cause = "LocalEngine.Timeout", f"run_state_machine gave up after timeout_s={gave_up_after}"
    if status not in _TERMINAL:
        raise RuntimeError(f"execution {execution.name} ended in unexpected status {status}")
    output = json.loads(json.dumps(execution.output)) if status == "SUCCEEDED" else None
    events = execution.to_history_output()["events"]
    return ExecutionResult(
        status=status,
        output=output,
        error=error,
        cause=cause,
        name=execution.name,
        execution_arn=execution.exec_arn,
        started_at=execution.start_date,
        stopped_at=execution.stop_date if gave_up_after is None else datetime.now(UTC),
        states=state_timings(events),
        events=history_events(events),
    )


def _input_over_quota(name: str, execution_input: str) -> ExecutionResult:
    """The FAILED result of an execution whose input is over the quota: no state ran."""
    now = datetime.now(UTC)
    size = json_bytes(json.loads(execution_input))
    return ExecutionResult(
        status="FAILED",
        output=None,
        error=DATA_LIMIT_EXCEEDED,
        cause=f"The execution input of {size} bytes exceeds the maximum number of bytes service limit.",
        name=name,
        execution_arn=f"arn:aws:states:{REGION}:{ACCOUNT}:execution:local:{name}",
        started_at=now,
        stopped_at=now,
    )
