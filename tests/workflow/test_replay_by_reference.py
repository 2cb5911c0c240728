"""`office-assistant replay` on an execution input whose message travels by reference says why it cannot run."""

from __future__ import annotations

from office_assistant.services.claim_check import without_content
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant_local.commands.replay import replay
from tests.builders import a_message


def test_replay_refuses_an_input_whose_message_is_held_by_reference_and_says_why() -> None:
    step = WorkflowInput(message=without_content(a_message("secret")), message_ref="workflow/slack/abc/inbound.json")
    lines: list[str] = []

    status = replay(step.model_dump(mode="json"), out=lines.append)

    assert status == 2
    assert "by reference" in lines[0] and "workflow/slack/abc/inbound.json" in lines[0]
