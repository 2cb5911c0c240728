"""The catalogue: valid schemas, unique names, the routes file names only known tools, `tools --json` output."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from office_assistant.domain.errors import RoutesFileError
from office_assistant.routes_file import load_route_book, parse_route_book
from office_assistant.settings import DEFAULT_ROUTES_FILE
from office_assistant.tools import LEGACY_TOOL_NAMES, TOOLS
from office_assistant.tools.catalogue import REQUIREMENTS
from office_assistant_local.cli import main


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_each_tool_has_a_valid_closed_schema_and_known_requirements(tool: object) -> None:
    from office_assistant.tools import ToolSpec

    assert isinstance(tool, ToolSpec)
    Draft202012Validator.check_schema(tool.parameters)
    assert tool.parameters["type"] == "object"
    assert tool.parameters["additionalProperties"] is False
    assert set(tool.requires) <= set(REQUIREMENTS)
    assert set(tool.replaces) <= set(LEGACY_TOOL_NAMES)
    assert len(tool.description) <= 1024 and tool.name.isidentifier() and len(tool.name) <= 64


def test_tool_names_are_unique() -> None:
    names = [tool.name for tool in TOOLS]

    assert len(names) == len(set(names))


def test_the_shipped_routes_file_names_only_known_tools_and_every_tool_is_on_some_route() -> None:
    book = load_route_book(DEFAULT_ROUTES_FILE)

    listed = {name for route in (book.default, *book.routes) for name in route.settings.tools}

    assert listed == {tool.name for tool in TOOLS}


def test_a_routes_file_naming_an_unknown_tool_is_refused() -> None:
    document = json.loads(DEFAULT_ROUTES_FILE.read_text(encoding="utf-8"))
    document["routes"][0]["settings"]["tools"] = ["set_mute", "rm_rf"]

    with pytest.raises(RoutesFileError, match=r"unknown tools \['rm_rf'\]"):
        parse_route_book(json.dumps(document))


@pytest.mark.usefixtures("cli_environment")
def test_tools_json_lists_every_tool_with_where_it_is_offered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tools", "--json"]) == 0

    entries = json.loads(capsys.readouterr().out)

    assert [e["name"] for e in entries] == [t.name for t in TOOLS]
    assert all({"name", "description", "platforms", "routes", "requires", "replaces"} <= set(e) for e in entries)
    odoo = next(e for e in entries if e["name"] == "odoo_create_record")
    assert odoo["routes"] == ["odoo_erp"] and odoo["replaces"] == ["odoo_create_record"]


def test_the_tools_together_cover_all_28_legacy_tool_names() -> None:
    covered = {name for tool in TOOLS for name in tool.replaces}

    assert len(LEGACY_TOOL_NAMES) == 28
    assert covered == set(LEGACY_TOOL_NAMES)


def test_reading_the_routes_file_imports_none_of_the_tools_libraries() -> None:
    """The route function reads the routes file (and so the tool names) on a layer without these libraries."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import office_assistant

    code = (
        "import sys; from office_assistant.routes_file import load_route_book; "
        "from office_assistant.settings import DEFAULT_ROUTES_FILE; load_route_book(DEFAULT_ROUTES_FILE); "
        "print(sorted(m for m in ('jsonschema', 'reportlab', 'readability', 'markdown_it') if m in sys.modules))"
    )

    source = str(Path(office_assistant.__file__).resolve().parents[1])  # this tree's src/, not an installed copy
    environment = {**os.environ, "PYTHONPATH": source}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)

    assert result.stdout.strip() == "[]"
