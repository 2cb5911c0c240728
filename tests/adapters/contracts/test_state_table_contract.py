"""The StateTable contract: the DynamoDB adapter (on moto's server, through a real boto3 client) and the
in-memory fake of tests/fakes.py must both pass it, so a test that uses the fake tests what production does."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.state_table import DynamoDbStateTable, ensure_table
from tests.fakes import FakeStateTable, HandClock

if TYPE_CHECKING:
    from collections.abc import Callable

    from office_assistant.ports import StateTable

TTL = 60


@pytest.fixture(scope="module")
def dynamodb(local_aws: str) -> Any:
    return endpoint_client("dynamodb", local_aws)


@pytest.fixture(params=["dynamodb", "fake"])
def make_table(request: pytest.FixtureRequest) -> Callable[[HandClock], StateTable]:
    if request.param == "fake":
        return lambda clock: FakeStateTable(clock=clock)
    client = request.getfixturevalue("dynamodb")
    name = f"state-contract-{uuid.uuid4().hex}"
    ensure_table(client, name)
    return lambda clock: DynamoDbStateTable(name, boto3_client=client, clock=clock)


@pytest.fixture
def clock() -> HandClock:
    return HandClock(1_800_000_000.25)  # in fractional seconds, as time.time() gives them


@pytest.fixture
def table(make_table: Callable[[HandClock], StateTable], clock: HandClock) -> StateTable:
    return make_table(clock)


def test_a_chat_never_muted_is_not_muted(table: StateTable) -> None:
    assert table.is_muted("slack:C1") is False


def test_mute_is_set_and_cleared_per_chat(table: StateTable) -> None:
    table.set_muted("slack:C1", True)
    table.set_muted("telegram:C1", True)
    table.set_muted("telegram:C1", False)

    assert (table.is_muted("slack:C1"), table.is_muted("telegram:C1"), table.is_muted("slack:C2")) == (
        True,
        False,
        False,
    )


def test_a_claim_succeeds_once_and_lives_through_its_last_second(table: StateTable, clock: HandClock) -> None:
    first = table.claim("message#slack:C1#1", TTL)
    clock.now += TTL - 1
    while_alive = table.claim("message#slack:C1#1", TTL)
    clock.now += 1
    at_its_end = table.claim("message#slack:C1#1", TTL)
    clock.now += 1
    after_expiry = table.claim("message#slack:C1#1", TTL)

    assert (first, while_alive, at_its_end, after_expiry) == (True, False, False, True)


def test_claims_on_different_keys_are_independent(table: StateTable) -> None:
    assert table.claim("message#slack:C1#1", TTL) is True
    assert table.claim("message#slack:C1#2", TTL) is True


def test_a_released_claim_can_be_made_again(table: StateTable) -> None:
    table.claim("message#slack:C1#1", TTL)

    table.release("message#slack:C1#1")

    assert table.claim("message#slack:C1#1", TTL) is True


def test_releasing_a_claim_never_made_is_harmless(table: StateTable) -> None:
    table.release("message#slack:C1#never")

    assert table.claim("message#slack:C1#never", TTL) is True


def test_a_zero_ttl_claim_holds_within_its_second(table: StateTable, clock: HandClock) -> None:
    assert table.claim("k", 0) is True
    assert table.claim("k", 0) is False
    clock.now += 1
    assert table.claim("k", 0) is True


def test_a_negative_ttl_is_refused(table: StateTable) -> None:
    with pytest.raises(ValueError, match="negative"):
        table.claim("k", -1)


def test_mute_flags_and_claims_do_not_share_keys(table: StateTable) -> None:
    table.set_muted("slack:C1", True)

    assert table.claim("slack:C1", TTL) is True
    assert table.is_muted("slack:C1") is True
    table.release("slack:C1")
    assert table.is_muted("slack:C1") is True


def test_of_eight_concurrent_claims_exactly_one_succeeds(table: StateTable) -> None:
    start = threading.Barrier(8)

    def claim(_: int) -> bool:
        start.wait()
        return table.claim("message#slack:C1#race", TTL)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(claim, range(8)))

    assert results.count(True) == 1
