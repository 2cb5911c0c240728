"""odoo_delete_record: delete one record, once per message; off unless OA_ODOO_WRITES lists delete (legacy
odoo_delete_record, whose schema did not match its function)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.tools import odoo_schema
from office_assistant.tools.once import once
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> Any:
    erp = context.ports.erp
    assert erp is not None  # offered only with an ERP
    model, record_id = arguments["model"], arguments["record_id"]
    return once(
        context,
        "odoo_delete",
        [model, record_id],
        lambda: {"deleted": erp.delete_record(model, record_id), "id": record_id},
    )


TOOL = ToolSpec(
    name="odoo_delete_record",
    description="Delete one Odoo record. Only when the user asked for exactly this record to be deleted.",
    parameters=object_schema(
        {"model": odoo_schema.MODEL, "record_id": odoo_schema.RECORD_ID}, required=("model", "record_id")
    ),
    run=_run,
    requires=("erp", "erp_writes:delete"),
    replaces=("odoo_delete_record",),
    writes=True,
)
