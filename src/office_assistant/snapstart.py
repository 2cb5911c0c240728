"""Cold starts: build a function's service in Lambda's init phase, and the SnapStart hooks around its snapshot.

Lambda runs a handler module's top level once per execution environment, in the init phase; with SnapStart that
phase runs once when a version is published, and a cold start is then a restore of its memory snapshot. Each
handler module therefore ends with ``snapstart.prepare("<task>", <its payload models>)``: in Lambda
(``AWS_LAMBDA_FUNCTION_NAME`` set) it builds the task's service through `bootstrap` (every adapter's SDK imported,
clients opened, Weaviate connected), builds the payload models and warms what the first request would otherwise
build (`WARM_UPS`). Anywhere else (tests, the local engine, the CLI) it does nothing, so those keep building on
first use. A build that fails in init (a secret not filled in yet, Weaviate down) is logged and forgotten: the
first request builds again and its error goes to the workflow's Retry and Catch, as before.

SnapStart hooks (`snapshot_restore_py`, preinstalled in Lambda's Python 3.12+ runtimes and deliberately not in our
layer: a copy there would shadow the runtime's registry and its hooks would never run):

- before the snapshot, `before_snapshot` closes the container's network clients and forgets the container and
  the cached secrets: no connection, credential or secret value is frozen into the snapshot; the imported
  modules, which are most of the init time, stay in it;
- after each restore, `after_restore` re-seeds `random` (every environment restored from one snapshot would
  otherwise draw the same numbers) and builds the service again: fresh boto3, httpx and Weaviate clients, secrets
  read again. That rebuild is part of each restore's duration; imports are not.
"""

from __future__ import annotations

import logging
import os
import random
from typing import TYPE_CHECKING

from office_assistant import bootstrap

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic import BaseModel

logger = logging.getLogger(__name__)

LAMBDA_FUNCTION_NAME_ENV = "AWS_LAMBDA_FUNCTION_NAME"
"""Set by Lambda in every execution environment (and by the bench's cold probes); never by tests or local runs."""

WARM_UPS: dict[str, tuple[str, ...]] = {
    # the router: semantic-router's modules and the route book's utterance embeddings (one batch request)
    "route": ("classifier",),
}
"""Task -> container adapters whose ``warm()`` builds what they would otherwise build on their first call."""


def in_lambda(environ: Mapping[str, str] | None = None) -> bool:
    return bool((os.environ if environ is None else environ).get(LAMBDA_FUNCTION_NAME_ENV))


def prepare(task: str, *models: type[BaseModel]) -> None:
    """In Lambda: build `task`'s service and `models` now, during init, and register the SnapStart hooks.

    Elsewhere nothing: tests and local runs build on first use, with whatever container they configured.
    """
    if not in_lambda():
        return
    build(task, models)
    _register_hooks(task, models)


def build(task: str, models: tuple[type[BaseModel], ...] = ()) -> bool:
    """Build the payload `models` and `task`'s service with its warm-ups; False (logged) if the service cannot be
    built yet, in which case the container is forgotten and the first request builds it."""
    for model in models:
        model.model_rebuild()
    try:
        container = bootstrap.services()
        getattr(container, task)
        for adapter in WARM_UPS.get(task, ()):
            getattr(container, adapter).warm()
    except Exception:
        logger.warning("could not build the %s service during init; the first request builds it", task, exc_info=True)
        bootstrap.reset()
        return False
    return True


def before_snapshot() -> None:
    """SnapStart, before the snapshot: no open connection, client or cached secret goes into it."""
    bootstrap.release()


def after_restore(task: str, models: tuple[type[BaseModel], ...] = ()) -> None:
    """SnapStart, after a restore: a random state of this environment's own, and the service built afresh."""
    random.seed()
    build(task, models)


def _register_hooks(task: str, models: tuple[type[BaseModel], ...]) -> None:
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:  # a runtime without SnapStart support (before Python 3.12)
        return
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore, task, models)
