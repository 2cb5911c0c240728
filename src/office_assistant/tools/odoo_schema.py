"""JSON Schema pieces the Odoo tools share: a model name and a record id, as the ERP adapter accepts them."""

from __future__ import annotations

from typing import Any

MODEL: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+)*$",
    "maxLength": 64,
    "description": "the Odoo model, e.g. res.partner, sale.order, account.move",
}
RECORD_ID: dict[str, Any] = {"type": "integer", "minimum": 1, "description": "the record's id"}
VALUES: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 50,
    "description": "field name → value, with the field names of the model map",
}
