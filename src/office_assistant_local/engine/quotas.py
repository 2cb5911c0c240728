"""Step Functions' payload quota inside moto's interpreter, with AWS's semantics.

moto 5.2.5 checks a state's output and a Lambda task's result, but measures ASCII-escaped JSON with spaces (so a
German or emoji-heavy text counts up to three times its size), lets a `States.ALL` Catch or Retry take
`States.DataLimitExceeded`, and never checks a state's input after Parameters. AWS measures UTF-8 bytes of the
JSON, and the error is terminal: "This is a terminal error that can't be caught by the States.ALL error type"
(Step Functions developer guide, error names). `install_quotas` fixes those three things, once per process:

- `is_within_size_quota` in the modules that imported it: compact UTF-8 JSON, at most 262,144 bytes;
- `Parargs._eval_body`: the value that Parameters (or ItemSelector/Arguments) produced is checked, so a task whose
  input grows past the quota fails before its function is invoked;
- `ErrorEqualsDecl._eval_body`: `States.ALL` no longer matches `States.DataLimitExceeded` (a Catch or Retry that
  names it explicitly still does);
- the name `CustomErrorName` in the Parallel branch and Map iteration modules: moto re-raises a branch's error
  under that class, which refuses `States.*` names, so a branch's DataLimitExceeded (or Timeout) became
  `States.Runtime`; the error keeps its name now.

The execution input is checked by `runner.run_state_machine`, Lambda's 6 MB by `dispatch.InProcessLambdaClient`.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from office_assistant.workflow.limits import STATE_PAYLOAD_QUOTA_BYTES, json_bytes
from office_assistant_local.engine.errors import UnsupportedMotoError

DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"

_QUOTA_MODULES = (
    "moto.stepfunctions.parser.asl.component.state.state",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda",
    "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service",
)
_BRANCH_MODULES = (
    "moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl",
    "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.iteration_worker",
)
_lock = threading.Lock()


def within_quota(value: Any) -> bool:
    """What Step Functions accepts: a JSON value (or JSON text) of at most 256 KiB as UTF-8."""
    size = len(value.encode("utf-8", "surrogatepass")) if isinstance(value, str) else json_bytes(value)
    return size <= STATE_PAYLOAD_QUOTA_BYTES


def input_too_large_cause(where: str, size: int) -> str:
    return (
        f"The state/task '{where}' has an input of {size} bytes after Parameters, over the "
        f"{STATE_PAYLOAD_QUOTA_BYTES}-byte maximum number of bytes service limit."
    )


def install_quotas() -> None:
    """Patch moto's interpreter as the module docstring says; idempotent, and loud if moto has moved on."""
    from moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl import ErrorEqualsDecl
    from moto.stepfunctions.parser.asl.component.common.parargs import Parargs

    with _lock:
        if getattr(Parargs._eval_body, "_office_assistant_quota", False):
            return
        for module in _modules_with(_QUOTA_MODULES, "is_within_size_quota"):
            module.is_within_size_quota = within_quota
        for module in _modules_with(_BRANCH_MODULES, "CustomErrorName"):
            module.CustomErrorName = _error_name_keeping_states_names
        Parargs._eval_body = _checked_parargs(Parargs._eval_body)  # type: ignore[method-assign]
        ErrorEqualsDecl._eval_body = _terminal_data_limit(ErrorEqualsDecl._eval_body)  # type: ignore[method-assign]


def _modules_with(names: tuple[str, ...], attribute: str) -> list[Any]:
    """The modules `names`, each of which must still hold `attribute` (else moto has moved: fail loudly)."""
    modules = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise UnsupportedMotoError(f"moto moved {name}: {exc}") from exc
        if not callable(getattr(module, attribute, None)):
            raise UnsupportedMotoError(f"{name} no longer imports {attribute}")
        modules.append(module)
    return modules


def _error_name_keeping_states_names(error_name: str) -> Any:
    """`CustomErrorName(error_name)`, or the `StatesErrorName` of a `States.*` name that moto knows."""
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName

    if error_name.startswith("States."):
        try:
            return StatesErrorName.from_name(error_name)
        except ValueError:
            pass
    return CustomErrorName(error_name=error_name)


def _data_limit_failure(env: Any, cause: str) -> Exception:
    from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )

    error_type = StatesErrorNameType.StatesStatesDataLimitExceeded
    details: Any = {"taskFailedEventDetails": TaskFailedEventDetails(error=error_type.to_name(), cause=cause)}
    return FailureEventException(
        failure_event=FailureEvent(
            env=env,
            error_name=StatesErrorName(typ=error_type),
            event_type=HistoryEventType.TaskFailed,
            event_details=details,
        )
    )


def _checked_parargs(original: Any) -> Any:
    def eval_body(self: Any, env: Any) -> None:
        original(self, env)
        value = env.stack[-1] if env.stack else None
        if not within_quota(value):
            state = env.states.context_object.context_object_data.get("State") or {}
            raise _data_limit_failure(env, input_too_large_cause(state.get("Name", "?"), json_bytes(value)))

    eval_body._office_assistant_quota = True  # type: ignore[attr-defined]
    return eval_body


def _terminal_data_limit(original: Any) -> Any:
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )

    data_limit = StatesErrorName(typ=StatesErrorNameType.StatesStatesDataLimitExceeded)

    def eval_body(self: Any, env: Any) -> None:
        error_name = env.stack[-1] if env.stack else None
        if error_name == data_limit and data_limit not in self.error_names:
            env.stack.pop()
            env.stack.append(False)
            return
        original(self, env)

    return eval_body
