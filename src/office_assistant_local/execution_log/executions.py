"""The executions in an execution log: which ones, how each ended, and the input it was started with."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from office_assistant_local.execution_log.errors import ExecutionLogError, NotReplayableError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from office_assistant_local.execution_log.events import LogEvent

# CloudWatch Logs cuts a logged input or output above this size and marks it `truncated`
LOGGED_PAYLOAD_LIMIT = "248 KB"

_ENDINGS = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}
INCOMPLETE = "INCOMPLETE"  # no end event in the file: still running, or its end is in another export


@dataclass(frozen=True)
class Payload:
    """A logged input or output: its text as logged and whether CloudWatch Logs truncated it."""

    text: str | None
    truncated: bool

    @classmethod
    def of(cls, details: Mapping[str, Any], key: str) -> Payload:
        text = details.get(key)
        flags = details.get(f"{key}Details") or {}
        return cls(text if isinstance(text, str) else None, bool(flags.get("truncated", False)))

    @property
    def complete(self) -> bool:
        return self.text is not None and not self.truncated

    def value(self, what: str) -> Any:
        """The payload as JSON; raises NotReplayableError if the log does not hold all of it."""
        if self.text is None:
            raise NotReplayableError(
                f"{what} is not in the log: the state machine logs without execution data (IncludeExecutionData off)"
            )
        if self.truncated:
            raise NotReplayableError(
                f"{what} is truncated in the log (CloudWatch Logs cuts logged payloads over {LOGGED_PAYLOAD_LIMIT})"
                " and is not replayed as if it were complete"
            )
        try:
            return json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise NotReplayableError(f"{what} in the log is not JSON ({exc.msg})") from exc

    def parsed(self) -> Any:
        """The payload as JSON, or None when it is missing, truncated or not JSON."""
        try:
            return self.value("payload")
        except NotReplayableError:
            return None


@dataclass(frozen=True)
class ExecutionLog:
    """The events of one execution, in event-id order."""

    execution_arn: str
    events: tuple[LogEvent, ...]

    @property
    def name(self) -> str:
        """The execution name: express ARNs are `…:express:<machine>:<name>:<id>`, standard `…:execution:<m>:<name>`."""
        parts = self.execution_arn.split(":")
        return parts[7] if len(parts) > 7 else self.execution_arn

    @property
    def state_machine(self) -> str:
        parts = self.execution_arn.split(":")
        return parts[6] if len(parts) > 6 else ""

    def _first(self, event_type: str) -> LogEvent | None:
        return next((event for event in self.events if event.type == event_type), None)

    @property
    def ending(self) -> LogEvent | None:
        return next((event for event in reversed(self.events) if event.type in _ENDINGS), None)

    @property
    def status(self) -> str:
        ending = self.ending
        return _ENDINGS[ending.type] if ending else INCOMPLETE

    @property
    def started_ms(self) -> int:
        started = self._first("ExecutionStarted")
        return (started or self.events[0]).timestamp_ms

    @property
    def stopped_ms(self) -> int | None:
        ending = self.ending
        return ending.timestamp_ms if ending else None

    @property
    def duration_ms(self) -> int | None:
        stopped = self.stopped_ms
        return None if stopped is None else stopped - self.started_ms

    @property
    def started_at(self) -> datetime:
        return datetime.fromtimestamp(self.started_ms / 1000, tz=UTC)

    @property
    def input(self) -> Payload:
        started = self._first("ExecutionStarted")
        if started is None:
            return Payload(None, False)
        return Payload.of(started.details, "input")

    @property
    def output(self) -> Payload:
        ending = self.ending
        return Payload.of(ending.details, "output") if ending else Payload(None, False)

    @property
    def error(self) -> str | None:
        ending = self.ending
        return ending.details.get("error") if ending else None

    @property
    def cause(self) -> str | None:
        ending = self.ending
        return ending.details.get("cause") if ending else None


def executions(events: Iterable[LogEvent]) -> list[ExecutionLog]:
    """The events grouped by execution (interleaved in the file or not), earliest start first."""
    grouped: dict[str, list[LogEvent]] = {}
    for event in events:
        grouped.setdefault(event.execution_arn, []).append(event)
    found = [ExecutionLog(arn, tuple(sorted(group, key=lambda e: e.id))) for arn, group in grouped.items()]
    return sorted(found, key=lambda execution: (execution.started_ms, execution.execution_arn))


def find_execution(found: list[ExecutionLog], wanted: str) -> ExecutionLog:
    """The execution whose ARN or name is `wanted`; an error that lists the names when there is none or several."""
    matches = [execution for execution in found if wanted in (execution.execution_arn, execution.name)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(execution.name for execution in found) or "none"
    if not matches:
        raise ExecutionLogError(f"no execution {wanted!r} in the log; it holds: {names}")
    arns = ", ".join(execution.execution_arn for execution in matches)
    raise ExecutionLogError(f"{len(matches)} executions are named {wanted!r}; pass one ARN: {arns}")
