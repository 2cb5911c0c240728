"""DynamoDbStateTable against moto's server through a real boto3 client."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.state_table import TABLE_SCHEMA, DynamoDbStateTable, ensure_table
from tests.fakes import HandClock

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.fixture(scope="module")
def dynamodb(local_aws: str) -> Any:
    return endpoint_client("dynamodb", local_aws)


@pytest.fixture
def table_name(dynamodb: Any) -> str:
    name = f"state-{uuid.uuid4().hex}"
    ensure_table(dynamodb, name)
    return name


@pytest.fixture
def make_table(dynamodb: Any, table_name: str) -> Callable[..., DynamoDbStateTable]:
    def make(clock: Callable[[], float] | None = None) -> DynamoDbStateTable:
        if clock is None:
            return DynamoDbStateTable(table_name, boto3_client=dynamodb)
        return DynamoDbStateTable(table_name, boto3_client=dynamodb, clock=clock)

    return make


def test_state_table_reports_unmuted_for_a_chat_never_set(make_table: Callable[..., DynamoDbStateTable]) -> None:
    table = make_table()

    muted = table.is_muted("slack:C1")

    assert muted is False


def test_state_table_reports_muted_after_set_and_unmuted_after_clear(
    make_table: Callable[..., DynamoDbStateTable],
) -> None:
    table = make_table()

    table.set_muted("slack:C1", True)
    after_mute = table.is_muted("slack:C1")
    table.set_muted("slack:C1", False)
    after_unmute = table.is_muted("slack:C1")

    assert after_mute is True
    assert after_unmute is False


def test_state_table_keeps_mute_per_chat(make_table: Callable[..., DynamoDbStateTable]) -> None:
    table = make_table()

    table.set_muted("slack:C1", True)

    assert table.is_muted("slack:C1") is True
    assert table.is_muted("slack:C2") is False
    assert table.is_muted("telegram:C1") is False


def test_state_table_stores_mute_under_prefixed_partition_key(
    dynamodb: Any, table_name: str, make_table: Callable[..., DynamoDbStateTable]
) -> None:
    table = make_table()

    table.set_muted("slack:C1", True)

    item = dynamodb.get_item(TableName=table_name, Key={"pk": {"S": "mute#slack:C1"}})["Item"]
    assert item["muted"] == {"BOOL": True}


def test_claim_succeeds_once_while_the_claim_lives(make_table: Callable[..., DynamoDbStateTable]) -> None:
    clock = HandClock()
    table = make_table(clock)

    first = table.claim("slack:Ev1", ttl_seconds=600)
    clock.now += 599
    second = table.claim("slack:Ev1", ttl_seconds=600)

    assert first is True
    assert second is False


def test_claim_succeeds_for_a_different_key(make_table: Callable[..., DynamoDbStateTable]) -> None:
    table = make_table()
    table.claim("slack:Ev1", ttl_seconds=600)

    other = table.claim("slack:Ev2", ttl_seconds=600)

    assert other is True


def test_claim_succeeds_again_after_expiry_before_dynamodb_deletes_the_item(
    dynamodb: Any, table_name: str, make_table: Callable[..., DynamoDbStateTable]
) -> None:
    clock = HandClock()
    table = make_table(clock)
    table.claim("telegram:42", ttl_seconds=60)
    clock.now += 61

    again = table.claim("telegram:42", ttl_seconds=60)
    right_after = table.claim("telegram:42", ttl_seconds=60)

    assert again is True
    assert right_after is False
    item = dynamodb.get_item(TableName=table_name, Key={"pk": {"S": "claim#telegram:42"}})["Item"]
    assert item[TABLE_SCHEMA.ttl_attribute] == {"N": str(int(clock.now) + 60)}


def test_claim_writes_its_expiry_to_the_ttl_attribute(
    dynamodb: Any, table_name: str, make_table: Callable[..., DynamoDbStateTable]
) -> None:
    table = make_table(HandClock(1_800_000_000.7))

    table.claim("slack:Ev1", ttl_seconds=300)

    item = dynamodb.get_item(TableName=table_name, Key={"pk": {"S": "claim#slack:Ev1"}})["Item"]
    assert item["expires_at"] == {"N": "1800000300"}


def test_claim_from_eight_threads_succeeds_exactly_once(make_table: Callable[..., DynamoDbStateTable]) -> None:
    table = make_table()
    start_together = threading.Barrier(8)

    def claim(_: int) -> bool:
        start_together.wait()
        return table.claim("slack:EvRace", ttl_seconds=600)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(claim, range(8)))

    assert results.count(True) == 1
    assert results.count(False) == 7


def test_claim_raises_when_the_table_is_missing(dynamodb: Any) -> None:
    table = DynamoDbStateTable(f"missing-{uuid.uuid4().hex}", boto3_client=dynamodb)

    with pytest.raises(ClientError) as raised:
        table.claim("slack:Ev1", ttl_seconds=60)

    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_claim_rejects_a_negative_ttl(make_table: Callable[..., DynamoDbStateTable]) -> None:
    table = make_table()

    with pytest.raises(ValueError, match="ttl_seconds"):
        table.claim("slack:Ev1", ttl_seconds=-1)


def test_ensure_table_creates_the_schema_with_ttl_and_can_run_twice(dynamodb: Any) -> None:
    name = f"state-{uuid.uuid4().hex}"

    ensure_table(dynamodb, name)
    ensure_table(dynamodb, name)

    description = dynamodb.describe_table(TableName=name)["Table"]
    assert description["KeySchema"] == TABLE_SCHEMA.key_schema
    assert description["AttributeDefinitions"] == TABLE_SCHEMA.attribute_definitions
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


def test_claim_succeeds_again_after_release(make_table: Callable[..., DynamoDbStateTable]) -> None:
    table = make_table()
    table.claim("slack:Ev9", ttl_seconds=600)

    table.release("slack:Ev9")
    again = table.claim("slack:Ev9", ttl_seconds=600)

    assert again is True


def test_claim_holds_when_botocore_retries_a_put_that_had_succeeded(local_aws: str, table_name: str) -> None:
    """A lost answer makes botocore send the same conditional put again; that retry fails on our own item.

    The first load run lost a message this way: the claim was taken for a duplicate. Here botocore is told, via
    its own `needs-retry` event, to retry the first PutItem although it succeeded.
    """
    client = endpoint_client("dynamodb", local_aws)
    put_attempts: list[int] = []

    def retry_first_put(attempts: int, **_: Any) -> float | None:
        put_attempts.append(attempts)
        return 0.0 if attempts == 1 else None

    client.meta.events.register("needs-retry.dynamodb.PutItem", retry_first_put)
    table = DynamoDbStateTable(table_name, boto3_client=client)

    first = table.claim("slack:EvLostAnswer", ttl_seconds=600)
    duplicate = DynamoDbStateTable(table_name, boto3_client=endpoint_client("dynamodb", local_aws)).claim(
        "slack:EvLostAnswer", ttl_seconds=600
    )

    assert put_attempts[:2] == [1, 2]
    assert first is True
    assert duplicate is False
