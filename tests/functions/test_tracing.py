"""Every function has a Powertools Tracer: off (and X-Ray SDK-free) outside Lambda, annotating X-Ray when on."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools import Tracer

from office_assistant import bootstrap, observability
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from office_assistant.workflow.payloads import RouteDecision, RouteOutput
from office_assistant.workflow.tasks import EMAIL, PROJECT_ROOT, TASKS, WEBHOOK
from office_assistant_local.engine.lambda_context import LocalLambdaContext
from office_assistant_local.wiring import handler_module
from tests.builders import a_message
from tests.fakes import InMemoryMessageStore

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

FUNCTIONS = (*TASKS, WEBHOOK, EMAIL)


class RecordingEmitter:
    """An X-Ray emitter that keeps the entities it is given instead of sending them to a daemon."""

    def __init__(self) -> None:
        self.entities: list[Any] = []

    def send_entity(self, entity: Any) -> None:
        self.entities.append(entity)

    def set_daemon_address(self, address: str | None) -> None:
        return None


@pytest.fixture
def history() -> Iterator[ModuleType]:
    """The History function's module, its container holding an in-memory store."""
    bootstrap.configure(Container(Settings(), store=InMemoryMessageStore()))
    yield handler_module(next(task for task in TASKS if task.name == "history"))
    bootstrap.reset()


def _history_event() -> dict[str, Any]:
    message = a_message(text="what did we decide about the budget?")
    route = RouteDecision(name="default", matched=None)
    return RouteOutput(message=message, route=route).model_dump(mode="json")


@pytest.mark.parametrize("task", FUNCTIONS, ids=lambda task: task.name)
def test_each_function_module_has_a_tracer_named_after_it(task: Any) -> None:
    tracer = handler_module(task).tracer
    assert isinstance(tracer, Tracer)
    assert tracer.service == task.name
    assert tracer.disabled  # not in Lambda
    assert isinstance(tracer.provider, observability.NoTracing)


def test_a_disabled_tracer_does_not_import_the_xray_sdk() -> None:
    modules = ", ".join(task.import_path for task in FUNCTIONS)
    code = f"import sys, {modules}; sys.exit('aws_xray_sdk.core' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)


def test_lambda_handler_works_with_tracing_disabled(history: ModuleType) -> None:
    result = history.lambda_handler(_history_event(), LocalLambdaContext(function_name="history"))
    assert result["degraded"] is False
    assert "window" in result


@contextmanager
def _tracing_on(tracer: Tracer, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingEmitter]:
    """Turn `tracer` on for the block, recording into one segment whose entities the emitter keeps."""
    from aws_xray_sdk import global_sdk_config
    from aws_xray_sdk.core.context import Context
    from aws_xray_sdk.core.recorder import AWSXRayRecorder

    emitter = RecordingEmitter()
    recorder = AWSXRayRecorder()
    recorder.configure(emitter=emitter, context=Context(), sampling=False)
    monkeypatch.setattr(tracer, "provider", recorder)
    monkeypatch.setattr(tracer, "disabled", False)
    was_enabled = global_sdk_config.sdk_enabled()
    global_sdk_config.set_sdk_enabled(True)
    try:
        recorder.begin_segment("workflow")
        yield emitter
        recorder.end_segment()
    finally:
        global_sdk_config.set_sdk_enabled(was_enabled)


def test_with_tracing_on_the_subsegment_carries_the_correlation_id_and_route(
    history: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _history_event()
    with _tracing_on(history.tracer, monkeypatch) as emitter:
        history.lambda_handler(event, LocalLambdaContext(function_name="history"))

    (segment,) = emitter.entities
    (subsegment,) = segment.subsegments
    message = event["message"]
    assert subsegment.name == "## lambda_handler"
    assert subsegment.annotations[observability.TRACE_CORRELATION_ID] == (
        f"{message['platform']}:{message['chat_id']}:{message['message_id']}"
    )
    assert subsegment.annotations[observability.TRACE_ROUTE] == "default"
    assert subsegment.annotations["Service"] == "history"
    assert "lambda_handler response" not in str(subsegment.metadata)  # replies and history stay out of X-Ray


def test_entry_point_annotates_the_route_the_step_decided_when_its_input_had_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aws_lambda_powertools import Logger

    logger, tracer = Logger(service="route"), Tracer(service="route", disabled=True)
    message = a_message(text="hi")
    routed = RouteOutput(message=message, route=RouteDecision(name="odoo_erp", matched="odoo_erp"))

    @observability.entry_point(logger, tracer)
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return routed.model_dump(mode="json")

    with _tracing_on(tracer, monkeypatch) as emitter:
        lambda_handler({"message": routed.model_dump(mode="json")["message"]}, LocalLambdaContext("route"))

    ((subsegment,),) = [segment.subsegments for segment in emitter.entities]
    assert subsegment.annotations[observability.TRACE_ROUTE] == "odoo_erp"
    assert subsegment.annotations[observability.TRACE_CORRELATION_ID] == message.key.correlation_id
    assert logger.get_correlation_id() == message.key.correlation_id
