"""Loopback stand-ins for Slack, Telegram, Odoo, Comprehend and an OpenAI-compatible API, for real clients offline."""

from __future__ import annotations

from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback
from office_assistant_local.standins.comprehend import ComprehendLoopback
from office_assistant_local.standins.odoo import OdooLoopback
from office_assistant_local.standins.recorder import RecordedRequest, RecordingServer, Reply
from office_assistant_local.standins.slack import SlackLoopback, SlackPost
from office_assistant_local.standins.telegram import TelegramLoopback, TelegramSend

__all__ = [
    "ChatCompletionsLoopback",
    "ComprehendLoopback",
    "OdooLoopback",
    "RecordedRequest",
    "RecordingServer",
    "Reply",
    "SlackLoopback",
    "SlackPost",
    "TelegramLoopback",
    "TelegramSend",
]
