"""Local mode: the workflow on moto's Step Functions interpreter, and loopback stand-ins for the platforms.

The engine's names resolve lazily, so importing a submodule such as `office_assistant.local.loopback` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from office_assistant.local.engine import (
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
        from office_assistant.local import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
