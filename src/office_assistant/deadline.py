"""The time the current invocation has left, so that a call never waits past its Lambda's timeout.

A handler that knows its budget (the Route step: media downloads, Whisper, the query embedding) opens
`invocation_deadline(context.get_remaining_time_in_millis() / 1000, reserve_s)`; the adapters it reaches ask
`call_timeout(their_default)` and get the smaller of their default and what is left. Outside such a block
(other functions, local runs, tests) nothing changes. A ContextVar, because the adapters are built once per warm
container and shared by invocations, while the deadline belongs to one invocation.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

MIN_CALL_TIMEOUT_S = 0.5
"""The shortest timeout handed out: with less left, the call still gets a moment and fails as a timeout."""

_deadline: ContextVar[float | None] = ContextVar("office_assistant_deadline", default=None)


@contextmanager
def invocation_deadline(remaining_s: float, reserve_s: float = 0.0) -> Iterator[None]:
    """Calls inside the block end `reserve_s` before `remaining_s` from now (time kept to return a result)."""
    token = _deadline.set(time.monotonic() + remaining_s - reserve_s)
    try:
        yield
    finally:
        _deadline.reset(token)


def active() -> bool:
    """Whether a deadline is set: callers then make one attempt with `call_timeout`, not retries of the default."""
    return _deadline.get() is not None


def remaining_s() -> float | None:
    """Seconds left before the deadline (negative once passed); None outside `invocation_deadline`."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


def call_timeout(default_s: float) -> float:
    """`default_s`, cut to the time left when a deadline is set (never below MIN_CALL_TIMEOUT_S)."""
    left = remaining_s()
    if left is None:
        return default_s
    return max(MIN_CALL_TIMEOUT_S, min(default_s, left))
