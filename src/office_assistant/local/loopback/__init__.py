"""Loopback stand-ins for Slack, Telegram, Odoo, Comprehend and an OpenAI-compatible API, for real clients offline."""

from __future__ import annotations

from office_assistant.local.loopback.chat_completions import ChatCompletionsLoopback
from office_assistant.local.loopback.comprehend import ComprehendLoopback
from office_assistant.local.loopback.odoo import OdooLoopback
from office_assistant.local.loopback.recorder import RecordedRequest, RecordingServer, Reply
from office_assistant.local.loopback.slack import SlackLoopback, SlackPost
from office_assistant.local.loopback.telegram import TelegramLoopback, TelegramSend

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
