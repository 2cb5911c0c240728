"""Init-time builds and the SnapStart hooks: called as Lambda's runtime calls them, against the Weaviate stand-in."""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import snapshot_restore_py

from office_assistant import bootstrap, snapstart
from office_assistant.bootstrap import Container
from office_assistant.settings import ENV_VARS, Settings
from office_assistant.workflow.payloads import HistoryOutput, RouteOutput
from office_assistant.workflow.tasks import PROJECT_ROOT
from office_assistant_local.standins.weaviate import WeaviateLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(autouse=True)
def fresh_container() -> Iterator[None]:
    bootstrap.reset()
    yield
    bootstrap.reset()


@pytest.fixture
def weaviate() -> Iterator[WeaviateLoopback]:
    with WeaviateLoopback() as server:
        yield server


@pytest.fixture
def hook_registry() -> Iterator[None]:
    """snapshot_restore_py's registries as the runtime reads them, emptied of what a test registered."""
    before = list(snapshot_restore_py.get_before_snapshot())
    after = list(snapshot_restore_py.get_after_restore())
    yield
    snapshot_restore_py.get_before_snapshot()[:] = before
    snapshot_restore_py.get_after_restore()[:] = after


def _weaviate_settings(weaviate: WeaviateLoopback, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        message_store="weaviate",
        weaviate_url=weaviate.url,
        weaviate_grpc_url=f"http://127.0.0.1:{weaviate.grpc_port}",
    )


def _meta_requests(weaviate: WeaviateLoopback) -> int:
    return sum(1 for request in weaviate.requests if request.path == "/v1/meta")


def test_build_builds_the_task_service_and_its_payload_models_in_the_warm_container(
    weaviate: WeaviateLoopback, tmp_path: Path
) -> None:
    bootstrap.configure(Container(_weaviate_settings(weaviate, tmp_path)))

    built = snapstart.build("history", (RouteOutput, HistoryOutput))

    assert built is True
    assert "history" in vars(bootstrap.services())
    assert _meta_requests(weaviate) == 1  # connected during the build, not on the first request
    assert RouteOutput.__pydantic_complete__ and HistoryOutput.__pydantic_complete__


def test_build_logs_and_forgets_the_container_when_the_service_cannot_be_built_yet(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unconfigured = Container(Settings(data_dir=tmp_path, message_store="weaviate"))  # no Weaviate url yet
    bootstrap.configure(unconfigured)

    with caplog.at_level(logging.WARNING, logger="office_assistant.snapstart"):
        built = snapstart.build("history")

    assert built is False
    assert "could not build the history service during init" in caplog.text
    assert bootstrap.services() is not unconfigured


def test_prepare_does_nothing_outside_lambda(
    weaviate: WeaviateLoopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook_registry: None
) -> None:
    monkeypatch.delenv(snapstart.LAMBDA_FUNCTION_NAME_ENV, raising=False)
    bootstrap.configure(Container(_weaviate_settings(weaviate, tmp_path)))
    hooks_before = len(snapshot_restore_py.get_after_restore())

    snapstart.prepare("history", RouteOutput)

    assert "history" not in vars(bootstrap.services())
    assert _meta_requests(weaviate) == 0
    assert len(snapshot_restore_py.get_after_restore()) == hooks_before


def test_snapshot_and_restore_hooks_close_the_clients_then_reconnect_and_reseed(
    weaviate: WeaviateLoopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook_registry: None
) -> None:
    # GIVEN a function prepared in Lambda's init phase
    monkeypatch.setenv(snapstart.LAMBDA_FUNCTION_NAME_ENV, "history")
    settings = _weaviate_settings(weaviate, tmp_path)
    bootstrap.configure(Container(settings))
    snapstart.prepare("history", RouteOutput, HistoryOutput)
    before = bootstrap.services()
    store_before = before.store
    random.seed(1234)
    same_seed_draw = random.random()
    random.seed(1234)

    # WHEN the runtime snapshots it (the hooks as registered) and restores it
    for hook, args, kwargs in snapshot_restore_py.get_before_snapshot():
        hook(*args, **kwargs)
    closed = not store_before.client.is_connected()  # type: ignore[attr-defined]
    bootstrap.configure(Container(settings))  # the restored environment reads the same environment variables
    for hook, args, kwargs in snapshot_restore_py.get_after_restore():
        hook(*args, **kwargs)

    # THEN the snapshot held no open client, and the restored function has new ones, connected again
    after = bootstrap.services()
    assert closed
    assert after is not before
    assert "history" in vars(after)
    assert after.store is not store_before
    assert after.store.client.is_connected()  # type: ignore[attr-defined]
    assert _meta_requests(weaviate) == 2
    assert after.history.window("slack:C1", None, "m1").verbatim == ()
    assert random.random() != same_seed_draw


def test_before_snapshot_forgets_the_container_with_its_cached_secrets(tmp_path: Path) -> None:
    from aws_lambda_powertools.utilities import parameters

    parameters.base.DEFAULT_PROVIDERS["secrets"] = object()  # what Powertools keeps between invocations
    warm = Container(Settings(data_dir=tmp_path))
    bootstrap.configure(warm)

    snapstart.before_snapshot()

    assert parameters.base.DEFAULT_PROVIDERS == {}
    assert bootstrap.services() is not warm


def _import_in_lambda(tmp_path: Path, function_name: str | None) -> str:
    code = (
        "import functions.history.handler\n"
        "from office_assistant import bootstrap\n"
        "print('history' in vars(bootstrap.services()))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("OA_")}
    env.pop(snapstart.LAMBDA_FUNCTION_NAME_ENV, None)
    env[ENV_VARS["data_dir"]] = str(tmp_path)
    if function_name:
        env[snapstart.LAMBDA_FUNCTION_NAME_ENV] = function_name
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_a_handler_module_builds_its_service_at_import_only_in_lambda(tmp_path: Path) -> None:
    in_lambda = _import_in_lambda(tmp_path, "office-assistant-history")
    elsewhere = _import_in_lambda(tmp_path, None)

    assert in_lambda == "True"
    assert elsewhere == "False"
