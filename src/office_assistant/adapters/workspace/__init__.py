"""SlackWorkspace port adapters: the Slack Web API through slack_sdk."""

from __future__ import annotations

from office_assistant.adapters.workspace.slack import SlackWebWorkspace

__all__ = ["SlackWebWorkspace"]
