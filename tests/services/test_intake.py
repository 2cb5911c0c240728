"""Intake service: one execution per message, duplicates dropped, claims released when starting fails."""

from __future__ import annotations

from typing import Any

import pytest

from office_assistant.services.intake import Accepted, Duplicate, IntakeService
from office_assistant.workflow.payloads import WorkflowInput
from tests.builders import a_message
from tests.fakes import FakeStateTable


class _Starter:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.started: list[tuple[str, dict[str, Any]]] = []

    def start(self, name: str, payload: dict[str, Any]) -> str:
        if self.fail:
            raise ConnectionError("states unreachable")
        self.started.append((name, payload))
        return f"arn:{name}"


def test_accept_starts_one_execution_with_the_message_as_input() -> None:
    starter = _Starter()
    message = a_message("hi")

    outcome = IntakeService(FakeStateTable(), starter).accept(message)

    assert outcome == Accepted(f"arn:{message.key.execution_name}")
    assert WorkflowInput.model_validate(starter.started[0][1]).message == message


def test_accept_drops_a_second_delivery_of_the_same_message() -> None:
    starter = _Starter()
    intake = IntakeService(FakeStateTable(), starter)
    message = a_message("hi")

    intake.accept(message)
    outcome = intake.accept(message)

    assert isinstance(outcome, Duplicate)
    assert len(starter.started) == 1


def test_accept_releases_the_claim_when_the_execution_cannot_start() -> None:
    state = FakeStateTable()
    message = a_message("hi")

    with pytest.raises(ConnectionError):
        IntakeService(state, _Starter(fail=True)).accept(message)
    outcome = IntakeService(state, _Starter()).accept(message)

    assert isinstance(outcome, Accepted)


def test_execution_name_is_valid_for_step_functions_and_deterministic() -> None:
    message = a_message("hi", chat_id="C/with spaces?")

    name = message.key.execution_name

    assert name == message.key.execution_name
    assert len(name) <= 80 and all(c.isalnum() or c in "-_" for c in name)
