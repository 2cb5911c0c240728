"""Summarizer port adapters: shorten older chat history before it goes to the model."""

from __future__ import annotations

from office_assistant.adapters.summarizer.extractive import ExtractiveSummarizer, RegexTokenizer

__all__ = ["ExtractiveSummarizer", "RegexTokenizer"]
