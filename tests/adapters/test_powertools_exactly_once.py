"""PowertoolsExactlyOnce on the state table (moto's server, real boto3): the ExactlyOnce port's semantics."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.exactly_once import PowertoolsExactlyOnce
from office_assistant.adapters.state_table import TABLE_SCHEMA, ensure_table
from office_assistant.domain.messages import MessageKey, Platform

pytestmark = pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time left")


@pytest.fixture
def table(local_aws: str) -> tuple[str, Any]:
    client = endpoint_client("dynamodb", local_aws)
    name = f"state-{uuid.uuid4().hex}"
    ensure_table(client, name)
    return name, client


class Work:
    """Counts its runs; fails on demand."""

    def __init__(self, fail: bool = False) -> None:
        self.runs = 0
        self.fail = fail

    def __call__(self) -> dict[str, Any]:
        self.runs += 1
        if self.fail:
            raise ConnectionError("the platform is down")
        return {"run": self.runs, "outcome": "answered"}


def test_run_calls_the_work_once_per_key_and_replays_its_result(table: tuple[str, Any]) -> None:
    once = PowertoolsExactlyOnce(table[0], boto3_client=table[1])
    key, work = MessageKey(Platform.SLACK, "C1", "1.0001"), Work()

    first = once.run(key, work)
    second = once.run(key, work)

    assert (first, second, work.runs) == ({"run": 1, "outcome": "answered"}, {"run": 1, "outcome": "answered"}, 1)


def test_run_keeps_keys_apart_that_differ_only_in_platform(table: tuple[str, Any]) -> None:
    once = PowertoolsExactlyOnce(table[0], boto3_client=table[1])
    work = Work()

    once.run(MessageKey(Platform.SLACK, "42", "7"), work)
    once.run(MessageKey(Platform.TELEGRAM, "42", "7"), work)

    assert work.runs == 2


def test_run_leaves_no_record_when_the_work_raised_so_a_retry_runs_afresh(table: tuple[str, Any]) -> None:
    once = PowertoolsExactlyOnce(table[0], boto3_client=table[1])
    key, failing = MessageKey(Platform.SLACK, "C1", "1.0002"), Work(fail=True)

    with pytest.raises(ConnectionError):
        once.run(key, failing)
    result = once.run(key, Work())

    assert result == {"run": 1, "outcome": "answered"}


def test_its_records_sit_in_the_state_table_under_the_respond_prefix(table: tuple[str, Any]) -> None:
    name, client = table
    PowertoolsExactlyOnce(name, boto3_client=client).run(MessageKey(Platform.SLACK, "C1", "1.0003"), Work())

    items = client.scan(TableName=name)["Items"]

    assert [item[TABLE_SCHEMA.partition_key]["S"].split("#")[0] for item in items] == ["respond"]
    assert items[0]["status"]["S"] == "COMPLETED"
