"""The budgets that keep every state of the workflow under Step Functions' quota."""

from __future__ import annotations

from office_assistant.workflow.limits import STATE_PAYLOAD_QUOTA_BYTES, json_bytes, worst_state_bytes


def test_largest_possible_state_with_every_part_at_its_budget_is_under_the_quota() -> None:
    assert worst_state_bytes() < STATE_PAYLOAD_QUOTA_BYTES


def test_json_bytes_counts_compact_utf8_as_step_functions_does() -> None:
    assert json_bytes({"text": "€"}) == len('{"text":""}') + 3
    assert json_bytes({"text": "\ud800"}) == len('{"text":""}') + 3  # a lone surrogate from fuzzed input
