"""odoo_create_record: create one record, once per message and record (legacy odoo_create_record)."""

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
    model, values = arguments["model"], arguments["values"]
    return once(context, "odoo_create", [model, values], lambda: {"id": erp.create_record(model, values)})


TOOL = ToolSpec(
    name="odoo_create_record",
    description="Create one record of an Odoo model; returns its id.",
    parameters=object_schema({"model": odoo_schema.MODEL, "values": odoo_schema.VALUES}, required=("model", "values")),
    run=_run,
    requires=("erp", "erp_writes:create"),
    replaces=("odoo_create_record",),
    writes=True,
)
