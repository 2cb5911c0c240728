"""odoo_search_records: read records of an Odoo model matching a domain (legacy odoo_fetch_records)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools import odoo_schema
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    assert context.ports.erp is not None  # offered only with an ERP
    return context.ports.erp.search_records(
        arguments["model"], arguments.get("domain", []), arguments.get("fields") or None, arguments.get("limit", 10)
    )


TOOL = ToolSpec(
    name="odoo_search_records",
    description="Read records of an Odoo model that match a domain.",
    parameters=object_schema(
        {
            "model": odoo_schema.MODEL,
            "domain": {
                "type": "array",
                "maxItems": 20,
                "items": {"anyOf": [{"type": "array", "minItems": 3, "maxItems": 3}, {"enum": ["&", "|", "!"]}]},
                "description": 'an Odoo domain, e.g. [["name", "ilike", "acme"]]; empty: all records',
            },
            "fields": {
                "type": "array",
                "items": {"type": "string", "maxLength": 64},
                "maxItems": 30,
                "description": "the fields to read; empty: the default fields",
            },
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "the most records"},
        },
        required=("model",),
    ),
    run=_run,
    requires=("erp",),
    replaces=("odoo_fetch_records",),
)
