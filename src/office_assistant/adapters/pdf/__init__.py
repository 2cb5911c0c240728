"""PdfRenderer port adapters: Markdown → PDF with ReportLab."""

from __future__ import annotations

from office_assistant.adapters.pdf.reportlab_pdf import ReportLabPdfRenderer

__all__ = ["ReportLabPdfRenderer"]
