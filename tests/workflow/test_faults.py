"""Fault injection through the real ASL: every scenario of `office-assistant faults` keeps its promise."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant_local.commands.faults import black_hole, format_table, run_scenario, scenarios

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant_local.environment import LocalEnvironment


@pytest.fixture(scope="module")
def hanging_model() -> Iterator[str]:
    with black_hole() as endpoint:
        yield endpoint


SCENARIOS = [s.name for s in scenarios("http://unused")]


@pytest.mark.parametrize("name", SCENARIOS)
def test_fault_loses_no_message_and_answers_at_most_once(env: LocalEnvironment, hanging_model: str, name: str) -> None:
    (scenario,) = [s for s in scenarios(hanging_model) if s.name == name]

    outcome = run_scenario(env, scenario)

    assert outcome.ok, format_table([outcome])
    assert outcome.user_stored
    assert outcome.replies_posted <= 1


@pytest.mark.parametrize("name", [s.name for s in scenarios("http://unused") if s.name.startswith("worst case")])
def test_worst_case_message_is_answered_with_every_state_under_the_quota(env: LocalEnvironment, name: str) -> None:
    (scenario,) = [s for s in scenarios("http://unused") if s.name == name]

    outcome = run_scenario(env, scenario)

    assert outcome.ok, format_table([outcome])
    assert outcome.replies_posted == 1
    assert 0 < outcome.largest_state_bytes <= 256 * 1024
