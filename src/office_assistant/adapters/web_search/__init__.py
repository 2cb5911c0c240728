"""WebSearch port adapters: Google Programmable Search."""

from __future__ import annotations

from office_assistant.adapters.web_search.google import GoogleWebSearch

__all__ = ["GoogleWebSearch"]
