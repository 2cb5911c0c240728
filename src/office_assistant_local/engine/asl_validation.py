"""Definition checks that CreateStateMachine makes and moto's parser skips."""

from __future__ import annotations

import json
from typing import Any

from office_assistant_local.engine.errors import InvalidDefinitionError


def check_transitions(text: str) -> None:
    """Reject what CreateStateMachine rejects and moto's parser lets through: a StartAt or Next naming no state."""
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDefinitionError(f"invalid state machine definition: not JSON ({exc})") from exc
    problems = _missing_targets(definition, "") if isinstance(definition, dict) else []
    if problems:
        raise InvalidDefinitionError(
            f"invalid state machine definition: MISSING_TRANSITION_TARGET: {'; '.join(problems)}"
        )


def _missing_targets(machine: dict[str, Any], where: str) -> list[str]:
    states = machine.get("States")
    if not isinstance(states, dict):
        return []
    problems = []
    if machine.get("StartAt") not in states:
        problems.append(f"{where}StartAt {machine.get('StartAt')!r} names no state")
    for state_name, state in states.items():
        if not isinstance(state, dict):
            continue
        rules = [*_listed(state, "Choices"), *_listed(state, "Catch")]
        targets = [
            state.get("Next"),
            state.get("Default"),
            *(rule.get("Next") for rule in rules if isinstance(rule, dict)),
        ]
        problems += [
            f"{where}{state_name}: Next {target!r} names no state"
            for target in targets
            if target and target not in states
        ]
        nested = [*_listed(state, "Branches"), state.get("Iterator"), state.get("ItemProcessor")]
        for inner in nested:
            if isinstance(inner, dict):
                problems += _missing_targets(inner, f"{where}{state_name} > ")
    return problems


def _listed(state: dict[str, Any], key: str) -> list[Any]:
    value = state.get(key)
    return value if isinstance(value, list) else []
