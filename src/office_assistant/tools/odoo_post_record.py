"""odoo_post_record: confirm a quotation or post an invoice, once per message (legacy odoo_post_record)."""

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
    return once(context, "odoo_post", [model, record_id], lambda: erp.post_record(model, record_id))


TOOL = ToolSpec(
    name="odoo_post_record",
    description="Post one Odoo record: confirm a quotation (sale.order) or post an invoice (account.move).",
    parameters=object_schema(
        {"model": odoo_schema.MODEL, "record_id": odoo_schema.RECORD_ID}, required=("model", "record_id")
    ),
    run=_run,
    requires=("erp", "erp_writes:post"),
    replaces=("odoo_post_record",),
    writes=True,
)
