"""Chat platform adapters: parse Slack and Telegram deliveries into messages, and post replies back."""

from __future__ import annotations

from office_assistant.adapters.chat_platforms.intake_types import Ignored
from office_assistant.adapters.chat_platforms.slack import SlackPlatform
from office_assistant.adapters.chat_platforms.telegram import TelegramPlatform

__all__ = ["Ignored", "SlackPlatform", "TelegramPlatform"]
