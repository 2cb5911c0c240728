"""The terminal views of an execution log: the list of executions, a timeline table and a text waterfall."""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from office_assistant_local.execution_log.executions import ExecutionLog
    from office_assistant_local.execution_log.timeline import Attempt, StateRun, Timeline

BARS = {"SUCCEEDED": "█", "CAUGHT": "▒", "FAILED": "x"}
LEGEND = "█ succeeded  ▒ failed, caught by a Catch  x failed"


def _ms(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _one_line(text: str | None, limit: int = 100) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def execution_list(found: Sequence[ExecutionLog]) -> str:
    """One line per execution: name, status, start (UTC) and duration."""
    if not found:
        return "no Step Functions execution events in the file"
    width = max(len("name"), *(len(execution.name) for execution in found))
    lines = [f"{'name':<{width}}  {'status':<10}  {'start (UTC)':<23}  {'duration':>12}  events"]
    for execution in found:
        start = execution.started_at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        duration = _ms(execution.duration_ms) + " ms" if execution.duration_ms is not None else "-"
        lines.append(
            f"{execution.name:<{width}}  {execution.status:<10}  {start:<23}  {duration:>12}  {len(execution.events)}"
        )
    lines.append(f"\n{len(found)} execution(s); pick one with --execution NAME (or its ARN)")
    return "\n".join(lines)


def _attempt_line(attempt: Attempt) -> str:
    what = "Lambda" if attempt.kind == "LambdaFunction" else attempt.kind
    retry = " (retry)" if attempt.number > 1 else ""
    parts = [f"scheduled {_ms(attempt.scheduled_ms)}"]
    if attempt.started_ms is not None:
        parts.append(f"started {_ms(attempt.started_ms)}")
    if attempt.outcome:  # TimedOut → "timed out", StartFailed → "start failed"
        parts.append(f"{re.sub(r'(?<!^)(?=[A-Z])', ' ', attempt.outcome).lower()} {_ms(attempt.ended_ms)}")
    else:
        parts.append("no outcome logged")
    error = f"  {attempt.error}: {_one_line(attempt.cause, 60)}" if attempt.error else ""
    return f"↳ {what} attempt {attempt.number}{retry}: {', '.join(parts)} ms{error}"


def timeline_table(timeline: Timeline) -> str:
    """The execution's header, then one row per state run and one per task attempt."""
    execution = timeline.execution
    lines = [
        f"execution  {execution.execution_arn}",
        f"status     {execution.status}"
        + (f"  {execution.error}: {_one_line(execution.cause)}" if execution.error else ""),
        f"started    {execution.started_at.isoformat(timespec='milliseconds')}  ({_ms(execution.duration_ms)} ms)",
        "input      "
        + (
            "TRUNCATED in the log: not replayable as a whole"
            if execution.input.truncated
            else ("not logged (execution data off)" if execution.input.text is None else "complete")
        ),
        "",
    ]
    name_width = max([len("state"), *(len(run.name) + 2 * run.depth for run in timeline.states)])
    lines.append(
        f"{'state':<{name_width}}  {'type':<8}  {'start ms':>9}  {'end ms':>9}  {'took ms':>9}  "
        f"{'status':<9}  retries  note"
    )
    for run in timeline.states:
        lines.append(_row(run, name_width))
        indent = "  " * (run.depth + 1)
        lines.extend(f"{indent}{_attempt_line(attempt)}" for attempt in run.attempts)
    return "\n".join(lines)


def _row(run: StateRun, name_width: int) -> str:
    name = "  " * run.depth + run.name
    note = ""
    if run.error and run.status != "SUCCEEDED":  # the attempt rows below carry the cause
        note = run.error if run.attempts else f"{run.error}: {_one_line(run.cause, 60)}"
    if run.input.truncated:
        note = ("input truncated in the log; " + note).rstrip("; ")
    return (
        f"{name:<{name_width}}  {run.type:<8}  {_ms(run.start_ms):>9}  {_ms(run.end_ms):>9}  "
        f"{_ms(run.duration_ms):>9}  {run.status:<9}  {run.retries:>7}  {note}"
    ).rstrip()


def waterfall(timeline: Timeline, width: int = 40) -> list[str]:
    """One bar per state run on the execution's time axis; nested states are indented under their parent."""
    if not timeline.states:
        return ["(no states in the log)"]
    span = max(timeline.end_ms, 1)
    name_width = max(len(run.name) + 2 * run.depth for run in timeline.states)
    lines = [f"{'':<{name_width}}  0 ms{'':{width - 4 - len(_ms(span)) - 3}}{_ms(span)} ms"]
    for run in timeline.states:
        end = run.end_ms if run.end_ms is not None else span
        first = min(int(run.start_ms / span * width), width - 1)
        length = min(max(1, round((end - run.start_ms) / span * width)), width - first)
        bar = " " * first + BARS[run.status] * length
        lines.append(f"{'  ' * run.depth + run.name:<{name_width}} |{bar:<{width}}|")
    return lines


def side_by_side(left_title: str, left: list[str], right_title: str, right: list[str], gap: int = 4) -> str:
    """Two blocks of lines next to each other, each under its title."""
    left_width = max(len(line) for line in [left_title, *left])
    rows = [f"{left_title:<{left_width}}{'':{gap}}{right_title}"]
    for one, other in zip_longest(left, right, fillvalue=""):
        rows.append(f"{one:<{left_width}}{'':{gap}}{other}".rstrip())
    return "\n".join(rows)
