"""Text out of a document, by format: csv, xlsx (openpyxl), docx (python-docx), pdf (pypdf), plain text.

Every failure, including a format we do not read, is a MediaError; the caller turns it into a note.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePosixPath

from office_assistant.domain.errors import MediaError

_BY_MIME = {
    "text/csv": "csv",
    "application/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "text/markdown": "txt",
}
_BY_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf", ".txt": "txt", ".md": "txt"}
MAX_ROWS = 2000
MAX_PDF_PAGES = 50


def document_format(mime_type: str, name: str) -> str | None:
    """csv / xlsx / docx / pdf / txt from the MIME type, else from the file name; None when unsupported."""
    return _BY_MIME.get(mime_type.split(";")[0].strip().lower()) or _BY_SUFFIX.get(PurePosixPath(name).suffix.lower())


def extract_text(data: bytes, mime_type: str, name: str, max_chars: int) -> str:
    """The document's text, cut to `max_chars` (a cut is marked with "…")."""
    kind = document_format(mime_type, name)
    if kind is None:
        raise MediaError(f"{name or 'document'}: unsupported file type {mime_type or 'unknown'}")
    try:
        text = _READERS[kind](data)
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt file can raise anything from its library
        raise MediaError(f"{name or 'document'}: could not read the {kind} file ({type(exc).__name__})") from None
    text = text.strip()
    if not text:
        raise MediaError(f"{name or 'document'}: no text found")
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


class DocumentExtractor:
    """DocumentReader with each format's own library (csv, openpyxl, python-docx, pypdf)."""

    def extract_text(self, data: bytes, mime_type: str, name: str, max_chars: int) -> str:
        return extract_text(data, mime_type, name, max_chars)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv(data: bytes) -> str:
    rows = csv.reader(io.StringIO(_decode(data)))
    return "\n".join(", ".join(row) for _, row in zip(range(MAX_ROWS), rows, strict=False))


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        if sheet is None:
            return ""
        lines = []
        for _, row in zip(range(MAX_ROWS), sheet.iter_rows(values_only=True), strict=False):
            lines.append(", ".join("" if cell is None else str(cell) for cell in row))
        return "\n".join(lines)
    finally:
        book.close()


def _docx(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs if p.text.strip())


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PDF_PAGES])


def _txt(data: bytes) -> str:
    return _decode(data)


_READERS = {"csv": _csv, "xlsx": _xlsx, "docx": _docx, "pdf": _pdf, "txt": _txt}
