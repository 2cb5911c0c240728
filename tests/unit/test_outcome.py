"""Respond's outcomes: one enum for the service's result and the execution's output."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from office_assistant.domain.outcome import Outcome
from office_assistant.workflow.payloads import RespondOutput


def test_respond_output_reads_the_outcome_as_the_shared_enum() -> None:
    output = RespondOutput.model_validate({"replied": True, "outcome": "answered", "route": "chat"})

    assert output.outcome is Outcome.ANSWERED
    assert output.model_dump(mode="json")["outcome"] == "answered"


def test_respond_output_rejects_an_outcome_respond_never_produces() -> None:
    with pytest.raises(ValidationError, match="outcome"):
        RespondOutput.model_validate({"replied": False, "outcome": "duplicate", "route": "chat"})
