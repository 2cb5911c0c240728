"""The respond handler gives each model call the time its Lambda invocation has left, less what posting needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap, deadline
from office_assistant.workflow.tasks import TASKS
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.wiring import handler_module
from tests.fakes import RecordingChatModel
from tests.functions.test_step_bad_input import World, _good_respond_input

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.ports import ChatReply

RESPOND = next(task for task in TASKS if task.name == "respond")


class DeadlineProbe(RecordingChatModel):
    """Answers as RecordingChatModel does and records the time left that an adapter sees during each call."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[float | None] = []

    def complete(self, *args: Any, **kwargs: Any) -> ChatReply:
        self.seen.append(deadline.remaining_s())
        return super().complete(*args, **kwargs)


@pytest.fixture
def probe(local_aws: str) -> Iterator[DeadlineProbe]:
    probe = DeadlineProbe()
    bootstrap.configure(World(local_aws, model=probe).container)
    yield probe
    bootstrap.reset()


def test_model_calls_inside_the_respond_handler_end_before_its_lambda_does(probe: DeadlineProbe) -> None:
    respond = handler_module(RESPOND)

    respond.lambda_handler(_good_respond_input(), LocalLambdaContext("respond", timeout_s=87.0))

    assert probe.seen, "the model was called"
    for left in probe.seen:
        assert left is not None
        assert 87.0 - respond.RESERVE_S - 5.0 < left <= 87.0 - respond.RESERVE_S  # the context's time less the reserve
    assert deadline.remaining_s() is None  # the deadline ends with the invocation
