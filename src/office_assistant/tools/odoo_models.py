"""odoo_models: the ERP's model map, or one model's fields (legacy odoo_get_mapped_models)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from office_assistant.domain.errors import ToolServiceError
from office_assistant.tools import odoo_schema
from office_assistant.tools.spec import ToolSpec, object_schema

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolContext


def _run(context: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    assert context.ports.erp is not None  # offered only with an ERP
    models = context.ports.erp.mapped_models()
    wanted = arguments.get("model")
    if wanted is None:
        return {name: {k: v for k, v in spec.items() if k != "fields"} for name, spec in models.items()}
    if wanted not in models:
        raise ToolServiceError(f"{wanted} is not a mapped model; the models are: {', '.join(models)}")
    return {wanted: models[wanted]}


TOOL = ToolSpec(
    name="odoo_models",
    description="The ERP's models with their external names and aliases; with `model`, that model's fields.",
    parameters=object_schema({"model": odoo_schema.MODEL}),
    run=_run,
    requires=("erp",),
    replaces=("odoo_get_mapped_models",),
)
