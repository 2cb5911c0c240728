"""WorkflowStarter for local mode: each execution runs on the local engine, in the background like Express."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant_local.engine.runner import ExecutionResult

Handlers = dict[str, "Callable[[dict[str, Any], Any], Any]"]


class LocalWorkflowStarter:
    """Starts executions of one definition asynchronously; `wait(execution_id)` gives the result.

    `handlers` is a provider, called at the first start: the handlers come from the container that this starter
    is itself part of.
    """

    def __init__(self, definition: dict[str, Any], handlers: Callable[[], Handlers], max_concurrent: int = 4) -> None:
        self.definition = definition
        self.handlers = handlers
        self.started: list[str] = []
        self._pool = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="execution")
        self._runs: dict[str, Future[ExecutionResult]] = {}
        self._lock = threading.Lock()

    def start(self, name: str, payload: dict[str, Any]) -> str:
        """Start `name` unless an execution of that name exists (Step Functions' name idempotency)."""
        from office_assistant_local.engine.runner import run_state_machine

        handlers = self.handlers()
        execution_id = f"local:{name}"
        with self._lock:
            if execution_id not in self._runs:
                self._runs[execution_id] = self._pool.submit(
                    run_state_machine, self.definition, handlers, payload, name=name
                )
                self.started.append(execution_id)
        return execution_id

    def wait(self, execution_id: str, timeout_s: float = 300.0) -> ExecutionResult:
        with self._lock:
            future = self._runs[execution_id]
        return future.result(timeout=timeout_s)

    def pending(self) -> int:
        """Executions started and not finished yet."""
        with self._lock:
            return sum(1 for future in self._runs.values() if not future.done())

    def failed(self) -> int:
        """Executions that finished with a status other than SUCCEEDED (or raised)."""
        with self._lock:
            done = [future for future in self._runs.values() if future.done()]
        return sum(1 for future in done if future.exception() is not None or future.result().status != "SUCCEEDED")

    def close(self) -> None:
        self._pool.shutdown(wait=True)
