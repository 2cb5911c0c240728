"""Document text extraction (csv, xlsx, docx, pdf, txt) with the format's own library."""

from __future__ import annotations

from office_assistant.adapters.documents.extract import DocumentExtractor, document_format, extract_text

__all__ = ["DocumentExtractor", "document_format", "extract_text"]
