"""State table port adapters: mute flags and dedupe claims."""

from __future__ import annotations

from office_assistant.adapters.state_table.dynamodb import TABLE_SCHEMA, DynamoDbStateTable, TableSchema, ensure_table

__all__ = ["TABLE_SCHEMA", "DynamoDbStateTable", "TableSchema", "ensure_table"]
