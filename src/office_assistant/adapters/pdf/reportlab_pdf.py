"""Markdown → PDF: markdown-it-py parses the model's Markdown, ReportLab's Platypus lays it out (as the legacy did).

Headings, paragraphs, bold/italic/code/links, bullet and numbered lists, code blocks, quotes, rules and tables
are kept. The built-in Helvetica covers Latin-1 only; other characters come out as boxes.
"""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, Preformatted, SimpleDocTemplate, Spacer, Table, TableStyle

from office_assistant.domain.errors import ToolServiceError

if TYPE_CHECKING:
    from markdown_it.token import Token
    from reportlab.platypus import Flowable

MAX_MARKDOWN_CHARS = 200_000


class _Layout:
    """Where the walk through the tokens is: open lists (with their next number), quote depth, a table."""

    def __init__(self) -> None:
        self.lists: list[list[int]] = []  # per open list: [next number] (ordered) or [] (bullets)
        self.quote = 0
        self.table: list[list[str]] | None = None

    def track(self, token: Token) -> bool:
        """Update the position for a structural token; True when that is all the token means."""
        kind = token.type
        if kind in {"bullet_list_open", "ordered_list_open"}:
            self.lists.append([int(token.attrGet("start") or 1)] if kind == "ordered_list_open" else [])
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            self.lists.pop()
        elif kind in {"blockquote_open", "blockquote_close"}:
            self.quote += 1 if kind == "blockquote_open" else -1
        elif kind == "table_open":
            self.table = []
        elif kind == "tr_open" and self.table is not None:
            self.table.append([])
        else:
            return False
        return True


class ReportLabPdfRenderer:
    """PdfRenderer: A4 pages, the title on top, the Markdown below."""

    def __init__(self) -> None:
        self.markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
        styles = getSampleStyleSheet()
        self.styles: dict[str, ParagraphStyle] = {
            "title": styles["Title"],
            "h1": styles["Heading1"],
            "h2": styles["Heading2"],
            "h3": styles["Heading3"],
            "body": styles["BodyText"],
            "code": ParagraphStyle("code", parent=styles["Code"], fontSize=8.5, leading=10.5),
            "quote": ParagraphStyle("quote", parent=styles["BodyText"], leftIndent=8 * mm, textColor=colors.dimgray),
            "item": ParagraphStyle("item", parent=styles["BodyText"], leftIndent=7 * mm, bulletIndent=2 * mm),
        }

    def render(self, title: str, markdown: str) -> bytes:
        if len(markdown) > MAX_MARKDOWN_CHARS:
            raise ToolServiceError(f"the document is over {MAX_MARKDOWN_CHARS} characters")
        story: list[Flowable] = [Paragraph(escape(title), self.styles["title"])]
        story += self._flowables(self.markdown.parse(markdown))
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer, pagesize=A4, title=title, author="office-assistant", leftMargin=20 * mm, rightMargin=20 * mm
        )
        try:
            document.build(story)
        except Exception as error:  # ReportLab raises plain errors for layouts it cannot place (a huge table cell)
            raise ToolServiceError(f"the PDF could not be laid out: {type(error).__name__}") from error
        return buffer.getvalue()

    def _flowables(self, tokens: list[Token]) -> list[Flowable]:
        story: list[Flowable] = []
        layout = _Layout()
        for index, token in enumerate(tokens):
            if layout.track(token):
                continue
            kind, before = token.type, tokens[index - 1].type if index else ""
            if kind == "inline" and layout.table is not None:
                if before in {"th_open", "td_open"}:
                    layout.table[-1].append(_inline(token))
            elif kind == "table_close" and layout.table is not None:
                story.append(self._table(layout.table))
                layout.table = None
            elif kind == "inline" and before == "heading_open":
                level = min(int(tokens[index - 1].tag[1]), 3)
                story.append(Paragraph(_inline(token), self.styles[f"h{level}"]))
            elif kind == "inline":
                first_in_item = index >= 2 and tokens[index - 2].type == "list_item_open"
                story.append(self._paragraph(_inline(token), layout.lists, layout.quote, first_in_item))
            elif kind in {"fence", "code_block"}:
                story.append(Preformatted(token.content.rstrip("\n"), self.styles["code"]))
            elif kind == "hr":
                story.append(HRFlowable(width="100%", color=colors.lightgrey, spaceBefore=4, spaceAfter=4))
        story.append(Spacer(1, 2 * mm))
        return story

    def _paragraph(self, markup: str, lists: list[list[int]], quote: int, first_in_item: bool) -> Paragraph:
        if quote:
            return Paragraph(markup, self.styles["quote"])
        if not lists:
            return Paragraph(markup, self.styles["body"])
        style = ParagraphStyle(
            f"item{len(lists)}",
            parent=self.styles["item"],
            leftIndent=7 * mm * len(lists),
            bulletIndent=7 * mm * (len(lists) - 1) + 2 * mm,
        )
        bullet = None
        if first_in_item:
            numbers = lists[-1]
            bullet = f"{numbers[0]}." if numbers else "•"
            if numbers:
                numbers[0] += 1
        return Paragraph(markup, style, bulletText=bullet)

    def _table(self, rows: list[list[str]]) -> Table:
        width = max((len(row) for row in rows), default=1)
        cells: list[list[Any]] = [
            [Paragraph(cell, self.styles["body"]) for cell in row + [""] * (width - len(row))] for row in rows
        ]
        table = Table(cells, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table


_MARKUP = {
    "softbreak": " ",
    "hardbreak": "<br/>",
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
}


def _inline(token: Token) -> str:
    """ReportLab paragraph markup for an inline token's children (text escaped, web links kept)."""
    parts: list[str] = []
    closers: list[str] = []  # per open link: "</a>" for a web link, "</u>" for any other href
    for child in token.children or []:
        kind = child.type
        if kind in _MARKUP:
            parts.append(_MARKUP[kind])
        elif kind in {"text", "image"}:
            parts.append(escape(child.content))
        elif kind == "code_inline":
            parts.append(f'<font face="Courier">{escape(child.content)}</font>')
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            web = href.startswith(("https://", "http://", "mailto:"))
            parts.append(f'<a href="{escape(href)}" color="blue">' if web else "<u>")
            closers.append("</a>" if web else "</u>")
        elif kind == "link_close" and closers:
            parts.append(closers.pop())
    return "".join(parts) or " "
