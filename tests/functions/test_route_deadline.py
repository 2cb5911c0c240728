"""The route handler gives its outside calls the time its Lambda invocation has left, and no more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap, deadline
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from office_assistant.workflow.payloads import WorkflowInput
from office_assistant.workflow.tasks import TASKS
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.wiring import handler_module
from tests.builders import a_message
from tests.fakes import HashingEmbedder

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    import numpy as np
    import numpy.typing as npt

ROUTE = next(task for task in TASKS if task.name == "route")


class NoMatch:
    def classify(self, embedding: Sequence[float]) -> tuple[str | None, float | None]:
        return None, None


class DeadlineProbe(HashingEmbedder):
    """Embeds as HashingEmbedder does and records the deadline an adapter sees while it embeds."""

    def __init__(self) -> None:
        self.seen: list[float | None] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.seen.append(deadline.remaining_s())
        return super().embed(texts)


@pytest.fixture
def probe() -> Iterator[DeadlineProbe]:
    probe = DeadlineProbe()
    settings = Settings(transcription_model="")
    bootstrap.configure(Container(settings, embedder=probe, classifier=NoMatch(), media_fetchers={}))
    yield probe
    bootstrap.reset()


def test_calls_inside_the_route_handler_end_before_its_lambda_does(probe: DeadlineProbe) -> None:
    route = handler_module(ROUTE)
    event: dict[str, Any] = WorkflowInput(message=a_message("where is the invoice?")).model_dump(mode="json")

    route.lambda_handler(event, LocalLambdaContext("route", timeout_s=12.0))

    (left,) = probe.seen
    assert left is not None
    assert 12.0 - route.RESERVE_S - 1.0 < left <= 12.0 - route.RESERVE_S  # what the context said, less the reserve
    assert deadline.remaining_s() is None  # the deadline ends with the invocation
