"""WebPageReader port adapters: a public-internet-only fetcher with main-text extraction."""

from __future__ import annotations

from office_assistant.adapters.web_pages.fetch import PublicWebPageReader, refusal

__all__ = ["PublicWebPageReader", "refusal"]
