"""odoo_update_record: change fields of one record, once per message (legacy odoo_update_record, whose schema did
not match its function)."""

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
    model, record_id, values = arguments["model"], arguments["record_id"], arguments["values"]
    return once(
        context,
        "odoo_update",
        [model, record_id, values],
        lambda: {"updated": erp.update_record(model, record_id, values), "id": record_id},
    )


TOOL = ToolSpec(
    name="odoo_update_record",
    description="Change fields of one Odoo record (look up its id first).",
    parameters=object_schema(
        {"model": odoo_schema.MODEL, "record_id": odoo_schema.RECORD_ID, "values": odoo_schema.VALUES},
        required=("model", "record_id", "values"),
    ),
    run=_run,
    requires=("erp", "erp_writes:update"),
    replaces=("odoo_update_record",),
    writes=True,
)
