"""A Lambda context object for handlers invoked in-process (what Powertools' decorators read from it).

Its remaining time counts down from the invoking Task state's TimeoutSeconds: the deployed functions get that
value as their timeout (infra reads it from the ASL), so a handler sees locally the budget it has in AWS. The
route function serves two Tasks and is deployed with the longer one's; locally its Route stage sees the shorter
Task's budget, which is when AWS gives up on it.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

# A Task without TimeoutSeconds: Lambda's own maximum, the most any function configuration allows.
DEFAULT_TIMEOUT_S = 900.0

_task_timeout_s: ContextVar[float | None] = ContextVar("task_timeout_s", default=None)


def task_timeout_s() -> float:
    """The TimeoutSeconds of the Task state being evaluated on this thread (DEFAULT_TIMEOUT_S outside one)."""
    timeout = _task_timeout_s.get()
    return DEFAULT_TIMEOUT_S if timeout is None else timeout


@contextmanager
def task_timeout(seconds: float | None) -> Iterator[None]:
    """Invokes made on this thread inside the block get a context with `seconds` (None: the default) to run."""
    token = _task_timeout_s.set(seconds)
    try:
        yield
    finally:
        _task_timeout_s.reset(token)


@dataclass
class LocalLambdaContext:
    function_name: str
    memory_limit_in_mb: int = 256
    timeout_s: float = 30.0
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_s

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
