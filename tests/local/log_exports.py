"""Execution logs as a deployed stack writes them, built from runs of the real ASL on the local engine.

The engine records GetExecutionHistory events; `log_records` writes them in AWS's documented format for
CloudWatch Logs (level ALL, execution data included): string ids, `details`, `previous_event_id`,
`event_timestamp` in epoch ms, an Express `execution_arn` and `redrive_count`. The export helpers wrap the
records as `aws logs filter-log-events`, `aws logs get-log-events` or JSON lines would hold them; the edit
helpers make the cases a run cannot (a truncated input, executions that overlap in time).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.definition import load_local
from office_assistant_local.engine import run_state_machine

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

Record = dict[str, Any]
STATE_MACHINE = "OfficeAssistant-assistant"


def express_arn(name: str) -> str:
    return f"arn:aws:states:eu-central-1:111122223333:express:{STATE_MACHINE}:{name}:{uuid.uuid4()}"


def _epoch_ms(value: Any) -> int:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return round(moment.timestamp() * 1000)


def log_records(history: list[dict[str, Any]], execution_arn: str) -> list[Record]:
    """The history events of one execution as the log events Step Functions delivers to CloudWatch Logs."""
    records = []
    for event in history:
        details = next((value for key, value in event.items() if key.endswith("EventDetails")), {})
        records.append(
            {
                "id": str(event["id"]),
                "type": str(event["type"]),
                "details": details,
                "previous_event_id": str(event.get("previousEventId", 0)),
                "event_timestamp": str(_epoch_ms(event["timestamp"])),
                "execution_arn": execution_arn,
                "redrive_count": "0",
            }
        )
    return records


def deployed_run(handlers: Mapping[str, Any], execution_input: dict[str, Any], name: str) -> list[Record]:
    """Run the real ASL with `handlers` and return what its execution log would hold."""
    result = run_state_machine(load_local(), handlers, execution_input, name=name)
    return log_records(result.events, express_arn(name))


def starting_at(records: list[Record], start_ms: int) -> list[Record]:
    """The same execution moved in time so that it starts at `start_ms` (to make executions overlap)."""
    offset = start_ms - int(records[0]["event_timestamp"])
    return [record | {"event_timestamp": str(int(record["event_timestamp"]) + offset)} for record in records]


def truncated(records: list[Record], wanted: Callable[[Record], bool], keep: int = 200) -> list[Record]:
    """The records with the `input` of every `wanted` one cut to `keep` characters and marked truncated."""
    edited = []
    for record in records:
        if wanted(record):
            details = dict(record["details"])
            details["input"] = details["input"][:keep]
            details["inputDetails"] = {"truncated": True}
            record = record | {"details": details}
        edited.append(record)
    return edited


def _by_time(*executions: list[Record]) -> list[Record]:
    return sorted((r for records in executions for r in records), key=lambda r: (int(r["event_timestamp"]), r["id"]))


def filter_log_events(*executions: list[Record]) -> str:
    """`aws logs filter-log-events --log-group-name … --output json`: events of all streams, by time."""
    events = [
        {
            "logStreamName": f"states/{STATE_MACHINE}/2026-12-01-09-00/{record['execution_arn'][-8:]}",
            "timestamp": int(record["event_timestamp"]),
            "message": json.dumps(record),
            "ingestionTime": int(record["event_timestamp"]) + 700,
            "eventId": f"{int(record['event_timestamp']):020d}{index:036d}",
        }
        for index, record in enumerate(_by_time(*executions))
    ]
    return json.dumps({"events": events, "searchedLogStreams": []}, indent=4)


def get_log_events(*executions: list[Record]) -> str:
    """`aws logs get-log-events --log-stream-name … --output json`: one stream's events."""
    events = [
        {
            "timestamp": int(record["event_timestamp"]),
            "message": json.dumps(record),
            "ingestionTime": int(record["event_timestamp"]) + 700,
        }
        for record in _by_time(*executions)
    ]
    tokens = {"nextForwardToken": "f/3788", "nextBackwardToken": "b/3787"}
    return json.dumps({"events": events, **tokens}, indent=4)


def json_lines(*executions: list[Record]) -> str:
    """One log event per line, as a consumer of the log group's subscription filter would save them."""
    return "".join(json.dumps(record) + "\n" for record in _by_time(*executions))
