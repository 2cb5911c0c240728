"""An execution's timeline from its log: every state entered and exited, its task attempts, how it ended.

Events are linked by `previous_event_id`: inside a Parallel branch or a Map iteration the chain stays within
the branch, so walking back from an event, past the states that have already exited, reaches the state it
belongs to. A state ends SUCCEEDED, CAUGHT (its last attempt failed and a Catch moved on: it exited, or the
next state was entered straight from the failure) or FAILED (it never exited).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from office_assistant_local.execution_log.executions import Payload

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from office_assistant_local.execution_log.events import LogEvent
    from office_assistant_local.execution_log.executions import ExecutionLog

StateStatus = Literal["SUCCEEDED", "FAILED", "CAUGHT"]

_TASK_PREFIXES = ("LambdaFunction", "Activity", "Task")
_ATTEMPT_ENDS = {"Succeeded", "Failed", "TimedOut", "StartFailed", "ScheduleFailed", "SubmitFailed"}
_STATE_FAILURES = {"ParallelStateFailed", "MapStateFailed", "ParallelStateAborted", "MapStateAborted"}
_CONTAINERS = {"Parallel", "Map"}


@dataclass
class Attempt:
    """One invocation of a Task's resource: a Lambda function, an activity or a service integration."""

    number: int
    kind: str  # "LambdaFunction", "Activity" or "Task"
    scheduled_ms: int
    input: Payload
    started_ms: int | None = None
    ended_ms: int | None = None
    outcome: str | None = None  # Succeeded, Failed, TimedOut, StartFailed, ScheduleFailed, SubmitFailed
    error: str | None = None
    cause: str | None = None


@dataclass
class StateRun:
    """One entry of a state, times in ms from the execution start."""

    name: str
    type: str
    start_ms: int
    input: Payload
    parent: StateRun | None
    entry_id: int
    end_ms: int | None = None
    exit_id: int | None = None
    output: Payload = field(default_factory=lambda: Payload(None, False))
    attempts: list[Attempt] = field(default_factory=list)
    error: str | None = None
    cause: str | None = None
    failed: bool = False  # the latest attempt or the state itself failed
    status: StateStatus = "SUCCEEDED"
    last_ms: int = 0

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def retries(self) -> int:
        return max(0, len(self.attempts) - 1)

    @property
    def duration_ms(self) -> int | None:
        return None if self.end_ms is None else self.end_ms - self.start_ms


@dataclass
class Timeline:
    """An execution and its state runs in the order they were entered."""

    execution: ExecutionLog
    states: list[StateRun]
    span_ms: int | None = None  # set on a window: the axis ends with its last state, not with the execution

    def runs(self, name: str) -> list[StateRun]:
        return [run for run in self.states if run.name == name]

    def state(self, name: str) -> StateRun | None:
        return next(iter(self.runs(name)), None)

    @property
    def end_ms(self) -> int:
        ends = [run.end_ms for run in self.states if run.end_ms is not None]
        if self.span_ms is not None:
            return max([*ends, self.span_ms])
        duration = self.execution.duration_ms
        return max([*ends, duration if duration is not None else 0])

    def window(self, names: Collection[str]) -> Timeline:
        """Only the runs of `names`, their times shifted so the first of them starts at 0 ms."""
        chosen = [run for run in self.states if run.name in names]
        base = min((run.start_ms for run in chosen), default=0)

        def shift(ms: int | None) -> int | None:
            return None if ms is None else ms - base

        copies: dict[int, StateRun] = {}
        for run in chosen:
            attempts = [
                replace(
                    attempt,
                    scheduled_ms=attempt.scheduled_ms - base,
                    started_ms=shift(attempt.started_ms),
                    ended_ms=shift(attempt.ended_ms),
                )
                for attempt in run.attempts
            ]
            copies[run.entry_id] = replace(
                run,
                start_ms=run.start_ms - base,
                end_ms=shift(run.end_ms),
                last_ms=run.last_ms - base,
                parent=copies.get(run.parent.entry_id) if run.parent is not None else None,
                attempts=attempts,
            )
        ends = [run.end_ms for run in copies.values() if run.end_ms is not None]
        return Timeline(self.execution, list(copies.values()), span_ms=max(ends, default=0))

    def to_json(self) -> dict[str, Any]:
        """`--timeline-json`: the execution, how it ended, and each state's start, end and status."""
        return {
            "execution_arn": self.execution.execution_arn,
            "status": self.execution.status,
            "error": self.execution.error,
            "input_truncated": self.execution.input.truncated,
            "states": [
                {"name": r.name, "type": r.type, "start_ms": r.start_ms, "end_ms": r.end_ms, "status": r.status}
                for r in self.states
            ],
        }


def timeline(execution: ExecutionLog) -> Timeline:
    """The timeline of one execution's events."""
    return _Builder(execution).build()


class _Builder:
    def __init__(self, execution: ExecutionLog) -> None:
        self.execution = execution
        self.origin = execution.started_ms
        self.by_id = {event.id: event for event in execution.events}
        self.runs: dict[int, StateRun] = {}  # entry event id → run
        self.exits: dict[int, StateRun] = {}  # exit event id → run
        self.owners: dict[int, StateRun] = {}  # event id of a task or state event → its run

    def build(self) -> Timeline:
        for event in self.execution.events:
            self._apply(event)
        self._finish()
        return Timeline(self.execution, sorted(self.runs.values(), key=lambda run: run.entry_id))

    def _ms(self, event: LogEvent) -> int:
        return event.timestamp_ms - self.origin

    def _apply(self, event: LogEvent) -> None:
        kind = event.type
        if kind.endswith("StateEntered"):
            self._entered(event)
        elif kind.endswith("StateExited"):
            run = self._walk(event, lambda run: run.name == event.details.get("name"))
            if run is not None:
                run.end_ms, run.exit_id, run.last_ms = self._ms(event), event.id, self._ms(event)
                run.output = Payload.of(event.details, "output")
                self.exits[event.id] = run
        elif kind.startswith(("ParallelState", "MapState")):
            run = self._walk(event, lambda run: kind.startswith(run.type))
            if run is not None:
                self._own(event, run)
                if kind in _STATE_FAILURES:
                    run.failed, run.error, run.cause = True, event.details.get("error"), event.details.get("cause")
        elif kind.startswith(_TASK_PREFIXES) and not kind.startswith("TaskState"):
            run = self._walk(event, lambda run: True)
            if run is not None:
                self._own(event, run)
                self._task_event(run, event)

    def _entered(self, event: LogEvent) -> None:
        previous = self.by_id.get(event.previous_event_id)
        if previous is not None:
            caught = self.owners.get(previous.id)
            if caught is not None and caught.exit_id is None and caught.failed:  # a Catch that logged no exit
                caught.end_ms, caught.exit_id = self._ms(previous), previous.id
                self.exits[previous.id] = caught
        run = StateRun(
            name=str(event.details.get("name", "?")),
            type=event.type.removesuffix("StateEntered"),
            start_ms=self._ms(event),
            input=Payload.of(event.details, "input"),
            parent=self._walk(event, lambda run: run.type in _CONTAINERS),
            entry_id=event.id,
            last_ms=self._ms(event),
        )
        self.runs[event.id] = run

    def _own(self, event: LogEvent, run: StateRun) -> None:
        self.owners[event.id] = run
        run.last_ms = self._ms(event)

    def _task_event(self, run: StateRun, event: LogEvent) -> None:
        prefix = next(p for p in _TASK_PREFIXES if event.type.startswith(p))
        phase = event.type.removeprefix(prefix)
        at = self._ms(event)
        if phase == "Scheduled" or (phase in _ATTEMPT_ENDS and (not run.attempts or run.attempts[-1].outcome)):
            run.attempts.append(Attempt(len(run.attempts) + 1, prefix, at, Payload.of(event.details, "input")))
        attempt = run.attempts[-1] if run.attempts else None
        if attempt is None:
            return
        if phase == "Started":
            attempt.started_ms = at
        elif phase in _ATTEMPT_ENDS:
            attempt.ended_ms, attempt.outcome = at, phase
            attempt.error, attempt.cause = event.details.get("error"), event.details.get("cause")
            run.failed = phase != "Succeeded"
            if run.failed:
                run.error, run.cause = attempt.error, attempt.cause

    def _walk(self, event: LogEvent, wanted: Callable[[StateRun], bool]) -> StateRun | None:
        """The nearest state before `event` on its chain that has not exited and is `wanted`."""
        previous = self.by_id.get(event.previous_event_id)
        for _ in range(len(self.by_id)):
            if previous is None:
                return None
            exited = self.exits.get(previous.id)
            if exited is not None:  # a finished state: continue from just before its entry
                previous = self.by_id.get(self.by_id[exited.entry_id].previous_event_id)
                continue
            run = self.runs.get(previous.id)
            if run is not None and run.exit_id is None and wanted(run):
                return run
            previous = self.by_id.get(previous.previous_event_id)
        return None

    def _finish(self) -> None:
        stopped = self.execution.stopped_ms
        last = max((event.timestamp_ms for event in self.execution.events), default=self.origin)
        end = (stopped if stopped is not None else last) - self.origin
        for run in self.runs.values():
            if run.exit_id is not None:
                run.status = "CAUGHT" if run.failed else "SUCCEEDED"
            else:
                run.status = "FAILED"
                run.end_ms = run.last_ms if run.failed else end
