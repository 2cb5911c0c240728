"""A payload validation error becomes a Lambda error message, which Step Functions logs: it never quotes input."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from office_assistant.workflow.payloads import RespondInput, WorkflowInput

SECRET = "jane.doe@example.com"


def test_workflow_input_validation_error_does_not_quote_the_message_text() -> None:
    message = {"platform": "slack", "event_id": "E1", "message_id": "1.0", "chat_id": "C1", "user_id": "U1"}

    with pytest.raises(ValidationError) as raised:
        WorkflowInput.model_validate({"message": {**message, "user_name": "x", "text": SECRET, "ts": "soon"}})

    assert "message.ts" in str(raised.value)
    assert SECRET not in str(raised.value)


def test_respond_input_validation_error_does_not_quote_a_history_text() -> None:
    with pytest.raises(ValidationError) as raised:
        RespondInput.model_validate({"message": {"text": SECRET}, "context": {"history": {"window": SECRET}}})

    assert SECRET not in str(raised.value)
