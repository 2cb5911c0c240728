"""Model markdown → Slack mrkdwn and Block Kit section blocks within Slack's limits."""

from __future__ import annotations

import re
from typing import Any

from office_assistant.adapters.chat_platforms.markdown_syntax import BOLD, BULLET, FENCE, HEADING, LINK, RULE, STRIKE

MAX_BLOCKS = 50  # per message
MAX_SECTION_CHARS = 3000  # text of one section block
MAX_FALLBACK_CHARS = 3000  # the `text` that notifications show when blocks are sent

_INLINE_CODE = re.compile(r"(`[^`\n]+`)")


def escape_text(text: str) -> str:
    """Escape the three characters Slack treats as control sequences, so a reply cannot ping <!channel> or users."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(line: str) -> str:
    """Bold, strike-through and links of one (already escaped) line; code spans are left as they are."""
    pieces = _INLINE_CODE.split(line)
    for i in range(0, len(pieces), 2):
        piece = LINK.sub(lambda m: f"<{m[2].replace('&amp;', '&')}|{m[1]}>", pieces[i])
        piece = BOLD.sub(lambda m: f"*{m[2]}*", piece)
        pieces[i] = STRIKE.sub(lambda m: f"~{m[1]}~", piece)
    return "".join(pieces)


def to_mrkdwn(markdown: str) -> str:
    """Markdown as chat models write it → Slack mrkdwn; Slack's control characters escaped first."""
    lines: list[str] = []
    in_code = False
    for raw in escape_text(markdown).splitlines():
        if FENCE.match(raw):
            in_code = not in_code
            lines.append("```")
            continue
        if in_code:
            lines.append(raw)
        elif heading := HEADING.match(raw):
            lines.append(f"*{_inline(heading[1]).strip('*')}*")
        elif RULE.match(raw):
            lines.append("──────────")
        elif bullet := BULLET.match(raw):
            lines.append(f"{bullet[1]}• {_inline(raw[bullet.end() :])}")
        else:
            lines.append(_inline(raw))
    if in_code:
        lines.append("```")
    return "\n".join(lines)


def _cut(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break (else a space) in the second half of a window."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n"), -1)
        if cut <= limit // 2:
            cut = window.rfind(" ")
        if cut <= limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ") if cut < limit else text[cut:]
    pieces.append(text)
    return [piece for piece in pieces if piece.strip()]


def to_messages(mrkdwn: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """(fallback text, blocks) per message: sections ≤ 3000 characters, ≤ 50 blocks per message.

    Paragraphs become sections; a code block split across sections is closed and reopened so each renders.
    """
    sections: list[str] = []
    for paragraph in re.split(r"\n{2,}", mrkdwn):
        for piece in _cut(paragraph, MAX_SECTION_CHARS - 8):
            if piece.count("```") % 2:
                piece = piece + "\n```" if piece.lstrip().startswith("```") else "```\n" + piece
            sections.append(piece)
    if not sections:
        sections = ["…"]
    messages = []
    for start in range(0, len(sections), MAX_BLOCKS):
        chunk = sections[start : start + MAX_BLOCKS]
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in chunk]
        fallback = "\n\n".join(chunk)
        if len(fallback) > MAX_FALLBACK_CHARS:
            fallback = fallback[: MAX_FALLBACK_CHARS - 1] + "…"
        messages.append((fallback, blocks))
    return messages
