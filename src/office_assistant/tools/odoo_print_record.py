"""odoo_print_record: a download link to a record's PDF report (legacy odoo_print_record)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools import odoo_schema
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    assert context.ports.erp is not None  # offered only with an ERP
    url = context.ports.erp.print_record(arguments["model"], arguments["record_id"], arguments.get("report"))
    return {"url": url}


TOOL = ToolSpec(
    name="odoo_print_record",
    description="A download link to the PDF of one Odoo record (an invoice, a quotation); give the link to the user.",
    parameters=object_schema(
        {
            "model": odoo_schema.MODEL,
            "record_id": odoo_schema.RECORD_ID,
            "report": {"type": "string", "pattern": r"^[a-z0-9_.]+$", "maxLength": 128, "description": "report name"},
        },
        required=("model", "record_id"),
    ),
    run=_run,
    requires=("erp",),
    replaces=("odoo_print_record",),
)
