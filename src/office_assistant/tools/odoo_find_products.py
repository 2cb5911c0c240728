"""odoo_find_products: products by name or internal reference, with price and stock (legacy
search_and_format_products)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    assert context.ports.erp is not None  # offered only with an ERP
    rows = context.ports.erp.products(arguments.get("query", ""), arguments.get("limit", 10))
    return [
        {
            "id": row.get("id"),
            "name": row.get("name"),
            "reference": row.get("default_code") or None,
            "price": row.get("list_price"),
            "in_stock": row.get("qty_available"),
        }
        for row in rows
    ]


TOOL = ToolSpec(
    name="odoo_find_products",
    description="Find products by name or internal reference: id, name, reference, sales price and quantity on hand.",
    parameters=object_schema(
        {
            "query": {"type": "string", "maxLength": 100, "description": "part of the name or reference; empty: all"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "the most products (10)"},
        }
    ),
    run=_run,
    requires=("erp",),
    replaces=("search_and_format_products",),
)
