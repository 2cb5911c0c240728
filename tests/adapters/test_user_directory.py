"""Slack names: slack_sdk's users.info against the loopback Slack, cached in the state table on moto."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest
from slack_sdk import WebClient

from office_assistant.adapters.aws_clients import endpoint_client
from office_assistant.adapters.state_table import ensure_table
from office_assistant.adapters.user_directory.dynamodb_cache import CachedUserDirectory
from office_assistant.adapters.user_directory.slack import SlackUserDirectory
from office_assistant.ports import UserProfile
from office_assistant_local.standins.slack import DEFAULT_TOKEN, SlackLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack() -> Iterator[SlackLoopback]:
    with SlackLoopback() as server:
        yield server


@pytest.fixture
def directory(slack: SlackLoopback) -> SlackUserDirectory:
    return SlackUserDirectory(WebClient(token=DEFAULT_TOKEN, base_url=slack.api_url))


@pytest.fixture
def dynamodb(local_aws: str) -> tuple[Any, str]:
    client = endpoint_client("dynamodb", local_aws)
    name = f"users-{uuid.uuid4().hex}"
    ensure_table(client, name)
    return client, name


def _users_info_calls(slack: SlackLoopback) -> int:
    return sum(1 for r in slack.requests if r.path.endswith("/users.info"))


def test_slack_directory_gives_real_and_display_name_from_users_info(directory: SlackUserDirectory) -> None:
    assert directory.lookup("U0ALICE") == UserProfile("U0ALICE", "Alice Example", "Alice")


def test_slack_directory_gives_none_for_an_unknown_user_or_a_dead_api(slack: SlackLoopback) -> None:
    dead = SlackUserDirectory(WebClient(token=DEFAULT_TOKEN, base_url="http://127.0.0.1:9/api/", timeout=2))
    wrong_token = SlackUserDirectory(WebClient(token="xoxb-wrong", base_url=slack.api_url))

    assert SlackUserDirectory(WebClient(token=DEFAULT_TOKEN, base_url=slack.api_url)).lookup("U0NOBODY") is None
    assert dead.lookup("U0ALICE") is None
    assert wrong_token.lookup("U0ALICE") is None


def test_cached_directory_asks_slack_once_per_user_until_the_entry_expires(
    slack: SlackLoopback, directory: SlackUserDirectory, dynamodb: tuple[Any, str]
) -> None:
    client, table = dynamodb
    clock = Clock()
    cached = CachedUserDirectory(directory, table, "slack", 3600, boto3_client=client, clock=clock)

    first = [cached.lookup("U0ALICE"), cached.lookup("U0ALICE")]
    calls_before_expiry = _users_info_calls(slack)
    clock.now += 3601
    again = cached.lookup("U0ALICE")

    assert first == [UserProfile("U0ALICE", "Alice Example", "Alice")] * 2
    assert calls_before_expiry == 1
    assert again == first[0] and _users_info_calls(slack) == 2
    item = client.get_item(TableName=table, Key={"pk": {"S": "user#slack:U0ALICE"}})["Item"]
    assert int(item["expires_at"]["N"]) == int(clock.now) + 3600


def test_cached_directory_does_not_cache_a_failed_lookup(
    slack: SlackLoopback, directory: SlackUserDirectory, dynamodb: tuple[Any, str]
) -> None:
    client, table = dynamodb
    cached = CachedUserDirectory(directory, table, "slack", 3600, boto3_client=client)

    results = [cached.lookup("U0NOBODY"), cached.lookup("U0NOBODY")]

    assert results == [None, None]
    assert _users_info_calls(slack) == 2


def test_cached_directory_asks_slack_when_the_table_cannot_be_read(
    directory: SlackUserDirectory, dynamodb: tuple[Any, str]
) -> None:
    client, _ = dynamodb
    cached = CachedUserDirectory(directory, "no-such-table", "slack", 3600, boto3_client=client)

    assert cached.lookup("U0BOB") == UserProfile("U0BOB", "Bob Example", "Bob")
