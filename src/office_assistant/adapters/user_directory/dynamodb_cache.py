"""A UserDirectory that keeps profiles in the state table for a while, in front of the platform's directory.

The legacy kept a `slack_usernames` table refreshed from `users.list`; here each user is looked up once through
`users.info` and kept under ``user#<platform>:<id>`` until its ``expires_at`` (the table's TTL attribute) passes.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from office_assistant.adapters.state_table.dynamodb import TABLE_SCHEMA
from office_assistant.ports import UserProfile

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb.client import DynamoDBClient

    from office_assistant.ports import UserDirectory

logger = logging.getLogger(__name__)

USER_PREFIX = "user#"


class CachedUserDirectory:
    """Read the cached profile; on a miss (or once expired) ask `inner` and store what it says.

    Failed lookups are not cached, so a user whose lookup failed is asked again next time. A DynamoDB error
    is not the user's problem either: the lookup goes to `inner` directly.
    """

    def __init__(
        self,
        inner: UserDirectory,
        table_name: str,
        platform: str,
        ttl_seconds: int,
        boto3_client: DynamoDBClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self.table_name = table_name
        self.platform = platform
        self.ttl_seconds = ttl_seconds
        self.client: DynamoDBClient = boto3_client if boto3_client is not None else boto3.client("dynamodb")
        self._clock = clock

    def _key(self, user_id: str) -> dict[str, Any]:
        return {TABLE_SCHEMA.partition_key: {"S": f"{USER_PREFIX}{self.platform}:{user_id}"}}

    def lookup(self, user_id: str) -> UserProfile | None:
        cached = self._cached(user_id)
        if cached is not None:
            return cached
        profile = self.inner.lookup(user_id)
        if profile is not None:
            self._store(profile)
        return profile

    def _cached(self, user_id: str) -> UserProfile | None:
        try:
            item: dict[str, Any] = (
                self.client.get_item(TableName=self.table_name, Key=self._key(user_id)).get("Item") or {}
            )
        except (ClientError, BotoCoreError) as exc:
            logger.warning("user cache read failed: %s", type(exc).__name__)
            return None
        expires_at = float(item.get(TABLE_SCHEMA.ttl_attribute, {}).get("N", "0"))
        if not item or expires_at < self._clock():
            return None
        return UserProfile(user_id, item.get("real_name", {}).get("S", ""), item.get("display_name", {}).get("S", ""))

    def _store(self, profile: UserProfile) -> None:
        item = {
            **self._key(profile.user_id),
            "real_name": {"S": profile.real_name},
            "display_name": {"S": profile.display_name},
            TABLE_SCHEMA.ttl_attribute: {"N": str(int(self._clock()) + self.ttl_seconds)},
        }
        try:
            self.client.put_item(TableName=self.table_name, Item=item)
        except (ClientError, BotoCoreError) as exc:
            logger.warning("user cache write failed: %s", type(exc).__name__)
