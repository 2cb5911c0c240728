"""`office-assistant replay`: run one execution input (e.g. from the Step Functions console) locally."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.payloads import WorkflowInput
from office_assistant_local.environment import local_environment
from office_assistant_local.waterfall import render

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def replay(
    execution_input: dict[str, Any],
    data_dir: Path | None = None,
    *,
    real_model: bool = True,
    out: Callable[[str], None] = print,
    real_services: Mapping[str, str] | None = None,
) -> int:
    """Run the workflow on `execution_input`; prints the output and the waterfall, returns 0 on SUCCEEDED."""
    step = WorkflowInput.model_validate(execution_input)  # a clear error before anything starts
    if step.message_ref is not None:
        out(
            f"this input holds its message by reference ({step.message_ref}): its chat is redacted or the message "
            "was over 32 KiB, so the text is only in the deployed media bucket (for a day) and not in the log"
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="office-assistant-replay-") as scratch:
        with local_environment(data_dir or Path(scratch), real_model=real_model, real_services=real_services) as env:
            execution_id = env.starter.start("replay", execution_input)
            result = env.starter.wait(execution_id)
    out(f"status: {result.status}")
    if result.error:
        out(f"error: {result.error}\ncause: {result.cause}")
    out(json.dumps(result.output, indent=2, ensure_ascii=False))
    out(render(result))
    return 0 if result.status == "SUCCEEDED" else 1
