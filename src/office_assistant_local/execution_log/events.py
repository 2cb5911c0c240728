"""Step Functions execution log events, read from what `aws logs` prints or from JSON lines of the events.

The event format is AWS's for CloudWatch Logs (level ALL, execution data included): `id`, `type`, `details` (the
event's input/output with `inputDetails`/`outputDetails.truncated`, error and cause, state name, resource...),
`previous_event_id`, `event_timestamp` (epoch milliseconds), `execution_arn` and `redrive_count`. AWS writes the
numbers as strings; both strings and numbers are read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from office_assistant_local.execution_log.errors import ExecutionLogError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

_WHITESPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class LogEvent:
    """One execution history event as the execution log records it."""

    id: int
    type: str
    previous_event_id: int
    timestamp_ms: int
    execution_arn: str
    details: Mapping[str, Any] = field(default_factory=dict)
    redrive_count: int = 0


@dataclass(frozen=True)
class LogRead:
    """The Step Functions events found in a file, and how many records in it were something else."""

    events: list[LogEvent]
    skipped: int


def read_log(text: str) -> LogRead:
    """Every execution log event in `text`: `aws logs filter-log-events`/`get-log-events` JSON or JSON lines.

    Several JSON documents may follow each other (pages of an export appended to one file). Records that are not
    Step Functions events (other log lines, CLI metadata) are counted in `skipped`; an event repeated by
    overlapping pages is kept once.
    """
    events: dict[tuple[str, int], LogEvent] = {}
    skipped = 0
    for line, value in _json_values(text):
        for record, fallback_ms in _records(value):
            event = _event(record, fallback_ms, line) if isinstance(record, dict) else None
            if event is None:
                skipped += 1
                continue
            events.setdefault((event.execution_arn, event.id), event)
    return LogRead(sorted(events.values(), key=lambda e: (e.execution_arn, e.id)), skipped)


def from_history(event: Mapping[str, Any], execution_arn: str) -> LogEvent:
    """A GetExecutionHistory event (as the local engine records it) as the execution log would hold it."""
    details: Mapping[str, Any] = next((v for key, v in event.items() if key.endswith("EventDetails")), {})
    return LogEvent(
        id=int(event["id"]),
        type=str(event["type"]),
        previous_event_id=int(event.get("previousEventId") or 0),
        timestamp_ms=_epoch_ms(event["timestamp"]),
        execution_arn=execution_arn,
        details=dict(details),
    )


def _json_values(text: str) -> Iterator[tuple[int, Any]]:
    """Each JSON value in `text` with the line it starts on; one document, JSON lines, or documents in a row."""
    decoder = json.JSONDecoder()
    index, line = 0, 1
    while True:
        start = _WHITESPACE.match(text, index)
        assert start is not None  # \s* always matches
        line += text.count("\n", index, start.end())
        index = start.end()
        if index >= len(text):
            return
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise ExecutionLogError(
                f"line {exc.lineno}, column {exc.colno}: not JSON ({exc.msg}); expected the output of "
                "`aws logs filter-log-events` / `get-log-events`, or one log event per line"
            ) from exc
        yield line, value
        line += text.count("\n", index, end)
        index = end


def _records(value: Any) -> Iterator[tuple[Any, int | None]]:
    """The candidate log events in one JSON value, each with the CloudWatch timestamp of its envelope if any."""
    if isinstance(value, list):
        for item in value:
            yield from _records(item)
    elif isinstance(value, dict) and isinstance(value.get("events"), list) and "type" not in value:
        for item in value["events"]:  # aws logs ... : {"events": [{"timestamp", "message", ...}], ...}
            message = item.get("message") if isinstance(item, dict) else None
            if not isinstance(message, str):
                yield None, None
                continue
            try:
                yield json.loads(message), item.get("timestamp")
            except json.JSONDecodeError:
                yield None, None  # a plain-text line in the log group
    else:
        yield value, None


def _event(record: dict[str, Any], fallback_ms: int | None, line: int) -> LogEvent | None:
    if not {"type", "execution_arn"} <= record.keys():
        return None
    try:
        details = record.get("details") or {}
        if not isinstance(details, dict):
            raise TypeError("details is not an object")
        timestamp = record.get("event_timestamp", fallback_ms)
        if timestamp is None:
            raise KeyError("event_timestamp")
        return LogEvent(
            id=int(record["id"]),
            type=str(record["type"]),
            previous_event_id=int(record.get("previous_event_id") or 0),
            timestamp_ms=_epoch_ms(timestamp),
            execution_arn=str(record["execution_arn"]),
            details=details,
            redrive_count=int(record.get("redrive_count") or 0),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExecutionLogError(f"the log event starting on line {line} is malformed: {exc!r}") from exc


def _epoch_ms(value: Any) -> int:
    """Milliseconds since the epoch from AWS's string of digits, a number, or an ISO 8601 time."""
    if isinstance(value, datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    text = str(value)
    if text.isdigit():
        return int(text)
    return round(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
