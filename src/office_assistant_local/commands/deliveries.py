"""One webhook delivery of the demo, followed through the execution it starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.workflow.payloads import RespondOutput

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant_local.engine.execution import ExecutionResult
    from office_assistant_local.environment import LocalEnvironment


def deliver_and_wait(
    env: LocalEnvironment,
    deliver: Callable[[dict[str, Any]], dict[str, Any]],
    event: dict[str, Any],
    out: Callable[[str], None],
) -> tuple[ExecutionResult, RespondOutput] | None:
    """Send `event` to the webhook and wait for its execution; None (said on `out`) when none started or it failed."""
    before = len(env.starter.started)
    response = deliver(event)
    out(f"  webhook → HTTP {response['statusCode']}")
    if response["statusCode"] != 200 or len(env.starter.started) == before:
        out("  ✗ no execution started")
        return None
    result = env.starter.wait(env.starter.started[-1])
    if result.status != "SUCCEEDED" or result.output is None:
        out(f"  ✗ execution {result.status}: {result.error} {result.cause}")
        return None
    return result, RespondOutput.model_validate(result.output)
