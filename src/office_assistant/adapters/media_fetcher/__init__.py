"""Media fetcher port adapters: download a message's files from the platform they came from."""

from __future__ import annotations

from office_assistant.adapters.media_fetcher.slack import SlackFileFetcher
from office_assistant.adapters.media_fetcher.telegram import TelegramFileFetcher

__all__ = ["SlackFileFetcher", "TelegramFileFetcher"]
