"""The Slack workspace tools with the real slack_sdk WebClient against the loopback Slack Web API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from slack_sdk import WebClient

from office_assistant.adapters.workspace import SlackWebWorkspace
from office_assistant.domain.messages import Platform
from office_assistant_local.standins.slack import SlackLoopback
from tests.builders import a_message
from tests.tools.conftest import plain_ports, run, toolset

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.tools import ToolPorts, ToolSet

SLACK_TOOLS = (
    "slack_list_users",
    "slack_list_channels",
    "slack_post_message",
    "slack_create_channel",
    "slack_invite_to_channel",
    "slack_set_channel_purpose",
)
ACTIONS = frozenset({"create_channel", "invite", "set_purpose"})


@pytest.fixture
def slack() -> Iterator[SlackLoopback]:
    with SlackLoopback() as server:
        yield server


def _ports(slack: SlackLoopback, allowed: frozenset[str] = frozenset({"C0SALES"}), **more: Any) -> ToolPorts:
    workspace = SlackWebWorkspace(WebClient(token=slack.token, base_url=slack.api_url))
    return plain_ports(workspace=workspace, post_channels=allowed, slack_actions=more.pop("actions", ACTIONS))


def _tools(slack: SlackLoopback, chat_id: str = "C0GENERAL", **ports: Any) -> ToolSet:
    return toolset(_ports(slack, **ports), *SLACK_TOOLS, message=a_message(chat_id=chat_id))


def test_list_users_and_channels_page_through_slack(slack: SlackLoopback) -> None:
    tools = _tools(slack)

    users = run(tools, "slack_list_users", {})["result"]
    channels = run(tools, "slack_list_channels", {"limit": 1})["result"]

    assert [(u["id"], u["real_name"], u["display_name"]) for u in users] == [
        ("U0ALICE", "Alice Example", "Alice"),
        ("U0BOB", "Bob Example", "Bob"),
    ]
    assert channels == [
        {
            "id": "C0GENERAL",
            "name": "general",
            "is_private": False,
            "is_member": True,
            "purpose": "Company-wide",
            "members": 2,
        }
    ]


def test_post_message_posts_to_an_allowed_channel_once_per_message(slack: SlackLoopback) -> None:
    ports, message = _ports(slack), a_message(chat_id="C0GENERAL")
    arguments = {"channel": "C0SALES", "text": "New lead: Initech"}

    first = run(toolset(ports, *SLACK_TOOLS, message=message), "slack_post_message", arguments)
    retried = run(toolset(ports, *SLACK_TOOLS, message=message), "slack_post_message", arguments)

    assert first["result"]["channel"] == "C0SALES"
    assert retried["result"]["already_done"] is True
    assert [(p.channel, p.text) for p in slack.posted()] == [("C0SALES", "New lead: Initech")]


def test_post_message_to_a_channel_not_on_the_allow_list_is_refused(slack: SlackLoopback) -> None:
    result = run(_tools(slack), "slack_post_message", {"channel": "C0SECRET", "text": "hi"})

    assert result["error"] == (
        "channel C0SECRET is not allowed: only this chat (C0GENERAL) and the channels an admin allowed (C0SALES)"
    )
    assert slack.posted() == []


def test_post_message_to_the_current_chat_needs_no_allow_list(slack: SlackLoopback) -> None:
    tools = _tools(slack, chat_id="C0GENERAL", allowed=frozenset())

    run(tools, "slack_post_message", {"channel": "C0GENERAL", "text": "reminder: standup at 10"})

    assert [p.channel for p in slack.posted()] == ["C0GENERAL"]


def test_create_a_channel_invite_people_and_set_its_purpose(slack: SlackLoopback) -> None:
    tools = _tools(slack, chat_id="C0GENERAL")

    created = run(tools, "slack_create_channel", {"name": "project-apollo"})["result"]
    invited = run(tools, "slack_invite_to_channel", {"channel": created["id"], "user_ids": ["U0BOB", "U0ALICE"]})
    purpose = run(tools, "slack_set_channel_purpose", {"channel": "C0GENERAL", "purpose": "All hands"})

    assert created["name"] == "project-apollo" and created["is_private"] is False
    assert invited["result"] == {"id": created["id"], "invited": ["U0ALICE", "U0BOB"]}
    assert slack.channels[created["id"]].members == {"U0ALICE", "U0BOB"}
    assert purpose["result"]["purpose"] == "All hands" and slack.channels["C0GENERAL"].purpose == "All hands"


def test_slack_refusals_become_error_messages(slack: SlackLoopback) -> None:
    tools = _tools(slack)

    taken = run(tools, "slack_create_channel", {"name": "general"})
    unknown = run(tools, "slack_invite_to_channel", {"channel": "C0NOPE", "user_ids": ["U0BOB"]})
    elsewhere = run(tools, "slack_set_channel_purpose", {"channel": "C0OTHER", "purpose": "x"})

    assert taken == {"error": "Slack conversations.create failed: name_taken"}
    assert unknown == {"error": "Slack conversations.invite failed: channel_not_found"}
    assert elsewhere["error"].startswith("channel C0OTHER is not allowed")


@pytest.mark.parametrize(
    ("tool", "arguments", "problem"),
    [
        ("slack_create_channel", {"name": "Project Apollo!"}, "name: 'Project Apollo!' does not match"),
        ("slack_invite_to_channel", {"channel": "C0SALES", "user_ids": []}, "user_ids: [] should be non-empty"),
        ("slack_post_message", {"channel": "#general", "text": "hi"}, "channel: '#general' does not match"),
    ],
)
def test_bad_arguments_never_reach_slack(
    slack: SlackLoopback, tool: str, arguments: dict[str, Any], problem: str
) -> None:
    result = run(_tools(slack), tool, arguments)

    assert result["error"].startswith(f"invalid arguments for {tool}: {problem}")
    assert slack.requests == []


def test_slack_tools_are_not_offered_on_telegram_and_changes_only_where_the_setting_allows(
    slack: SlackLoopback,
) -> None:
    telegram = toolset(_ports(slack), *SLACK_TOOLS, message=a_message(platform=Platform.TELEGRAM))
    read_only = toolset(_ports(slack, actions=frozenset()), *SLACK_TOOLS)

    assert telegram.names == []
    assert read_only.names == ["slack_list_users", "slack_list_channels", "slack_post_message"]
