"""A variable the template forgot, and a reference the rehearsal cannot resolve, fail with a clear message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from office_assistant.workflow.payloads import RouteOutput
from office_assistant.workflow.tasks import FUNCTIONS_DIR, TASKS
from office_assistant_local.rehearsal.artifacts import Artifacts, FunctionArtifact, layer_path
from office_assistant_local.rehearsal.run import Rehearsal, RehearsalError
from office_assistant_local.rehearsal.template_env import UnresolvedValueError, function_environment
from tests.builders import a_message

if TYPE_CHECKING:
    from pathlib import Path

HISTORY = next(task for task in TASKS if task.name == "history")


def test_references_resolve_to_the_local_resources_and_an_unknown_one_names_the_variable() -> None:
    resolved = {"StateTable": "rehearsal-statetable", "Secret": "arn:aws:secretsmanager:...:secret:x"}
    variables = {"OA_STATE_TABLE": {"Ref": "StateTable"}, "OA_PII": "off", "OA_X_SECRET_ID": {"Ref": "Secret"}}

    environment = function_environment(variables, resolved, "respond")

    assert environment == {
        "OA_STATE_TABLE": "rehearsal-statetable",
        "OA_PII": "off",
        "OA_X_SECRET_ID": "arn:aws:secretsmanager:...:secret:x",
    }
    with pytest.raises(UnresolvedValueError, match=r"respond's OA_QUEUE is \{'Ref': 'Queue'\}"):
        function_environment({"OA_QUEUE": {"Ref": "Queue"}}, resolved, "respond")


def test_the_history_function_without_its_weaviate_secret_fails_the_rehearsal_naming_the_setting(
    tmp_path: Path, interpreter: Path, runtime_dir: Path
) -> None:
    """The real handler on the real core layer, given the template's variables minus OA_WEAVIATE_SECRET_ID."""
    layer = layer_path("core")
    if not layer.exists():
        pytest.skip(f"the core layer for this source is not built ({layer}): run `office-assistant rehearse`")
    forgot = {"OA_MESSAGE_STORE": "weaviate", "OA_EMBEDDINGS": "openai", "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    artifact = FunctionArtifact(
        name="history",
        logical_id="HistoryFunction",
        handler=HISTORY.handler,
        code_dir=FUNCTIONS_DIR / HISTORY.folder,
        layer="core",
        environment=dict(forgot),
        memory_mb=512,
        timeout_s=30,
    )
    artifacts = Artifacts({"history": artifact}, {"core": layer}, runtime_dir, interpreter, {}, tmp_path)
    rehearsal = Rehearsal(artifacts, tmp_path, say=lambda _: None)
    (sandbox,) = rehearsal.sandboxes({}, {}).values()
    event = RouteOutput(message=a_message("hi")).model_dump(mode="json")
    try:
        rehearsal.start(sandbox)
        invocation = rehearsal.invoke("history", event)
    finally:
        rehearsal.stop()

    assert invocation.error is not None
    (failure,) = rehearsal.failures
    assert failure.startswith("history: ValueError: message_store is weaviate but no Weaviate url is configured")


def test_a_function_that_cannot_start_fails_the_rehearsal_with_its_import_error_and_log(
    tmp_path: Path, interpreter: Path, runtime_dir: Path
) -> None:
    code = tmp_path / "task"
    code.mkdir()
    (code / "handler.py").write_text("import semantic_router\n\ndef lambda_handler(event, context):\n    return 1\n")
    (tmp_path / "core" / "python").mkdir(parents=True)
    artifact = FunctionArtifact("route", "RouteFunction", "handler.lambda_handler", code, "core", {}, 512, 10)
    artifacts = Artifacts({"route": artifact}, {"core": tmp_path / "core"}, runtime_dir, interpreter, {}, tmp_path)
    rehearsal = Rehearsal(artifacts, tmp_path, say=lambda _: None)
    (sandbox,) = rehearsal.sandboxes({}, {}).values()

    with pytest.raises(
        RehearsalError, match=r"route failed to initialise: Runtime\.ImportModuleError: .*semantic_router"
    ):
        rehearsal.start(sandbox)
