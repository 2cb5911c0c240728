"""The functions: one per task plus the webhook, arm64 on the newest usable Python, sized, traced, configured."""

from __future__ import annotations

import re
from importlib import metadata
from typing import TYPE_CHECKING, Any

import pytest
from assistant_infra.functions import LIVE_ALIAS, SNAP_START
from assistant_infra.lambda_platform import RUNTIME
from assistant_infra.layer import layer_group_for, layer_requirements
from assistant_infra.runtime_env import DEPLOYED_ADAPTERS
from aws_cdk import aws_lambda as lambda_
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from office_assistant.metric_names import NAMESPACE
from office_assistant.settings import ENV_VARS, LAMBDA_PROCESS_ENV
from office_assistant.workflow.tasks import EMAIL, TASKS, WEBHOOK
from tests.infra.conftest import synthesise

if TYPE_CHECKING:
    from pathlib import Path

    from tests.infra.conftest import Synthesised

ALL_TASKS = (*TASKS, WEBHOOK, EMAIL)
MESSAGE_PATH = (*TASKS, WEBHOOK)  # the email source is a queue consumer: no one waits on its cold start


def _function(synthesised: Synthesised, name: str) -> dict[str, Any]:
    properties: dict[str, Any] = synthesised.resources[
        synthesised.logical_id(synthesised.stack.functions[name].function)
    ]["Properties"]
    return properties


def _python_runtimes() -> list[tuple[Version, lambda_.Runtime]]:
    found = []
    for attribute in dir(lambda_.Runtime):
        match = re.fullmatch(r"PYTHON_3_(\d+)", attribute)
        if match:
            found.append((Version(f"3.{match.group(1)}"), getattr(lambda_.Runtime, attribute)))
    return sorted(found, key=lambda pair: pair[0])


def test_there_is_one_function_per_task_and_one_for_the_webhook(synthesised: Synthesised) -> None:
    functions = synthesised.of_type("AWS::Lambda::Function")

    handlers = sorted(function["Properties"]["Handler"] for function in functions.values())

    assert len(functions) == len(ALL_TASKS)
    assert handlers == sorted(task.handler for task in ALL_TASKS)


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda task: task.name)
def test_function_runs_on_arm64_with_the_chosen_python_runtime_and_the_shared_layer(
    synthesised: Synthesised, task: Any
) -> None:
    properties = _function(synthesised, task.name)

    layers = properties["Layers"]

    assert properties["Architectures"] == ["arm64"]
    assert properties["Runtime"] == RUNTIME.name
    assert len(layers) == 1
    layer = synthesised.resources[layers[0]["Ref"]]
    assert layer["Type"] == "AWS::Lambda::LayerVersion"
    assert layer["Properties"]["Description"] == layer_group_for(task.name).description


def test_runtime_is_the_newest_python_that_cdk_knows_and_the_layer_dependencies_allow() -> None:
    allowed = []
    for requirement in layer_requirements():
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)  # type: ignore[union-attr]
        requires_python = metadata.metadata(name).get("Requires-Python")
        allowed.append(SpecifierSet(requires_python or ""))

    usable = [runtime for version, runtime in _python_runtimes() if all(version in spec for spec in allowed)]

    assert usable[-1].name == RUNTIME.name


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda task: task.name)
def test_function_is_traced_sized_and_logs_to_its_own_log_group_with_retention(
    synthesised: Synthesised, task: Any
) -> None:
    properties = _function(synthesised, task.name)

    log_group = synthesised.resources[properties["LoggingConfig"]["LogGroup"]["Ref"]]

    assert properties["TracingConfig"] == {"Mode": "Active"}
    assert 512 <= properties["MemorySize"] <= 3008
    assert 1 <= properties["Timeout"] <= 90
    assert log_group["Type"] == "AWS::Logs::LogGroup"
    assert log_group["Properties"]["RetentionInDays"] > 0


def test_webhook_timeout_stays_under_the_http_api_integration_limit(synthesised: Synthesised) -> None:
    properties = _function(synthesised, WEBHOOK.name)

    assert properties["Timeout"] <= 29


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda task: task.name)
def test_function_reads_only_declared_settings_and_emits_metrics_to_the_assistant_namespace(
    synthesised: Synthesised, task: Any
) -> None:
    variables = _function(synthesised, task.name)["Environment"]["Variables"]

    assert {name for name in variables if name.startswith("OA_")} <= set(ENV_VARS.values())
    assert {name: variables.get(name) for name in LAMBDA_PROCESS_ENV} == LAMBDA_PROCESS_ENV
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == NAMESPACE
    assert "POWERTOOLS_SERVICE_NAME" not in variables  # it would add a `service` dimension to every metric


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda task: task.name)
def test_function_uses_the_production_store_and_embeddings_not_the_embedded_defaults(
    synthesised: Synthesised, task: Any
) -> None:
    variables = _function(synthesised, task.name)["Environment"]["Variables"]

    assert variables[ENV_VARS["message_store"]] == "weaviate"
    assert variables[ENV_VARS["embeddings"]] == "openai"
    assert {field: variables[ENV_VARS[field]] for field in DEPLOYED_ADAPTERS} == DEPLOYED_ADAPTERS


def test_only_the_webhook_and_the_email_source_know_the_state_machine(synthesised: Synthesised) -> None:
    state_machine = synthesised.logical_id(synthesised.stack.workflow.state_machine)

    holders = [
        task.name
        for task in ALL_TASKS
        if ENV_VARS["state_machine_arn"] in _function(synthesised, task.name)["Environment"]["Variables"]
    ]

    assert holders == [WEBHOOK.name, EMAIL.name]
    for name in holders:
        variables = _function(synthesised, name)["Environment"]["Variables"]
        assert variables[ENV_VARS["state_machine_arn"]] == {"Ref": state_machine}


def _substitutions(synthesised: Synthesised) -> dict[str, Any]:
    machine = next(iter(synthesised.of_type("AWS::StepFunctions::StateMachine").values()))
    substitutions: dict[str, Any] = machine["Properties"]["DefinitionSubstitutions"]
    return substitutions


def _webhook_integration_uri(synthesised: Synthesised) -> Any:
    (integration,) = synthesised.of_type("AWS::ApiGatewayV2::Integration").values()
    return integration["Properties"]["IntegrationUri"]


@pytest.mark.parametrize("task", MESSAGE_PATH, ids=lambda task: task.name)
def test_message_path_function_uses_snap_start_and_is_invoked_through_its_live_alias(
    synthesised: Synthesised, task: Any
) -> None:
    built = synthesised.stack.functions[task.name]
    invoked_by = _substitutions(synthesised).get(task.placeholder) or _webhook_integration_uri(synthesised)

    alias = synthesised.resources[synthesised.logical_id(built.alias)]

    assert task.name in SNAP_START
    assert _function(synthesised, task.name)["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert alias["Properties"]["Name"] == LIVE_ALIAS
    assert invoked_by == {"Ref": synthesised.logical_id(built.alias)}


def test_every_function_is_invoked_unqualified_when_snap_start_is_switched_off(tmp_path: Path) -> None:
    synthesised = synthesise(tmp_path, snapStart="off")
    functions = synthesised.stack.functions
    substitutions = _substitutions(synthesised)

    unqualified = {
        task.placeholder: {"Fn::GetAtt": [synthesised.logical_id(functions[task.name].function), "Arn"]}
        for task in TASKS
    }

    assert [name for name, built in functions.items() if built.alias is not None] == []
    assert [name for name in functions if "SnapStart" in _function(synthesised, name)] == []
    assert {placeholder: substitutions[placeholder] for placeholder in unqualified} == unqualified
    assert _webhook_integration_uri(synthesised) == {
        "Fn::GetAtt": [synthesised.logical_id(functions[WEBHOOK.name].function), "Arn"]
    }
    assert synthesised.of_type("AWS::Lambda::Version") == {}


def test_versions_are_deleted_once_their_alias_has_moved_on(synthesised: Synthesised) -> None:
    versions = synthesised.of_type("AWS::Lambda::Version")

    policies = {(version["DeletionPolicy"], version["UpdateReplacePolicy"]) for version in versions.values()}

    assert len(versions) == len(MESSAGE_PATH)
    assert policies == {("Delete", "Delete")}
    assert EMAIL.name not in SNAP_START


def test_pii_redaction_is_off_unless_deployed_with_the_pii_context(synthesised: Synthesised) -> None:
    for name in ("route", "respond"):
        assert ENV_VARS["pii"] not in _function(synthesised, name)["Environment"]["Variables"]


def test_pii_context_reaches_route_and_respond_only(tmp_path: Path) -> None:
    synthesised = synthesise(tmp_path, pii="chats", piiChats="slack:C0123,telegram:-10042")

    configured = {
        task.name: (variables.get(ENV_VARS["pii"]), variables.get(ENV_VARS["pii_chats"]))
        for task in ALL_TASKS
        for variables in [_function(synthesised, task.name)["Environment"]["Variables"]]
    }

    assert configured.pop("route") == ("chats", "slack:C0123,telegram:-10042")
    assert configured.pop("respond") == ("chats", "slack:C0123,telegram:-10042")
    assert set(configured.values()) == {(None, None)}
