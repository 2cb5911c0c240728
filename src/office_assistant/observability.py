"""Correlation ids and CloudWatch EMF metrics for the handlers, with the names from `metric_names`.

Correlation: every workflow handler logs with the correlation id ``<platform>:<chat>:<message id>`` (the same
triple that keys Respond's idempotency record) and the key ``execution``, the Step Functions execution name,
which intake derives from the same message (`MessageKey.execution_name`), so one search finds every log
line of a message across the webhook, all steps and any duplicate execution.

Metrics are flushed as one EMF document per call (Powertools ``EphemeralMetrics``: no shared buffer across warm
invocations or threads), without a ``service`` dimension; ``POWERTOOLS_METRICS_DISABLED=true`` silences them
(local CLI runs set it).

Tracing: every handler module has a Powertools ``Tracer`` from `tracer` and a ``Logger``, and decorates its
``lambda_handler`` with `entry_point`, which injects the Lambda context and the correlation id into the logger,
wraps the handler in ``capture_lambda_handler`` and annotates the invocation's subsegment with the correlation id
and the route (`annotate_trace`), so X-Ray can be searched by message. Outside Lambda, or with
``POWERTOOLS_TRACE_DISABLED=true``, the tracer is disabled and runs on a no-op provider: the X-Ray SDK is then
never imported (importing ``aws_xray_sdk.core`` builds a botocore X-Ray client for sampling, about half a second).
"""

from __future__ import annotations

import functools
import os
import time
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit
from aws_lambda_powertools.shared import constants
from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from office_assistant import metric_names
from office_assistant.domain.messages import CORRELATION_ID_PATH as CORRELATION_ID_PATH

if TYPE_CHECKING:
    import numbers
    import traceback
    from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence

    from aws_lambda_powertools import Logger, Tracer

    from office_assistant.domain.messages import InboundMessage

ROUTES = "Routes"
"""Count per answered message, with dimension ``ROUTE_DIMENSION`` (not on the dashboard yet)."""
ROUTE_DIMENSION = "Route"

TRACE_CORRELATION_ID = "correlation_id"
"""X-Ray annotation (indexed, searchable): the invocation's correlation id, as `CORRELATION_ID_PATH` builds it."""
TRACE_ROUTE = "route"
"""X-Ray annotation: the route the message takes (absent while Route has not decided, or when it failed)."""
TRACED_MODULES: tuple[str, ...] = ("botocore",)
"""Libraries the X-Ray SDK patches by default when tracing is on: every AWS call becomes a subsegment. Not
``patch_all``, which imports every supported library that happens to be installed. Patching botocore imports
``botocore.client`` (about 0.1 s in Lambda), so a function that makes no AWS call passes ``patch_modules=()``."""

F = TypeVar("F", bound="Callable[..., Any]")
LambdaHandler = TypeVar("LambdaHandler", bound="Callable[[dict[str, Any], Any], dict[str, Any]]")


def correlation_keys(message: InboundMessage) -> dict[str, str]:
    """Keys every log line of a message carries (ids only, never text)."""
    key = message.key
    return {"platform": key.platform.value, "message_id": key.message_id, "execution": key.execution_name}


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


def tracing_disabled() -> bool:
    """Powertools' rule: no tracing outside Lambda, under SAM or Chalice local, or with POWERTOOLS_TRACE_DISABLED."""
    if resolve_truthy_env_var_choice(env=os.getenv(constants.TRACER_DISABLED_ENV, "false")):
        return True
    in_lambda = bool(os.getenv(constants.LAMBDA_TASK_ROOT_ENV))
    emulated = bool(os.getenv(constants.SAM_LOCAL_ENV) or os.getenv(constants.CHALICE_LOCAL_ENV))
    return not in_lambda or emulated


def tracer(service: str, patch_modules: Sequence[str] | None = None) -> Tracer:
    """The Powertools Tracer of one function, named after it; disabled ones never import the X-Ray SDK.

    `patch_modules`: the libraries to instrument, `TRACED_MODULES` when None; ``()`` patches nothing.
    """
    from aws_lambda_powertools import Tracer

    if tracing_disabled():
        return Tracer(service=service, disabled=True, provider=NoTracing())
    modules = list(TRACED_MODULES if patch_modules is None else patch_modules)
    return Tracer(service=service, auto_patch=bool(modules), patch_modules=modules or None)


def route_name(payload: Mapping[str, Any]) -> str | None:
    """The route name in a workflow step's input or Route's output, without validating it (None: not decided)."""
    route = payload.get("route")
    name = route.get("name") if isinstance(route, dict) else None
    return name if isinstance(name, str) else None


def annotate_trace(tracer: Tracer, correlation_id: str | None, route: str | None = None) -> None:
    """Put the correlation id and the route on the invocation's X-Ray subsegment (nothing when tracing is off)."""
    if tracer.disabled:
        return
    if correlation_id:
        tracer.put_annotation(TRACE_CORRELATION_ID, correlation_id)
    if route:
        tracer.put_annotation(TRACE_ROUTE, route)


def entry_point(
    logger: Logger, tracer: Tracer, correlation_id_path: str | None = CORRELATION_ID_PATH
) -> Callable[[LambdaHandler], LambdaHandler]:
    """Decorate a function's ``lambda_handler``: the Powertools boilerplate every entry point shares.

    The logger gets the Lambda context and, for workflow steps, the message's correlation id
    (`correlation_id_path`; None for the webhook, whose event is an HTTP request); the tracer captures the
    invocation without its response (message text stays out of X-Ray); the subsegment is annotated with the
    correlation id and the route: the input's, or the output's where the step (Route) decides it.
    """

    def decorate(handler: LambdaHandler) -> LambdaHandler:
        @functools.wraps(handler)
        def annotated(event: dict[str, Any], context: Any) -> dict[str, Any]:
            given_route = route_name(event)
            annotate_trace(tracer, logger.get_correlation_id(), given_route)
            output = handler(event, context)
            if given_route is None:
                annotate_trace(tracer, None, route_name(output))
            return output

        traced = tracer.capture_lambda_handler(annotated, capture_response=False)
        if correlation_id_path is None:
            return logger.inject_lambda_context(traced)  # type: ignore[return-value]
        return logger.inject_lambda_context(traced, correlation_id_path=correlation_id_path)  # type: ignore[return-value]

    return decorate


class NoSegment(BaseSegment):
    """The segment a disabled tracer hands out: it records nothing."""

    def close(self, end_time: int | None = None) -> None:
        return None

    def add_subsegment(self, subsegment: Any) -> None:
        return None

    def remove_subsegment(self, subsegment: Any) -> None:
        return None

    def put_annotation(self, key: str, value: str | numbers.Number | bool) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def add_exception(
        self, exception: BaseException, stack: list[traceback.StackSummary], remote: bool = False
    ) -> None:
        return None


class NoTracing(BaseProvider):
    """The provider of a disabled Tracer: Powertools would otherwise import the X-Ray SDK even to stay disabled."""

    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Iterator[BaseSegment]:
        yield NoSegment()

    @asynccontextmanager
    async def in_subsegment_async(self, name: str | None = None, **kwargs: Any) -> AsyncIterator[BaseSegment]:
        yield NoSegment()

    def put_annotation(self, key: str, value: str | numbers.Number | bool) -> None:
        return None

    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None:
        return None

    def patch(self, modules: Sequence[str]) -> None:
        return None

    def patch_all(self) -> None:
        return None
