"""The app as the CDK CLI runs it: cdk.json, one stack, and cdk-nag's AwsSolutions checks passing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from assistant_infra.layer import BUNDLING_CONTEXT_KEY

from office_assistant.workflow.tasks import PROJECT_ROOT

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def test_cdk_json_runs_infra_app_and_builds_the_real_layer_by_default() -> None:
    config = json.loads((PROJECT_ROOT / "cdk.json").read_text(encoding="utf-8"))

    assert config["app"].split()[-1] == "infra/app.py"
    assert (PROJECT_ROOT / config["app"].split()[-1]).is_file()
    assert BUNDLING_CONTEXT_KEY not in config["context"]


def test_cdk_nag_ran_on_the_stack(synthesised: Synthesised) -> None:
    rules = {row["Rule ID"] for row in synthesised.nag_report()}

    assert {
        "AwsSolutions-IAM5",
        "AwsSolutions-SF1",
        "AwsSolutions-SF2",
        "AwsSolutions-DDB3",
        "AwsSolutions-S10",
    } <= rules


def test_cdk_nag_finds_no_unsuppressed_problem(synthesised: Synthesised) -> None:
    report = synthesised.nag_report()

    open_findings = [row for row in report if row["Compliance"] not in {"Compliant", "Suppressed"}]

    assert open_findings == []


def test_every_cdk_nag_suppression_gives_a_written_reason(synthesised: Synthesised) -> None:
    suppressed = [row for row in synthesised.nag_report() if row["Compliance"] == "Suppressed"]

    unexplained = [row for row in suppressed if len(row["Exception Reason"].split()) < 8]

    assert suppressed
    assert unexplained == []


def test_synthesis_reports_no_error_annotation(synthesised: Synthesised) -> None:
    manifest = json.loads((synthesised.assembly_dir / "manifest.json").read_text(encoding="utf-8"))

    errors = [
        entry
        for artifact in manifest["artifacts"].values()
        for entries in artifact.get("metadata", {}).values()
        for entry in entries
        if entry["type"] == "aws:cdk:error"
    ]

    assert errors == []
