"""The tracing helpers in `observability`: when tracing is on, what a tracer is built on, what it annotates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from aws_lambda_powertools import Tracer

from office_assistant import observability

if TYPE_CHECKING:
    from collections.abc import Iterator

TRACING_ENV = ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED", "AWS_SAM_LOCAL", "AWS_CHALICE_CLI_MODE")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in TRACING_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def fresh_tracer_config() -> Iterator[None]:
    """Powertools keeps Tracer settings on the class; start and leave with its defaults."""
    Tracer._reset_config()
    yield
    Tracer._reset_config()


@pytest.mark.parametrize(
    ("variables", "disabled"),
    [
        ({}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task"}, False),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "false"}, False),
        ({"LAMBDA_TASK_ROOT": "/var/task", "AWS_SAM_LOCAL": "true"}, True),
    ],
)
def test_tracing_is_on_only_in_lambda_unless_disabled(
    env: pytest.MonkeyPatch, variables: dict[str, str], disabled: bool
) -> None:
    for name, value in variables.items():
        env.setenv(name, value)
    assert observability.tracing_disabled() is disabled


def test_outside_lambda_the_tracer_is_disabled_on_the_no_op_provider(
    env: pytest.MonkeyPatch, fresh_tracer_config: None
) -> None:
    tracer = observability.tracer("history")
    assert tracer.disabled
    assert tracer.service == "history"
    assert isinstance(tracer.provider, observability.NoTracing)
    with tracer.provider.in_subsegment(name="## handler") as subsegment:
        subsegment.put_annotation("key", "value")


def test_in_lambda_the_tracer_is_on_with_the_xray_recorder(env: pytest.MonkeyPatch, fresh_tracer_config: None) -> None:
    env.setenv("LAMBDA_TASK_ROOT", "/var/task")
    env.setattr(observability, "TRACED_MODULES", ())  # patching botocore would outlive the test
    tracer = observability.tracer("respond")
    from aws_xray_sdk.core import xray_recorder

    assert not tracer.disabled
    assert tracer.service == "respond"
    assert tracer.provider is xray_recorder


def test_in_lambda_a_tracer_patches_the_modules_it_is_given(env: pytest.MonkeyPatch, fresh_tracer_config: None) -> None:
    env.setenv("LAMBDA_TASK_ROOT", "/var/task")
    patched: list[object] = []
    env.setattr(Tracer, "patch", lambda self, modules=None: patched.append(modules))
    observability.tracer("auxiliary")
    observability.tracer("history", patch_modules=())
    assert patched == [list(observability.TRACED_MODULES)]


def test_route_name_reads_the_route_of_a_step_payload() -> None:
    assert observability.route_name({"route": {"name": "erp", "matched": "erp"}}) == "erp"
    assert observability.route_name({"route": None}) is None
    assert observability.route_name({}) is None


def test_a_disabled_tracer_gets_no_annotations(env: pytest.MonkeyPatch, fresh_tracer_config: None) -> None:
    tracer = observability.tracer("history")
    calls: list[tuple[str, object]] = []
    env.setattr(tracer.provider, "put_annotation", lambda key, value: calls.append((key, value)))
    observability.annotate_trace(tracer, "slack:C1:1.0", "default")
    assert calls == []
