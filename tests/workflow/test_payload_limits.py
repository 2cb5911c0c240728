"""The real ASL under Step Functions' payload quota: an oversized state fails the execution past every Catch."""

from __future__ import annotations

from typing import Any

from office_assistant.workflow.definition import load_local
from office_assistant_local.engine import run_state_machine

QUOTA = 256 * 1024


def routed(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {**event, "route": None, "embedding": None, "notes": []}


def empty(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {}


def test_a_branch_result_over_the_quota_fails_the_real_workflow_instead_of_degrading_it() -> None:
    def oversized_history(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"window": {"verbatim": [], "to_summarise": []}, "padding": "x" * QUOTA}

    handlers = {"route": routed, "history": oversized_history, "relevance": empty, "auxiliary": empty}

    result = run_state_machine(load_local(), {**handlers, "respond": empty}, {"message": {"text": "hi"}})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert result.state("HistoryDegraded") is None
    assert result.state("Respond") is None


def test_a_route_result_over_the_quota_fails_the_real_workflow_instead_of_taking_route_degraded() -> None:
    def oversized_route(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {**routed(event, context), "embedding": [0.123456789] * (QUOTA // 10)}

    handlers = {"route": oversized_route, "history": empty, "relevance": empty, "auxiliary": empty}

    result = run_state_machine(load_local(), {**handlers, "respond": empty}, {"message": {"text": "hi"}})

    assert result.status == "FAILED"
    assert result.error == "States.DataLimitExceeded"
    assert result.state("RouteDegraded") is None
