"""Re-run a logged execution, or one of its states, locally on the same ASL file with the recorded input."""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant_local.execution_log.errors import ExecutionLogError
from office_assistant_local.execution_log.events import from_history
from office_assistant_local.execution_log.executions import ExecutionLog
from office_assistant_local.execution_log.timeline import Timeline, timeline

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

_NOT_ALONE = {"Choice", "Succeed", "Fail"}


def _states(states: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], str, dict[str, Any]]]:
    """Every state of a definition, nested ones too, with the States map it lives in."""
    for name, state in states.items():
        yield states, name, state
        for branch in state.get("Branches", []):
            yield from _states(branch["States"])
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            yield from _states(processor["States"])


def state_names(definition: Mapping[str, Any]) -> list[str]:
    """The names of every state in `definition`, those inside Parallel branches and Map processors included."""
    return [name for _, name, _ in _states(definition["States"])]


def state_definition(definition: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A definition that runs state `name` alone: its Retry and Catch kept, its Catch targets as end states."""
    found = next(((siblings, state) for siblings, key, state in _states(definition["States"]) if key == name), None)
    if found is None:
        raise ExecutionLogError(f"the ASL file has no state {name!r}; it has: {', '.join(state_names(definition))}")
    siblings, state = found
    if state["Type"] in _NOT_ALONE:
        raise ExecutionLogError(f"{name} is a {state['Type']} state; replay the whole execution instead")
    alone = copy.deepcopy(state)
    alone.pop("Next", None)
    alone["End"] = True
    states: dict[str, Any] = {name: alone}
    for catch in alone.get("Catch", []):
        target = copy.deepcopy(siblings[catch["Next"]])
        if target["Type"] == "Choice":
            target = {"Type": "Pass", "Comment": "a Choice after the Catch, not replayed", "End": True}
        elif target["Type"] not in _NOT_ALONE:
            target.pop("Next", None)
            target["End"] = True
        states[catch["Next"]] = target
    result: dict[str, Any] = {"Comment": f"{name} alone, for replay", "StartAt": name, "States": states}
    if "QueryLanguage" in definition:
        result["QueryLanguage"] = definition["QueryLanguage"]
    return result


def execution_name(*parts: str) -> str:
    """A valid execution name (letters, digits, - and _; at most 80 characters) from `parts`."""
    return re.sub(r"[^0-9A-Za-z_-]", "-", "-".join(parts))[:80]


def run_locally(
    definition: Mapping[str, Any],
    execution_input: Any,
    name: str,
    *,
    data_dir: Path | None = None,
    real_model: bool = True,
    real_services: Mapping[str, str] | None = None,
) -> Timeline:
    """Run `definition` on the local engine with the local stack's handlers, warm, and return its timeline."""
    from office_assistant_local.engine import run_state_machine
    from office_assistant_local.environment import local_environment
    from office_assistant_local.wiring import handlers_for

    with tempfile.TemporaryDirectory(prefix="office-assistant-replay-") as scratch:
        with local_environment(data_dir or Path(scratch), real_model=real_model, real_services=real_services) as env:
            # Load the embedder and build the router first, as a warm Lambda has them: a cold first Route spends
            # most of its 30 s timeout importing and loading, and would time out on a busy machine.
            container = env.container
            container.classifier.classify([float(x) for x in container.embedder.embed(["good morning"])[0]])
            result = run_state_machine(definition, handlers_for(env.container), execution_input, name=name)
    events = sorted((from_history(event, result.execution_arn) for event in result.events), key=lambda e: e.id)
    return timeline(ExecutionLog(result.execution_arn, tuple(events)))
