"""An execution's outcome as DescribeExecution and GetExecutionHistory report it, with per-state timings.

The history events are what a state machine logging at level ALL with execution data writes to CloudWatch Logs
(execution input, every state's input and output, every Lambda payload, errors and causes), so a test can scan
exactly what a deployed execution would log, and measure the largest payload it carried.
"""

from __future__ import annotations

import json
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
    events: list[dict[str, Any]] = field(default_factory=list)

    def logged_data(self) -> list[str]:
        """Every input, output, error and cause in the history: the data the execution's log would hold."""
        texts = [self.error or "", self.cause or ""]
        for event in self.events:
            for key, details in event.items():
                if key.endswith("EventDetails") and isinstance(details, dict):
                    texts += [str(details[name]) for name in _DATA_FIELDS if details.get(name) is not None]
        return [text for text in texts if text]

    def payload_sizes(self) -> list[tuple[str, int]]:
        """(event type and state, UTF-8 bytes of the compact JSON) of every input and output in the history."""
        sizes = []
        for event in self.events:
            for key, details in event.items():
                if not (key.endswith("EventDetails") and isinstance(details, dict)):
                    continue
                for name in ("input", "output"):
                    if isinstance(details.get(name), str):
                        label = f"{event['type']} {details.get('name', '')}".strip()
                        sizes.append((f"{label} {name}", _utf8_json_bytes(details[name])))
        return sizes

    def largest_payload_bytes(self) -> int:
        return max((size for _, size in self.payload_sizes()), default=0)

    def state(self, name: str) -> StateTiming | None:
        """The first entry of the state called `name` (states inside Parallel branches and Map iterations too)."""
        return next((timing for timing in self.states if timing.name == name), None)

    def duration_ms(self, name: str) -> float | None:
        timing = self.state(name)
        return timing.duration_ms if timing else None


_DATA_FIELDS = ("input", "output", "error", "cause", "parameters")


def _utf8_json_bytes(text: str) -> int:
    """What Step Functions counts: moto writes ASCII-escaped JSON; AWS measures the compact UTF-8 form."""
    try:
        value = json.loads(text)
    except ValueError:
        return len(text.encode("utf-8"))
    # surrogatepass: a lone surrogate (fuzzed input) counts as its 3 bytes instead of failing the measurement
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def history_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """moto's history events as plain JSON values (event type as its name, timestamp as ISO text)."""
    plain = []
    for event in events:
        copied = json.loads(json.dumps({k: v for k, v in event.items() if k not in ("type", "timestamp")}))
        copied["type"] = _event_type(event)
        stamp = event.get("timestamp")
        copied["timestamp"] = stamp.isoformat() if isinstance(stamp, datetime) else str(stamp)
        plain.append(copied)
    return plain


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
