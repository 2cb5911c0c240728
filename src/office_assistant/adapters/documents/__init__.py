"""Document text extraction (csv, xlsx, docx, pdf, txt) with the format's own library."""

from __future__ import annotations

from office_assistant.adapters.documents.extract import document_format, extract_text

__all__ = ["document_format", "extract_text"]
