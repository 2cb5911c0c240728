"""Handlers run against a container of fakes, configured the way Lambda's warm container would hold it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from office_assistant import bootstrap
from office_assistant.bootstrap import Container
from office_assistant.settings import Settings
from tests.fakes import FakeStateTable

if TYPE_CHECKING:
    from collections.abc import Iterator

SIGNING_SECRET = "test-signing-secret"
TELEGRAM_SECRET = "test-telegram-secret"


class RecordingStarter:
    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, Any]]] = []

    def start(self, name: str, payload: dict[str, Any]) -> str:
        self.started.append((name, payload))
        return f"arn:aws:states:us-east-1:123456789012:execution:assistant:{name}"


@pytest.fixture
def starter() -> Iterator[RecordingStarter]:
    starter = RecordingStarter()
    settings = Settings(
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_user_id="U0BOT",
        telegram_secret_token=TELEGRAM_SECRET,
        telegram_bot_username="office_assistant_bot",
    )
    bootstrap.configure(Container(settings, state_table=FakeStateTable(), starter=starter))
    yield starter
    bootstrap.reset()
