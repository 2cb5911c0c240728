"""office-assistant: a Slack and Telegram assistant whose pre-model work runs as a parallel workflow."""

__version__ = "0.1.0"
