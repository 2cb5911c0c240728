"""Deployed vs local, state by state: status and output of each state run, as a unified diff of the JSON."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from office_assistant_local.execution_log.executions import Payload
    from office_assistant_local.execution_log.timeline import StateRun, Timeline

Verdict = Literal["same", "different", "not compared"]
EXECUTION_OUTPUT = "(execution output)"
_WIDTH = 160  # diff lines are cut here on the terminal


@dataclass(frozen=True)
class StateDiff:
    name: str
    deployed: str  # the deployed run's status, or "not run"
    local: str
    verdict: Verdict
    lines: tuple[str, ...] = ()
    note: str = ""


def _pretty(value: Any, indent: str = "") -> list[str]:
    """Indented JSON, one key per line, but a list of numbers or strings (an embedding) on a single line."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = sorted(value.items())
        lines = ["{"]
        for index, (key, item) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            nested = _pretty(item, inner)
            lines.append(f"{inner}{json.dumps(key, ensure_ascii=False)}: {nested[0]}")
            lines.extend(nested[1:])
            lines[-1] += comma
        return [*lines, f"{indent}}}"]
    if isinstance(value, list) and value and any(isinstance(item, dict | list) for item in value):
        lines = ["["]
        for index, item in enumerate(value):
            nested = _pretty(item, inner)
            lines.extend([f"{inner}{nested[0]}", *nested[1:]])
            lines[-1] += "," if index < len(value) - 1 else ""
        return [*lines, f"{indent}]"]
    return [json.dumps(value, ensure_ascii=False)]


def _status(run: StateRun | None) -> str:
    if run is None:
        return "not run"
    return run.status + (f" ({run.error})" if run.error and run.status != "SUCCEEDED" else "")


def _compare(name: str, deployed: Payload | None, local: Payload | None, statuses: tuple[str, str]) -> StateDiff:
    if deployed is not None and deployed.truncated:
        return StateDiff(name, *statuses, "not compared", note="the deployed output is truncated in the log")
    if deployed is None or local is None or deployed.text is None or local.text is None:
        verdict: Verdict = "same" if statuses[0] == statuses[1] else "different"
        return StateDiff(name, *statuses, verdict, note="no output on one side" if verdict == "different" else "")
    ours, theirs = deployed.parsed(), local.parsed()
    if ours == theirs and statuses[0] == statuses[1]:
        return StateDiff(name, *statuses, "same")
    lines = tuple(difflib.unified_diff(_pretty(ours), _pretty(theirs), "deployed", "local", lineterm="", n=1))
    return StateDiff(name, *statuses, "different", lines)


def compare(deployed: Timeline, local: Timeline, names: Sequence[str] | None = None) -> list[StateDiff]:
    """One entry per state run (the n-th run of a name against the n-th), then the execution output."""
    order = list(names) if names is not None else list(dict.fromkeys(r.name for r in deployed.states + local.states))
    diffs: list[StateDiff] = []
    for name in order:
        ours, theirs = deployed.runs(name), local.runs(name)
        for index in range(max(len(ours), len(theirs), 1)):
            one = ours[index] if index < len(ours) else None
            other = theirs[index] if index < len(theirs) else None
            diffs.append(
                _compare(
                    name,
                    one.output if one and one.exit_id is not None else None,
                    other.output if other and other.exit_id is not None else None,
                    (_status(one), _status(other)),
                )
            )
    if names is None:
        statuses = (deployed.execution.status, local.execution.status)
        diffs.append(_compare(EXECUTION_OUTPUT, deployed.execution.output, local.execution.output, statuses))
    return diffs


def render(diffs: Sequence[StateDiff], max_lines: int = 40) -> str:
    """A summary line per state, and under each that differs the first `max_lines` lines of its diff."""
    width = max([len("state"), *(len(diff.name) for diff in diffs)])
    lines = [f"{'state':<{width}}  {'deployed':<28}  {'local':<28}  output"]
    for diff in diffs:
        verdict = diff.verdict + (f" ({diff.note})" if diff.note else "")
        lines.append(f"{diff.name:<{width}}  {diff.deployed:<28}  {diff.local:<28}  {verdict}")
        shown = diff.lines[:max_lines]
        lines.extend(f"    {line}" if len(line) <= _WIDTH else f"    {line[: _WIDTH - 1]}…" for line in shown)
        if len(diff.lines) > max_lines:
            lines.append(f"    … {len(diff.lines) - max_lines} more diff lines")
    return "\n".join(lines)
