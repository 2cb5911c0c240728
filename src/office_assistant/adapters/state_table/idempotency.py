"""Powertools Idempotency records in the state table: same key and TTL attribute, `respond#<hash>` items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from office_assistant.adapters.state_table.dynamodb import TABLE_SCHEMA

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


def idempotency_layer(table_name: str, boto3_client: DynamoDBClient | None = None) -> DynamoDBPersistenceLayer:
    """A persistence layer sharing the single state table: its items never collide with ``mute#``/``claim#``.

    Powertools writes ``status``, ``data`` and ``in_progress_expiration`` beside the key; its expiry goes into the
    table's TTL attribute, so DynamoDB deletes finished records after their time.
    """
    return DynamoDBPersistenceLayer(
        table_name=table_name,
        key_attr=TABLE_SCHEMA.partition_key,
        expiry_attr=TABLE_SCHEMA.ttl_attribute,
        boto3_client=boto3_client,
    )
