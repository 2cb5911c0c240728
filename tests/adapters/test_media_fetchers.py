"""Media fetchers against the loopback Slack and Telegram: the platform's credential stays inside the adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from office_assistant.adapters.media_fetcher import SlackFileFetcher, TelegramFileFetcher
from office_assistant.domain.errors import MediaError
from office_assistant.domain.messages import Attachment
from office_assistant_local.standins.slack import DEFAULT_TOKEN as SLACK_TOKEN
from office_assistant_local.standins.slack import SlackLoopback
from office_assistant_local.standins.telegram import DEFAULT_TOKEN as TELEGRAM_TOKEN
from office_assistant_local.standins.telegram import TelegramLoopback

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def _slack_fetcher(server: SlackLoopback, http: httpx.Client, token: str = SLACK_TOKEN) -> SlackFileFetcher:
    return SlackFileFetcher(http, token, allowed_hosts=(server.url.removeprefix("http://"),))


def test_slack_fetcher_downloads_url_private_with_the_bot_token(http: httpx.Client) -> None:
    with SlackLoopback() as slack:
        url = slack.add_file("F1", "report.csv", b"a,b\n1,2\n")

        data = _slack_fetcher(slack, http).fetch(Attachment("document", url, "text/csv", "report.csv"), 1000)

        [request] = slack.requests
    assert data == b"a,b\n1,2\n"
    assert request.headers["authorization"] == f"Bearer {SLACK_TOKEN}"


def test_slack_fetcher_raises_media_error_when_slack_refuses_the_token(http: httpx.Client) -> None:
    with SlackLoopback() as slack:
        url = slack.add_file("F1", "a.png", b"png")

        with pytest.raises(MediaError, match="HTTP 403"):
            _slack_fetcher(slack, http, "xoxb-wrong").fetch(Attachment("image", url, "image/png", "a.png"), 1000)


def test_slack_fetcher_never_sends_the_token_to_another_host(http: httpx.Client) -> None:
    with SlackLoopback() as slack:
        fetcher = _slack_fetcher(slack, http)

        with pytest.raises(MediaError, match="not a Slack file URL"):
            fetcher.fetch(Attachment("image", "https://evil.example/a.png", "image/png", "a.png"), 1000)

        assert slack.requests == []


def test_slack_fetcher_stops_reading_past_the_size_cap(http: httpx.Client) -> None:
    with SlackLoopback() as slack:
        url = slack.add_file("F1", "big.pdf", b"x" * 5000)

        with pytest.raises(MediaError, match="limit"):
            _slack_fetcher(slack, http).fetch(Attachment("document", url, "application/pdf", "big.pdf"), 1000)


def test_telegram_fetcher_resolves_the_file_id_and_downloads_the_file(http: httpx.Client) -> None:
    with TelegramLoopback() as telegram:
        telegram.add_file("voice-1", b"OggS...", "voice/file_1.oga")

        data = TelegramFileFetcher(http, TELEGRAM_TOKEN, base_url=telegram.url).fetch(
            Attachment("audio", "voice-1", "audio/ogg"), 1000
        )

    assert data == b"OggS..."


def test_telegram_fetcher_error_never_contains_the_token(http: httpx.Client) -> None:
    with TelegramLoopback() as telegram:
        fetcher = TelegramFileFetcher(http, TELEGRAM_TOKEN, base_url=telegram.url)

        with pytest.raises(MediaError) as caught:
            fetcher.fetch(Attachment("image", "no-such-file", "image/jpeg"), 1000)

    assert TELEGRAM_TOKEN not in str(caught.value)
    assert TELEGRAM_TOKEN.split(":")[-1] not in repr(fetcher)


def test_telegram_fetcher_refuses_a_file_over_the_cap_before_downloading(http: httpx.Client) -> None:
    with TelegramLoopback() as telegram:
        telegram.add_file("doc-1", b"x" * 5000, "documents/file_2.pdf")

        with pytest.raises(MediaError, match="over the 1000-byte limit"):
            TelegramFileFetcher(http, TELEGRAM_TOKEN, base_url=telegram.url).fetch(
                Attachment("document", "doc-1", "application/pdf"), 1000
            )

        assert not any("/file/bot" in r.path for r in telegram.requests)
