"""Bind the project's Lambda handlers to a container, keyed by function name, for the local engine."""

from __future__ import annotations

import importlib
import sys
from functools import partial
from typing import TYPE_CHECKING, Any

from office_assistant import bootstrap
from office_assistant.workflow.tasks import PROJECT_ROOT, TASKS

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

    from office_assistant.bootstrap import Container
    from office_assistant.workflow.tasks import LambdaTask


def handler_module(task: LambdaTask) -> ModuleType:
    """Import `functions/<folder>/<module>.py` as `functions.<folder>.<module>`, from any working directory."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    return importlib.import_module(task.import_path)


def _invoke(
    lambda_handler: Callable[[dict[str, Any], Any], Any], container: Container, event: dict[str, Any], context: Any
) -> Any:
    with bootstrap.bound(container):
        return lambda_handler(event, context)


def handlers_for(container: Container) -> dict[str, Callable[[dict[str, Any], Any], Any]]:
    """Each task's real `lambda_handler(event, context)`, its `bootstrap.services()` being `container`.

    As in Lambda, the whole entry point runs: Powertools' Logger and Tracer decorators, and Respond's
    idempotency registers the context (its in-progress record expires with the remaining time). The services
    are built here, before any execution: moto runs Parallel branches on threads, and building adapters up
    front keeps their construction single-threaded.
    """
    handlers: dict[str, Callable[[dict[str, Any], Any], Any]] = {}
    for task in TASKS:
        getattr(container, task.name)
        handlers[task.name] = partial(_invoke, handler_module(task).lambda_handler, container)
    return handlers
