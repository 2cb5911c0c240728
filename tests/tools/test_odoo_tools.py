"""The Odoo tools with the real OdooClient (httpx, JSON-RPC session) against the loopback Odoo and its /api routes.

Each writing tool is called with exactly the arguments its schema names (the legacy update and delete schemas did
not match their functions), and each write happens once per message and record when Respond is retried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from office_assistant.adapters.erp import OdooClient
from office_assistant_local.standins.odoo import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, OdooLoopback
from tests.builders import a_message
from tests.tools.conftest import plain_ports, run, toolset

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.tools import ToolPorts, ToolSet

ODOO_TOOLS = (
    "odoo_models",
    "odoo_search_records",
    "odoo_find_products",
    "odoo_print_record",
    "odoo_create_record",
    "odoo_update_record",
    "odoo_post_record",
    "odoo_delete_record",
)
ALL_WRITES = frozenset({"create", "update", "post", "delete"})


@pytest.fixture
def odoo() -> Iterator[OdooLoopback]:
    with OdooLoopback() as server:
        yield server


def _ports(odoo: OdooLoopback, writes: frozenset[str] = ALL_WRITES) -> ToolPorts:
    erp = OdooClient(httpx.Client(timeout=5.0), odoo.url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD)
    return plain_ports(erp=erp, erp_writes=writes)


def _tools(odoo: OdooLoopback, **message: Any) -> ToolSet:
    return toolset(_ports(odoo), *ODOO_TOOLS, message=a_message(**message))


def test_odoo_models_lists_the_map_and_one_models_fields(odoo: OdooLoopback) -> None:
    tools = _tools(odoo)

    listing = run(tools, "odoo_models", {})["result"]
    partner = run(tools, "odoo_models", {"model": "res.partner"})["result"]

    assert listing["sale.order"]["external_name"] == "Sales Order" and "fields" not in listing["sale.order"]
    assert partner["res.partner"]["fields"]["email"]["type"] == "char"
    assert run(tools, "odoo_models", {"model": "stock.move"})["error"].startswith("stock.move is not a mapped model")


def test_odoo_search_records_sends_an_or_domain_through_the_search_route(odoo: OdooLoopback) -> None:
    domain = ["|", ["name", "ilike", "acme"], ["name", "ilike", "globex"]]

    result = run(_tools(odoo), "odoo_search_records", {"model": "res.partner", "domain": domain, "fields": ["name"]})

    assert result == {"result": [{"id": 7, "name": "Acme Corp"}, {"id": 9, "name": "Globex"}]}
    assert odoo.calls("/api/res.partner") == 1


def test_odoo_find_products_matches_name_or_reference_and_formats_price_and_stock(odoo: OdooLoopback) -> None:
    result = run(_tools(odoo), "odoo_find_products", {"query": "la-02"})

    assert result == {"result": [{"id": 11, "name": "Desk lamp", "reference": "LA-02", "price": 39.5, "in_stock": 3.0}]}


def test_odoo_print_record_returns_the_report_link(odoo: OdooLoopback) -> None:
    result = run(_tools(odoo), "odoo_print_record", {"model": "account.move", "record_id": 13})

    assert result == {"result": {"url": f"{odoo.url}/report/pdf/account.move/13"}}
    [request] = [r for r in odoo.requests if r.path == "/api/generate_pdf"]
    assert request.body["params"] == {"model": "account.move", "record_id": 13}


def test_odoo_update_record_writes_the_values_on_the_record(odoo: OdooLoopback) -> None:
    result = run(
        _tools(odoo), "odoo_update_record", {"model": "res.partner", "record_id": 8, "values": {"phone": "+49 30 1"}}
    )

    assert result == {"result": {"updated": True, "id": 8}}
    assert next(r for r in odoo.records["res.partner"] if r["id"] == 8)["phone"] == "+49 30 1"
    [request] = [r for r in odoo.requests if r.path == "/api/res.partner/update/8"]
    assert request.body["params"] == {"values": {"phone": "+49 30 1"}}


def test_odoo_post_record_confirms_a_quotation(odoo: OdooLoopback) -> None:
    result = run(_tools(odoo), "odoo_post_record", {"model": "sale.order", "record_id": 12})

    assert result == {"result": {"id": 12, "state": "sale"}}


def test_odoo_delete_record_unlinks_the_record(odoo: OdooLoopback) -> None:
    result = run(_tools(odoo), "odoo_delete_record", {"model": "res.partner", "record_id": 9})

    assert result == {"result": {"deleted": True, "id": 9}}
    assert [r["id"] for r in odoo.records["res.partner"]] == [7, 8]


@pytest.mark.parametrize(
    ("tool", "arguments", "count_path"),
    [
        ("odoo_create_record", {"model": "res.partner", "values": {"name": "Initech"}}, "/api/res.partner/create"),
        (
            "odoo_update_record",
            {"model": "res.partner", "record_id": 8, "values": {"phone": "1"}},
            "/api/res.partner/update/8",
        ),
        ("odoo_post_record", {"model": "account.move", "record_id": 13}, "/api/account.move/post/13"),
        ("odoo_delete_record", {"model": "res.partner", "record_id": 9}, "/api/res.partner/delete/9"),
    ],
)
def test_each_write_reaches_odoo_once_when_respond_is_retried(
    odoo: OdooLoopback, tool: str, arguments: dict[str, Any], count_path: str
) -> None:
    ports, message = _ports(odoo), a_message()

    first = run(toolset(ports, *ODOO_TOOLS, message=message), tool, arguments)
    retried = run(toolset(ports, *ODOO_TOOLS, message=message), tool, arguments)

    assert "result" in first and "already_done" not in first["result"]
    assert retried["result"]["already_done"] is True
    assert odoo.calls(count_path) == 1


def test_a_write_odoo_refuses_becomes_an_error_message_and_may_be_tried_again(odoo: OdooLoopback) -> None:
    ports, message = _ports(odoo), a_message()
    arguments = {"model": "res.partner", "record_id": 99, "values": {"phone": "1"}}

    first = run(toolset(ports, *ODOO_TOOLS, message=message), "odoo_update_record", arguments)
    retried = run(toolset(ports, *ODOO_TOOLS, message=message), "odoo_update_record", arguments)

    assert first["error"].startswith("Odoo /api/res.partner/update/99 failed: odoo.exceptions.MissingError")
    assert retried == first
    assert odoo.calls("/api/res.partner/update/99") == 2


@pytest.mark.parametrize(
    ("tool", "arguments", "problem"),
    [
        ("odoo_update_record", {"model": "res.partner", "id": 8, "values": {"a": 1}}, "arguments: Additional"),
        ("odoo_delete_record", {"model": "res.partner", "record_id": "9"}, "record_id: '9' is not of type 'integer'"),
        ("odoo_search_records", {"model": "../web/database"}, "model: '../web/database' does not match"),
        ("odoo_create_record", {"model": "res.partner", "values": {}}, "values: {} should be non-empty"),
    ],
)
def test_bad_arguments_never_reach_odoo(odoo: OdooLoopback, tool: str, arguments: dict[str, Any], problem: str) -> None:
    result = run(_tools(odoo), tool, arguments)

    assert result["error"].startswith(f"invalid arguments for {tool}: {problem}")
    assert odoo.requests == []


def test_writes_not_allowed_by_the_setting_are_not_offered(odoo: OdooLoopback) -> None:
    tools = toolset(_ports(odoo, writes=frozenset({"create"})), *ODOO_TOOLS)

    assert tools.names == [
        "odoo_models",
        "odoo_search_records",
        "odoo_find_products",
        "odoo_print_record",
        "odoo_create_record",
    ]
    assert toolset(plain_ports(), *ODOO_TOOLS).names == []
