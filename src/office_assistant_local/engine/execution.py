"""An execution's outcome as DescribeExecution and GetExecutionHistory report it, with per-state timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class StateTiming:
    """When one state ran; `ended_at` is None for a state that never exited (Fail, uncaught error, timeout)."""

    name: str
    type: str
    started_at: datetime
    ended_at: datetime | None

    @property
    def duration_ms(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() * 1000


@dataclass(frozen=True)
class ExecutionResult:
    """What DescribeExecution and GetExecutionHistory would say about one finished execution."""

    status: str
    output: Any
    error: str | None
    cause: str | None
    name: str
    execution_arn: str
    started_at: datetime
    stopped_at: datetime
    states: list[StateTiming] = field(default_factory=list)
    # GetExecutionHistory's events, inputs and outputs included; only when `run_state_machine(keep_history=True)`
    history: list[dict[str, Any]] = field(default_factory=list)

    def state(self, name: str) -> StateTiming | None:
        """The first entry of the state called `name` (states inside Parallel branches and Map iterations too)."""
        return next((timing for timing in self.states if timing.name == name), None)

    def duration_ms(self, name: str) -> float | None:
        timing = self.state(name)
        return timing.duration_ms if timing else None


def _event_type(event: Mapping[str, Any]) -> str:
    kind = event["type"]
    return str(getattr(kind, "value", kind))


def _timestamp(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def state_timings(events: list[dict[str, Any]]) -> list[StateTiming]:
    """Pair each `*StateEntered` event with its `*StateExited`, following `previousEventId` back from the exit.

    Inside a Parallel branch or a Map iteration the chain of previous events stays within that branch or
    iteration, so walking back from an exit reaches its own entry first, even when iterations share names.
    """
    by_id = {event["id"]: event for event in events}
    ended: dict[int, datetime] = {}
    for event in events:
        if not _event_type(event).endswith("StateExited"):
            continue
        state_name = event["stateExitedEventDetails"]["name"]
        previous = by_id.get(event["previousEventId"])
        while previous is not None:
            if (
                _event_type(previous).endswith("StateEntered")
                and previous["stateEnteredEventDetails"]["name"] == state_name
                and previous["id"] not in ended
            ):
                ended[previous["id"]] = _timestamp(event["timestamp"])
                break
            previous = by_id.get(previous["previousEventId"])
    return [
        StateTiming(
            name=event["stateEnteredEventDetails"]["name"],
            type=_event_type(event).removesuffix("StateEntered"),
            started_at=_timestamp(event["timestamp"]),
            ended_at=ended.get(event["id"]),
        )
        for event in events
        if _event_type(event).endswith("StateEntered")
    ]
