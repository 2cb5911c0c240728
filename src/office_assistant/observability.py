"""Correlation ids and CloudWatch EMF metrics for the handlers, with the names from `metric_names`.

Correlation: every workflow handler logs with the correlation id ``<platform>:<chat>:<message id>`` (the same
triple that keys Respond's idempotency record) and the key ``execution``, the Step Functions execution name,
which intake derives from the same message (`services.intake.execution_name`), so one search finds every log
line of a message across the webhook, all steps and any duplicate execution.

Metrics are flushed as one EMF document per call (Powertools ``EphemeralMetrics``: no shared buffer across warm
invocations or threads), without a ``service`` dimension; ``POWERTOOLS_METRICS_DISABLED=true`` silences them
(local CLI runs set it).
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

from office_assistant import metric_names

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from aws_lambda_powertools import Logger

    from office_assistant.domain.messages import InboundMessage

CORRELATION_ID_PATH = "join(':', [message.platform, message.chat_id, message.message_id])"
"""JMESPath for ``Logger.inject_lambda_context``: the platform message of any workflow step's input."""

ROUTES = "Routes"
"""Count per answered message, with dimension ``ROUTE_DIMENSION`` (not on the dashboard yet)."""
ROUTE_DIMENSION = "Route"

F = TypeVar("F", bound="Callable[..., Any]")


def correlation_keys(message: InboundMessage) -> dict[str, str]:
    """Keys every log line of a message carries (ids only, never text)."""
    from office_assistant.services.intake import execution_name

    return {
        "platform": message.platform.value,
        "message_id": message.message_id,
        "execution": execution_name(message),
    }


def correlate(logger: Logger, message: InboundMessage) -> None:
    """Add the message's correlation keys to `logger` for the rest of this invocation."""
    logger.append_keys(**correlation_keys(message))


def emit(
    name: str, value: float, unit: MetricUnit = MetricUnit.Count, dimensions: dict[str, str] | None = None
) -> None:
    """One EMF document with one metric."""
    metrics = EphemeralMetrics(namespace=metric_names.NAMESPACE)
    metrics.add_metric(name=name, unit=unit, value=value)
    for key, dim in (dimensions or {}).items():
        metrics.add_dimension(name=key, value=dim)
    metrics.flush_metrics()


def timed_branch(branch: str) -> Callable[[F], F]:
    """Decorate a GatherContext branch's `handle`: BranchDuration (ms) with dimension Branch, also on failure."""
    if branch not in metric_names.BRANCHES:
        raise ValueError(f"unknown branch {branch!r}; expected one of {metric_names.BRANCHES}")

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed_ms = (time.perf_counter() - started) * 1000
                emit(
                    metric_names.BRANCH_DURATION,
                    elapsed_ms,
                    MetricUnit.Milliseconds,
                    {metric_names.BRANCH_DIMENSION: branch},
                )

        return wrapper  # type: ignore[return-value]

    return decorate


def record_reply(
    route: str,
    degraded_branches: Sequence[str],
    tokens: int,
    message_ts: float,
    started_at: float,
) -> None:
    """Respond's metrics: degraded branches, tokens of the reply, route count, pre-processing time.

    Pre-processing time runs from the platform's timestamp of the message (what the webhook received) to
    `started_at`, the epoch time Respond started (after Route and the parallel context, before the model).
    """
    emit(metric_names.DEGRADED_BRANCHES, len(degraded_branches))
    if tokens:
        emit(metric_names.MODEL_TOKENS, tokens)
    emit(ROUTES, 1, dimensions={ROUTE_DIMENSION: route})
    elapsed_ms = max(0.0, (started_at - message_ts) * 1000)
    emit(metric_names.PREPROCESSING_TIME, elapsed_ms, MetricUnit.Milliseconds)


def record_ack(started: float) -> None:
    """AckLatency: the webhook's time from receiving the request to returning its answer."""
    emit(metric_names.ACK_LATENCY, (time.perf_counter() - started) * 1000, MetricUnit.Milliseconds)
