"""The local engine: any ASL definition on moto's Step Functions interpreter, Lambda tasks dispatched in-process.

The names resolve lazily, so importing a submodule such as `office_assistant_local.engine.errors` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from office_assistant_local.engine.runner import (
        ExecutionAlreadyRunningError,
        ExecutionResult,
        InvalidDefinitionError,
        StateTiming,
        UnsupportedMotoError,
        run_state_machine,
    )

__all__ = [
    "ExecutionAlreadyRunningError",
    "ExecutionResult",
    "InvalidDefinitionError",
    "StateTiming",
    "UnsupportedMotoError",
    "run_state_machine",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from office_assistant_local.engine import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
