"""ExactlyOnce on Powertools Idempotency, its records in the state table (`respond#<hash>` items).

Async Express executions are at-least-once and a Respond Task can be retried. A finished run replays its stored
result (no second post, no second stored copy); a run in progress raises Powertools'
``IdempotencyAlreadyInProgressError``, which the ASL retries with backoff, so a duplicate waits for the first
instead of racing it; a run that raised leaves no record, so the ASL's retry runs afresh.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from office_assistant.adapters.state_table.dynamodb import TABLE_SCHEMA

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from mypy_boto3_dynamodb.client import DynamoDBClient

    from office_assistant.domain.messages import MessageKey

logger = logging.getLogger(__name__)

IDEMPOTENCY_TTL_S = 48 * 3600  # as long as the webhook's dedupe claims: longer than any platform re-sends
KEY_PREFIX = "respond"
KEY_FIELDS = "[platform, chat, message_id]"  # the fields of MessageKey.idempotency_key


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


class PowertoolsExactlyOnce:
    """ExactlyOnce: `run(key, work)` calls `work` once per message key and stores its JSON result."""

    def __init__(
        self,
        table_name: str,
        boto3_client: DynamoDBClient | None = None,
        *,
        persistence: BasePersistenceLayer | None = None,
        expires_after_seconds: int = IDEMPOTENCY_TTL_S,
    ) -> None:
        self.config = IdempotencyConfig(
            event_key_jmespath=KEY_FIELDS,
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
        )
        self._once = idempotent_function(
            self._run,
            data_keyword_argument="key",
            persistence_store=persistence or idempotency_layer(table_name, boto3_client=boto3_client),
            config=self.config,
            key_prefix=KEY_PREFIX,
        )

    def register_lambda_context(self, context: LambdaContext) -> None:
        """Lets an in-progress record expire with the invocation, so a crashed run does not block retries."""
        self.config.register_lambda_context(context)

    def run(self, key: MessageKey, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = self._once(key=key.idempotency_key, work=work)
        return result

    @staticmethod
    def _run(*, key: dict[str, str], work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        logger.debug("running once", extra={"idempotency_key": key})
        return work()
