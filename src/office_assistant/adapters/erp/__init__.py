"""ERP port adapters: the Odoo model map the odoo route shows the chat model."""

from __future__ import annotations

from office_assistant.adapters.erp.odoo import OdooClient

__all__ = ["OdooClient"]
