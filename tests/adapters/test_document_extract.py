"""Document text extraction with each format's library, on files the test writes."""

from __future__ import annotations

import io

import pytest

from office_assistant.adapters.documents import extract_text
from office_assistant.domain.errors import MediaError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["sku", "qty"])
    sheet.append(["CHAIR-1", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Quarterly plan")
    document.add_paragraph("Hire two engineers.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf() -> bytes:
    """A one-page PDF with a text object, written by hand (pypdf reads it; no PDF writer dependency)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Invoice 42 is due) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "mime_type", "name", "expected"),
    [
        (b"sku,qty\r\nCHAIR-1,5\r\n", "text/csv", "stock.csv", "sku, qty\nCHAIR-1, 5"),
        (_xlsx(), XLSX, "stock.xlsx", "sku, qty\nCHAIR-1, 5"),
        (_docx(), DOCX, "plan.docx", "Quarterly plan\nHire two engineers."),
        (_pdf(), "application/pdf", "invoice.pdf", "Invoice 42 is due"),
        ("Grüße aus Köln".encode(), "text/plain", "note.txt", "Grüße aus Köln"),
    ],
)
def test_extract_text_reads_each_supported_format(data: bytes, mime_type: str, name: str, expected: str) -> None:
    assert extract_text(data, mime_type, name, 10_000) == expected


def test_extract_text_finds_the_format_from_the_name_when_the_mime_type_is_generic() -> None:
    assert extract_text(b"a,b", "application/octet-stream", "x.csv", 100) == "a, b"


def test_extract_text_cuts_long_text_to_the_cap() -> None:
    text = extract_text(b"word " * 1000, "text/plain", "long.txt", 50)

    assert len(text) == 50 and text.endswith("…")


@pytest.mark.parametrize(
    ("data", "mime_type", "name", "match"),
    [
        (b"PK\x03\x04 broken", XLSX, "broken.xlsx", "could not read the xlsx"),
        (b"%PDF-1.4 garbage", "application/pdf", "broken.pdf", "could not read the pdf|no text"),
        (b"\x00\x01", "application/zip", "archive.zip", "unsupported file type"),
        (b"   ", "text/plain", "empty.txt", "no text found"),
    ],
)
def test_extract_text_raises_media_error_for_what_it_cannot_read(
    data: bytes, mime_type: str, name: str, match: str
) -> None:
    with pytest.raises(MediaError, match=match):
        extract_text(data, mime_type, name, 100)
