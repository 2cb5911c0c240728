"""`office-assistant replay`: run one execution input locally, or replay a deployed execution from its log.

`replay input.json` runs an input (e.g. copied from the Step Functions console). `replay --from-logs FILE`
reads the execution log as `aws logs` exports it: without `--execution` it lists the executions; with it, it
prints that execution's timeline, writes its waterfall next to FILE, and re-runs it (or `--state NAME` alone)
locally on the same ASL file with the recorded input, then compares deployed and local state by state.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.payloads import WorkflowInput
from office_assistant_local.environment import local_environment
from office_assistant_local.waterfall import render

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from office_assistant_local.execution_log import ExecutionLog, Timeline

USAGE_ERROR = 2  # unreadable file, unknown execution or state, or an input the log does not hold whole
_REPLAYABLE_ALONE = ("Task", "Parallel", "Map")  # the states worth suggesting for --state


def replay(
    execution_input: dict[str, Any],
    data_dir: Path | None = None,
    *,
    real_model: bool = True,
    out: Callable[[str], None] = print,
    real_services: Mapping[str, str] | None = None,
) -> int:
    """Run the workflow on `execution_input`; prints the output and the waterfall, returns 0 on SUCCEEDED."""
    step = WorkflowInput.model_validate(execution_input)  # a clear error before anything starts
    if step.message_ref is not None:
        out(
            f"this input holds its message by reference ({step.message_ref}): its chat is redacted or the message "
            "was over 32 KiB, so the text is only in the deployed media bucket (for a day) and not in the log"
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="office-assistant-replay-") as scratch:
        with local_environment(data_dir or Path(scratch), real_model=real_model, real_services=real_services) as env:
            execution_id = env.starter.start("replay", execution_input)
            result = env.starter.wait(execution_id)
    out(f"status: {result.status}")
    if result.error:
        out(f"error: {result.error}\ncause: {result.cause}")
    out(json.dumps(result.output, indent=2, ensure_ascii=False))
    out(render(result))
    return 0 if result.status == "SUCCEEDED" else 1


def replay_from_logs(
    log_file: Path,
    *,
    execution: str | None = None,
    timeline_json: Path | None = None,
    no_rerun: bool = False,
    state: str | None = None,
    data_dir: Path | None = None,
    real_model: bool = True,
    real_services: Mapping[str, str] | None = None,
    out: Callable[[str], None] = print,
    err: Callable[[str], None] = print,
) -> int:
    """List, show or replay the executions of an execution log; 0 when done (the local rerun SUCCEEDED)."""
    from office_assistant_local.execution_log import (
        ExecutionLogError,
        NotReplayableError,
        executions,
        find_execution,
        read_log,
        timeline,
    )
    from office_assistant_local.execution_log.text import execution_list

    if execution is None:
        options = {"--timeline-json": timeline_json is not None, "--state": state is not None}
        if needing := [option for option, given in options.items() if given]:
            err(f"replay: {', '.join(needing)} need --execution NAME|ARN (run without it to list the executions)")
            return USAGE_ERROR
    try:
        read = read_log(log_file.read_text(encoding="utf-8"))
        found = executions(read.events)
        if read.skipped:
            out(f"({read.skipped} record(s) in {log_file.name} are not Step Functions execution events; ignored)")
        if execution is None:
            out(execution_list(found))
            return 0 if found else USAGE_ERROR
        chosen = find_execution(found, execution)
    except (OSError, UnicodeDecodeError, ExecutionLogError) as exc:
        err(f"replay: {log_file}: {exc}")
        return USAGE_ERROR
    deployed = timeline(chosen)
    try:
        _show(log_file, deployed, timeline_json, out)
        if no_rerun:
            return 0
        local, compared = _rerun(chosen, deployed, state, data_dir, real_model, real_services)
        _report(log_file, deployed, local, compared, out)
    except (ExecutionLogError, NotReplayableError, OSError) as exc:
        err(f"replay: {exc}")
        return USAGE_ERROR
    return 0 if local.execution.status == "SUCCEEDED" else 1


def _show(log_file: Path, deployed: Timeline, timeline_json: Path | None, out: Callable[[str], None]) -> None:
    """The deployed timeline: table and text waterfall, the HTML waterfall next to the log, `--timeline-json`."""
    from office_assistant_local.execution_log.picture import write_waterfalls
    from office_assistant_local.execution_log.text import LEGEND, timeline_table, waterfall

    out(timeline_table(deployed))
    out("")
    out("\n".join(waterfall(deployed)))
    out(LEGEND)
    picture = write_waterfalls(_beside(log_file, deployed.execution, "waterfall"), [("deployed", deployed)])
    out(f"\nwaterfall: {picture}")
    if timeline_json is not None:
        timeline_json.write_text(json.dumps(deployed.to_json(), indent=2) + "\n", encoding="utf-8")
        out(f"timeline:  {timeline_json}")


def _beside(log_file: Path, execution: ExecutionLog, kind: str) -> Path:
    from office_assistant_local.execution_log.rerun import execution_name

    return log_file.with_name(f"{log_file.stem}.{execution_name(execution.name)}.{kind}.html")


def _rerun(
    execution: ExecutionLog,
    deployed: Timeline,
    state: str | None,
    data_dir: Path | None,
    real_model: bool,
    real_services: Mapping[str, str] | None,
) -> tuple[Timeline, list[str] | None]:
    """Run the execution, or `state` alone, locally; the local timeline and the state names to compare."""
    from pydantic import ValidationError

    from office_assistant.workflow.definition import load_local
    from office_assistant_local.execution_log import ExecutionLogError, NotReplayableError
    from office_assistant_local.execution_log.rerun import execution_name, run_locally, state_definition, state_names

    definition = load_local()
    if state is not None:
        alone = state_definition(definition, state)
        run = deployed.state(state)
        if run is None:
            raise ExecutionLogError(f"state {state} did not run in execution {execution.name}")
        state_input = run.input.value(f"the input of state {state}")
        local = run_locally(
            alone,
            state_input,
            execution_name(execution.name, state),
            data_dir=data_dir,
            real_model=real_model,
            real_services=real_services,
        )
        return local, state_names(alone)
    try:
        execution_input = execution.input.value(f"the input of execution {execution.name}")
    except NotReplayableError as exc:
        replayable = (run for run in deployed.states if run.input.complete and run.type in _REPLAYABLE_ALONE)
        whole = dict.fromkeys(run.name for run in replayable)
        hint = f"; --state NAME replays one state whose own input is complete: {', '.join(whole)}" if whole else ""
        raise NotReplayableError(f"{exc}{hint}") from exc
    try:
        WorkflowInput.model_validate(execution_input)
    except ValidationError as exc:
        raise NotReplayableError(f"the input of execution {execution.name} is not a workflow input: {exc}") from exc
    local = run_locally(
        definition,
        execution_input,
        execution_name(execution.name),
        data_dir=data_dir,
        real_model=real_model,
        real_services=real_services,
    )
    return local, None


def _report(
    log_file: Path,
    deployed: Timeline,
    local: Timeline,
    compared: list[str] | None,
    out: Callable[[str], None],
) -> None:
    from office_assistant_local.execution_log.diff import compare
    from office_assistant_local.execution_log.diff import render as render_diff
    from office_assistant_local.execution_log.picture import write_waterfalls
    from office_assistant_local.execution_log.text import side_by_side, waterfall

    shown = deployed.window(compared) if compared is not None else deployed
    out(f"\nlocal rerun: {local.execution.status}" + (f"  {local.execution.error}" if local.execution.error else ""))
    out("\ndeployed vs local, state by state:")
    out(render_diff(compare(shown, local, compared)))
    out("")
    out(side_by_side("deployed", waterfall(shown), "local", waterfall(local)))
    picture = write_waterfalls(_beside(log_file, deployed.execution, "replay"), [("deployed", shown), ("local", local)])
    out(f"\nside by side: {picture}")
