"""Loopback stand-ins for Slack, Telegram, Odoo and an OpenAI-compatible API: real clients talk to them offline."""

from __future__ import annotations

from office_assistant.local.loopback.chat_completions import ChatCompletionsLoopback
from office_assistant.local.loopback.odoo import OdooLoopback
from office_assistant.local.loopback.recorder import RecordedRequest, RecordingServer, Reply
from office_assistant.local.loopback.slack import SlackLoopback, SlackPost
from office_assistant.local.loopback.telegram import TelegramLoopback, TelegramSend

__all__ = [
    "ChatCompletionsLoopback",
    "OdooLoopback",
    "RecordedRequest",
    "RecordingServer",
    "Reply",
    "SlackLoopback",
    "SlackPost",
    "TelegramLoopback",
    "TelegramSend",
]
