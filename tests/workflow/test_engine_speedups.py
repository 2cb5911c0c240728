"""The local engine's two speed-ups inside moto: one parsed program per definition, and a JSON-value copier."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from office_assistant_local.engine import run_state_machine, runner
from office_assistant_local.engine.runner import _JsonCopy


def _definition(comment: str) -> dict[str, Any]:
    return {
        "Comment": comment,
        "StartAt": "Shape",
        "States": {
            "Shape": {
                "Type": "Pass",
                "Parameters": {"vector.$": "$.vector", "nested": {"items.$": "$.items"}},
                "ResultPath": "$.shaped",
                "Next": "Both",
            },
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Result": {"ok": True}, "End": True}}},
                ],
                "End": True,
            },
        },
    }


def test_json_values_are_copied_equal_and_unshared() -> None:
    value = {"a": [1, 2.5, "x", None, True, {"b": [0.1] * 3}], "c": {}}
    copied = _JsonCopy.deepcopy(value)
    assert copied == value
    assert copied is not value
    assert copied["a"] is not value["a"]
    assert copied["a"][5]["b"] is not value["a"][5]["b"]


def test_anything_else_goes_to_copy_deepcopy() -> None:
    started = datetime(2026, 1, 1, tzinfo=UTC)
    value = {"when": started, "pair": (1, [2])}
    copied = _JsonCopy.deepcopy(value)
    assert copied == copy.deepcopy(value)
    assert copied["pair"][1] is not value["pair"][1]


def test_a_definition_is_parsed_once_and_its_program_serves_every_execution(monkeypatch: Any) -> None:
    from moto.stepfunctions.parser.asl.parse import asl_parser

    runner.install_lambda_dispatch()
    parses: list[str] = []
    original = asl_parser.AmazonStateLanguageParser.parse

    def counting_parse(definition: str) -> Any:
        parses.append(definition)
        return original(definition)

    monkeypatch.setattr(asl_parser.AmazonStateLanguageParser, "parse", staticmethod(counting_parse))
    definition = _definition("parsed once: a text no other test uses")
    outputs = [run_state_machine(definition, {}, {"vector": [n, 0.5], "items": [{"n": n}]}).output for n in range(3)]
    assert outputs == [
        [
            {"vector": [n, 0.5], "items": [{"n": n}], "shaped": {"vector": [n, 0.5], "nested": {"items": [{"n": n}]}}},
            {"ok": True},
        ]
        for n in range(3)
    ]
    # validation when the state machine is created, then one parse for all three executions
    assert len(parses) == 2
