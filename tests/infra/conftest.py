"""Synthesise the CDK app once per session, offline: no AWS credentials, no network, no Docker, no pip.

The app runs with cdk.json's own context plus `bundling=skip` (the layer is the stub folder). Dummy values for
every secret setting sit in the environment while it synthesises, so the tests can prove none of them leaks.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.settings import ENV_VARS
from office_assistant.workflow.tasks import PROJECT_ROOT

INFRA_DIR = PROJECT_ROOT / "infra"
if str(INFRA_DIR) not in sys.path:
    sys.path.insert(0, str(INFRA_DIR))  # `python infra/app.py` has infra/ on its path the same way

from aws_cdk.assertions import Template  # noqa: E402

if TYPE_CHECKING:
    from assistant_infra import AssistantStack

SECRET_SETTINGS = (
    "slack_signing_secret",
    "slack_bot_token",
    "telegram_bot_token",
    "telegram_secret_token",
    "openai_api_key",
    "odoo_password",
)
DUMMY_SECRETS: dict[str, str] = {ENV_VARS[field]: f"dummy-{field}-7c1e9a" for field in SECRET_SETTINGS}


@dataclass(frozen=True)
class Synthesised:
    """One synthesis of the app: the stack object, its template, and the cloud assembly folder."""

    stack: AssistantStack
    template: Template
    template_json: dict[str, Any]
    assembly_dir: Path

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.template_json["Resources"]
        return resources

    def logical_id(self, construct: Any) -> str:
        """Logical id of an L2 construct's CloudFormation resource (or of an L1 resource itself)."""
        element = getattr(construct.node, "default_child", None) or construct
        logical_id: str = self.stack.resolve(self.stack.get_logical_id(element))
        return logical_id

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {key: value for key, value in self.resources.items() if value["Type"] == resource_type}

    def nag_report(self) -> list[dict[str, str]]:
        reports = list(self.assembly_dir.glob("AwsSolutions-*NagReport.csv"))
        assert len(reports) == 1, f"expected one AwsSolutions report, found {reports}"
        with reports[0].open(newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))


def synthesise(outdir: Path, **extra_context: str) -> Synthesised:
    """Build and synthesise the app as the CDK CLI would, with cdk.json's context and `extra_context`."""
    from app import STACK_NAME, build_app

    context = json.loads((PROJECT_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    app = build_app(context={**context, "bundling": "skip", **extra_context}, outdir=str(outdir))
    assembly = app.synth()
    artifact = assembly.get_stack_by_name(STACK_NAME)
    template_json = json.loads(Path(artifact.template_full_path).read_text(encoding="utf-8"))
    stack = app.node.find_child(STACK_NAME)
    return Synthesised(stack, Template.from_json(template_json), template_json, Path(assembly.directory))


@pytest.fixture(scope="session")
def synthesised(tmp_path_factory: pytest.TempPathFactory) -> Synthesised:
    """The app synthesised once (about 8 s), with dummy secrets in the environment only while it runs."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in DUMMY_SECRETS.items():
            patch.setenv(name, value)
        return synthesise(tmp_path_factory.mktemp("cdk.out"))
