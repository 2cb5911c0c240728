"""`replay --state NAME`: one state of the ASL file run alone, with its Retry and Catch."""

from __future__ import annotations

from typing import Any

import pytest

from office_assistant.workflow.definition import load_local
from office_assistant_local.engine import run_state_machine
from office_assistant_local.execution_log import ExecutionLog, ExecutionLogError, from_history, timeline
from office_assistant_local.execution_log.rerun import state_definition, state_names


def _history_down(event: dict[str, Any], context: Any) -> Any:
    raise ConnectionError("message store unreachable")


def test_a_branch_state_runs_alone_with_its_catch_target() -> None:
    definition = load_local()
    history = definition["States"]["GatherContext"]["Branches"][0]["States"]["History"]

    alone = state_definition(definition, "History")

    assert alone["StartAt"] == "History" and set(alone["States"]) == {"History", "HistoryDegraded"}
    assert alone["States"]["History"]["Retry"] == history["Retry"]
    assert alone["States"]["History"]["Catch"] == history["Catch"]
    assert all(state.get("End") is True and "Next" not in state for state in alone["States"].values())


def test_a_failing_state_alone_is_caught_as_in_the_whole_workflow() -> None:
    alone = state_definition(load_local(), "History")

    result = run_state_machine(alone, {"history": _history_down}, {"message": {}})
    events = tuple(from_history(event, result.execution_arn) for event in result.events)
    runs = timeline(ExecutionLog(result.execution_arn, events))

    assert result.status == "SUCCEEDED" and result.output["degraded"] is True
    assert [(run.name, run.status) for run in runs.states] == [("History", "CAUGHT"), ("HistoryDegraded", "SUCCEEDED")]
    assert runs.states[0].attempts[0].error == "ConnectionError"


def test_the_parallel_state_alone_keeps_its_branches() -> None:
    alone = state_definition(load_local(), "GatherContext")

    assert list(alone["States"]) == ["GatherContext"]
    assert state_names(alone) == [
        "GatherContext", "History", "HistoryDegraded", "Relevance", "RelevanceDegraded", "Auxiliary",
        "AuxiliaryDegraded",
    ]  # fmt: skip


def test_an_unknown_state_is_refused_with_the_names_there_are() -> None:
    with pytest.raises(ExecutionLogError, match="no state 'Nope'.*RouteDegraded"):
        state_definition(load_local(), "Nope")
