"""The ChatPlatform contract: the Slack adapter (slack_sdk against the loopback Slack), the Telegram adapter (httpx
against the loopback Bot API) and the recording fake of tests/fakes.py must all pass it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest
from slack_sdk import WebClient

from office_assistant.adapters.chat_platforms import SlackPlatform, TelegramPlatform
from office_assistant.domain.errors import PlatformPostError
from office_assistant.domain.messages import InboundMessage, Platform
from office_assistant_local.standins import slack as slack_standin
from office_assistant_local.standins import telegram as telegram_standin
from tests.fakes import RecordingPlatform

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from office_assistant.ports import ChatPlatform

_ids = itertools.count(1)


@dataclass
class Harness:
    """One implementation, a way to make a message from its platform, and what reached each chat."""

    platform: ChatPlatform
    broken: ChatPlatform  # the same implementation with its platform unreachable or refusing
    kind: Platform
    chats: tuple[str, str]
    delivered: Callable[[], list[tuple[str, str]]]  # (chat id, text) of every message posted, oldest first

    def message(self, chat_id: str) -> InboundMessage:
        n = next(_ids)
        message_id = f"1718000000.{n:06d}" if self.kind is Platform.SLACK else str(300 + n)
        return InboundMessage(self.kind, f"Ev{n}", message_id, chat_id, "U1", "alice", "hello", 1_718_000_000.0)


@pytest.fixture(params=["slack", "telegram", "fake"])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    if request.param == "fake":
        fake = RecordingPlatform()
        yield Harness(
            fake,
            RecordingPlatform(fail=True),
            Platform.SLACK,
            ("C1", "C2"),
            lambda: [(message.chat_id, text) for message, text in fake.posts],
        )
    elif request.param == "slack":
        with slack_standin.SlackLoopback() as stopped:
            unreachable = stopped.api_url
        with slack_standin.SlackLoopback() as server:
            yield Harness(
                SlackPlatform(WebClient(token=slack_standin.DEFAULT_TOKEN, base_url=server.api_url)),
                SlackPlatform(WebClient(token=slack_standin.DEFAULT_TOKEN, base_url=unreachable)),
                Platform.SLACK,
                ("C07GENERAL", "C07RANDOM"),
                lambda: [(post.channel, post.text) for post in server.posted()],
            )
    else:
        with telegram_standin.TelegramLoopback() as stopped:
            unreachable = stopped.url
        with telegram_standin.TelegramLoopback() as server, httpx.Client(timeout=5.0) as http:
            yield Harness(
                TelegramPlatform(http, telegram_standin.DEFAULT_TOKEN, base_url=server.url),
                TelegramPlatform(http, telegram_standin.DEFAULT_TOKEN, base_url=unreachable),
                Platform.TELEGRAM,
                ("423456789", "-1001987654321"),
                lambda: [(send.chat_id, send.text) for send in server.sent()],
            )


def test_a_reply_reaches_the_chat_of_the_message_it_answers(harness: Harness) -> None:
    first, second = harness.chats

    harness.platform.post_reply(harness.message(first), "The invoices are due on Friday.")
    harness.platform.post_reply(harness.message(second), "Nobody has asked yet.")

    assert harness.delivered() == [(first, "The invoices are due on Friday."), (second, "Nobody has asked yet.")]


def test_a_short_reply_is_one_message_with_the_id_the_platform_gave_it(harness: Harness) -> None:
    chat = harness.chats[0]

    first = harness.platform.post_reply(harness.message(chat), "One answer.")
    second = harness.platform.post_reply(harness.message(chat), "Another answer.")

    assert (first.chunks, second.chunks) == (1, 1)
    assert first.message_id and second.message_id and first.message_id != second.message_id


def test_the_typing_indicator_posts_nothing_and_never_raises(harness: Harness) -> None:
    message = harness.message(harness.chats[0])

    harness.platform.clear_typing(message)  # before it was shown: still fine
    harness.platform.show_typing(message)
    harness.platform.clear_typing(message)

    assert harness.delivered() == []


def test_a_reply_the_platform_cannot_take_raises_platform_post_error(harness: Harness) -> None:
    with pytest.raises(PlatformPostError):
        harness.broken.post_reply(harness.message(harness.chats[0]), "Lost in transit.")


def test_the_typing_indicator_never_raises_even_when_the_platform_is_unreachable(harness: Harness) -> None:
    message = harness.message(harness.chats[0])

    shown = harness.broken.show_typing(message)  # type: ignore[func-returns-value]
    cleared = harness.broken.clear_typing(message)  # type: ignore[func-returns-value]

    assert (shown, cleared) == (None, None)
