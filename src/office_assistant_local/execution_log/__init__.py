"""A deployed execution's CloudWatch log: its events, executions, timeline, pictures and a local rerun."""

from __future__ import annotations

from office_assistant_local.execution_log.errors import ExecutionLogError, NotReplayableError
from office_assistant_local.execution_log.events import LogEvent, LogRead, from_history, read_log
from office_assistant_local.execution_log.executions import ExecutionLog, Payload, executions, find_execution
from office_assistant_local.execution_log.timeline import Attempt, StateRun, Timeline, timeline

__all__ = [
    "Attempt",
    "ExecutionLog",
    "ExecutionLogError",
    "LogEvent",
    "LogRead",
    "NotReplayableError",
    "Payload",
    "StateRun",
    "Timeline",
    "executions",
    "find_execution",
    "from_history",
    "read_log",
    "timeline",
]
