"""DynamoDB state table: mute flags and dedupe claims in one table, with claims that can be taken again once expired."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb.client import DynamoDBClient

logger = logging.getLogger(__name__)

MUTE_PREFIX = "mute#"
CLAIM_PREFIX = "claim#"


@dataclass(frozen=True)
class TableSchema:
    """The table's shape; infra (CDK) and the local setup both build the table from this one value."""

    partition_key: str = "pk"
    partition_key_type: str = "S"
    ttl_attribute: str = "expires_at"
    billing_mode: str = "PAY_PER_REQUEST"

    @property
    def key_schema(self) -> list[dict[str, str]]:
        """`KeySchema` as CreateTable takes it."""
        return [{"AttributeName": self.partition_key, "KeyType": "HASH"}]

    @property
    def attribute_definitions(self) -> list[dict[str, str]]:
        """`AttributeDefinitions` as CreateTable takes it."""
        return [{"AttributeName": self.partition_key, "AttributeType": self.partition_key_type}]


TABLE_SCHEMA = TableSchema()


class DynamoDbStateTable:
    """StateTable on one DynamoDB table (single-table design, partition key only).

    Items: ``mute#<chat_key>`` with ``muted`` (BOOL), a missing item meaning not muted; ``claim#<key>`` with
    ``expires_at`` (epoch seconds, the table's TTL attribute). DynamoDB deletes expired items lazily (up to days
    later), so `claim` treats an item whose ``expires_at`` has passed as absent.
    """

    def __init__(
        self,
        table_name: str,
        boto3_client: DynamoDBClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.table_name = table_name
        self.client: DynamoDBClient = boto3_client if boto3_client is not None else boto3.client("dynamodb")
        self._clock = clock

    def is_muted(self, chat_key: str) -> bool:
        """Whether the chat is muted; a chat never set is not."""
        response = self.client.get_item(
            TableName=self.table_name,
            Key=_key(MUTE_PREFIX + chat_key),
            ConsistentRead=True,
        )
        item: dict[str, Any] = response.get("Item") or {}
        return bool(item.get("muted", {}).get("BOOL", False))

    def set_muted(self, chat_key: str, muted: bool) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item={**_key(MUTE_PREFIX + chat_key), "muted": {"BOOL": muted}},
        )

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Record `key` once: True the first time, False while an earlier claim lives (at least `ttl_seconds`)."""
        if ttl_seconds < 0:
            raise ValueError(f"ttl_seconds must not be negative, got {ttl_seconds}")
        now = int(self._clock())
        schema = TABLE_SCHEMA
        owner = uuid.uuid4().hex
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item={
                    **_key(CLAIM_PREFIX + key),
                    schema.ttl_attribute: {"N": str(now + ttl_seconds)},
                    "owner": {"S": owner},
                },
                ConditionExpression="attribute_not_exists(#pk) OR #expires_at < :now",
                ExpressionAttributeNames={"#pk": schema.partition_key, "#expires_at": schema.ttl_attribute},
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                # botocore retries a put whose answer was lost; the retry then fails on our own item.
                if self._owner(key) == owner:
                    return True
                logger.debug("claim already held", extra={"claim_key": key})
                return False
            raise
        return True

    def _owner(self, key: str) -> str | None:
        response = self.client.get_item(TableName=self.table_name, Key=_key(CLAIM_PREFIX + key), ConsistentRead=True)
        item: dict[str, Any] = response.get("Item") or {}
        owner = item.get("owner", {}).get("S")
        return str(owner) if owner is not None else None

    def release(self, key: str) -> None:
        """Forget a claim, so a delivery whose processing could not start can be retried."""
        self.client.delete_item(TableName=self.table_name, Key=_key(CLAIM_PREFIX + key))


def ensure_table(client: DynamoDBClient, table_name: str) -> None:
    """Local mode only: create the state table when missing and switch its TTL on (infra does this in AWS)."""
    try:
        client.describe_table(TableName=table_name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        client.create_table(
            TableName=table_name,
            KeySchema=TABLE_SCHEMA.key_schema,
            AttributeDefinitions=TABLE_SCHEMA.attribute_definitions,
            BillingMode=TABLE_SCHEMA.billing_mode,
        )
        client.get_waiter("table_exists").wait(TableName=table_name)
    ttl = client.describe_time_to_live(TableName=table_name).get("TimeToLiveDescription", {})
    if ttl.get("TimeToLiveStatus") not in {"ENABLED", "ENABLING"}:
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TABLE_SCHEMA.ttl_attribute},
        )


def _key(pk: str) -> dict[str, Any]:
    return {TABLE_SCHEMA.partition_key: {"S": pk}}
